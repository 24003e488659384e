import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { type LatencySummary, SampleBuffer, summarizeLatency } from './latency-summary.js';
import type { PreparedRequest } from './signed-request.js';

export interface LoadOptions {
  /** a keep-alive HTTP/1.1 pool with one connection per client */
  dispatcher: Dispatcher;
  /** the request to send; read again for every request (its signature may have been renewed) */
  request: () => PreparedRequest;
  /** clients, each sending its next request when the previous response has been read */
  concurrency: number;
  /** stop starting requests after this long ... */
  durationMs?: number;
  /** ... or after this many */
  requests?: number;
  /** offered load across all clients, requests/s; unset: every client sends as fast as it can */
  ratePerSecond?: number;
  /** counts finished requests (successful or not) while the load runs, for progress sampling */
  progress?: { completed: number };
}

export interface LoadResult {
  /** successful requests (status 200, body read to the end) */
  requests: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  /** successful requests per second */
  rps: number;
  /** from sending the request to reading the last byte of the body */
  latency: LatencySummary;
  /** from sending the request to the first byte of the body */
  firstByte: LatencySummary;
}

/**
 * Runs `concurrency` clients against one target and measures every request with
 * `performance.now()`. Closed loop by default; with `ratePerSecond`, requests are scheduled at a
 * fixed rate and each is timed from the moment it is actually sent.
 *
 * @example
 * const result = await runLoad({ dispatcher: pool, request: () => prepared, concurrency: 64, durationMs: 5000 });
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.durationMs === undefined && options.requests === undefined) throw new Error('runLoad needs durationMs or requests');
  const latency = new SampleBuffer();
  const firstByte = new SampleBuffer();
  const state = { issued: 0, errors: 0, firstError: null as string | null };
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
  const limit = options.requests ?? Number.POSITIVE_INFINITY;
  let finished = started;

  const client = async (): Promise<void> => {
    for (;;) {
      const index = state.issued++;
      if (index >= limit || performance.now() >= deadline) return;
      if (options.ratePerSecond !== undefined) {
        const wait = started + (index * 1000) / options.ratePerSecond - performance.now();
        if (wait > 0) await sleep(wait);
        if (performance.now() >= deadline) return;
      }
      const request = options.request();
      const sent = performance.now();
      try {
        const response = await options.dispatcher.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
        let first = 0;
        const errorChunks: Buffer[] = [];
        for await (const chunk of response.body) {
          if (first === 0) first = performance.now();
          if (response.statusCode !== 200) errorChunks.push(chunk as Buffer);
        }
        const done = performance.now();
        finished = done;
        if (options.progress) options.progress.completed++;
        if (response.statusCode !== 200) {
          state.errors++;
          state.firstError ??= `HTTP ${response.statusCode}: ${Buffer.concat(errorChunks).toString('utf8').slice(0, 300)}`;
          continue;
        }
        latency.push(done - sent);
        firstByte.push((first || done) - sent);
      } catch (error) {
        finished = performance.now();
        if (options.progress) options.progress.completed++;
        state.errors++;
        state.firstError ??= (error as Error).message;
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsedMs = finished - started;
  return {
    requests: latency.length,
    errors: state.errors,
    firstError: state.firstError,
    elapsedMs,
    rps: elapsedMs > 0 ? (latency.length * 1000) / elapsedMs : 0,
    latency: summarizeLatency(latency.toArray()),
    firstByte: summarizeLatency(firstByte.toArray()),
  };
}
