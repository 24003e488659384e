/**
 * The AWS SDK client of a benchmark on a thread of its own (a worker thread), so that it reads its
 * streams without waiting for the server's event loop when the server runs in the benchmark's
 * process, as a client in another process would. Phases run there with `runConverseStreamPhase`;
 * their times come back on the calling thread's `performance.now()` clock.
 *
 * @example
 * const client = await ConverseStreamWorker.start({ endpoint: server.url, region: 'us-east-1', credentials });
 * const phase = await client.phase([{ modelId: 'm', prompt: 'hi', maxTokens: 8, delayMs: 0 }]);
 * await client.close();
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type PhaseResult, type PhaseStreamRequest, runConverseStreamPhase } from './converse-stream-phase.js';

interface ClientSettings {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

type Reply = { id: number; result: PhaseResult; timeOrigin: number } | { id: number; error: string };

export class ConverseStreamWorker {
  private next = 0;
  private failure: Error | undefined;
  private readonly waiting = new Map<number, { resolve: (result: PhaseResult) => void; reject: (error: Error) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(shiftClock(reply.result, reply.timeOrigin - performance.timeOrigin));
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SDK client's worker thread exited (code ${code})`)));
  }

  static async start(settings: ClientSettings): Promise<ConverseStreamWorker> {
    const worker = new Worker(new URL('./converse-stream-worker-entry.mjs', import.meta.url), { workerData: settings });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    return new ConverseStreamWorker(worker);
  }

  /** One phase of requests (see `runConverseStreamPhase`), run on the worker's client. */
  phase(requests: PhaseStreamRequest[]): Promise<PhaseResult> {
    const id = this.next++;
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, requests });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** A phase's times moved from the worker's clock to this thread's (`offset`: the worker's time origin minus this one's). */
function shiftClock(result: PhaseResult, offset: number): PhaseResult {
  return {
    startedAt: result.startedAt + offset,
    wallMs: result.wallMs,
    streams: result.streams.map((stream) => ({
      ...stream,
      startedAt: stream.startedAt + offset,
      endedAt: stream.endedAt + offset,
      chunkTimes: stream.chunkTimes.map((time) => time + offset),
    })),
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const settings = workerData as ClientSettings;
  const client = new BedrockRuntimeClient({ endpoint: settings.endpoint, region: settings.region, credentials: settings.credentials, maxAttempts: 1 });
  port.on('message', async ({ id, requests }: { id: number; requests: PhaseStreamRequest[] }) => {
    try {
      const result = await runConverseStreamPhase(client, requests);
      port.postMessage({ id, result, timeOrigin: performance.timeOrigin } satisfies Reply);
    } catch (error) {
      port.postMessage({ id, error: (error as Error).stack ?? String(error) } satisfies Reply);
    }
  });
}
