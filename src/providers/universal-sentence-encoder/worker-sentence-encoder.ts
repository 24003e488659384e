import { Worker } from 'node:worker_threads';
import { OutcropError } from '../../core/errors.js';
import type { EncodedBatch } from './load-universal-sentence-encoder.js';
import type { SentenceEncoderRunner } from './sentence-encoder-runner.js';
import type { WorkerReply } from './worker-messages.js';

interface Job {
  id: number;
  values: string[];
  signal: AbortSignal | undefined;
  resolve(batch: EncodedBatch): void;
  reject(error: unknown): void;
  settled: boolean;
  onAbort?: () => void;
}

/** Starts the worker entry beside this file: the compiled `.js`, or the `.ts` source under tsx. */
function spawnWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./universal-sentence-encoder-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry);
  // Workers do not inherit tsx's loader hooks; register them before loading the TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true });
}

/**
 * Runs the encoder in one worker thread, started on the first batch. Batches queue here and go to
 * the worker one at a time, so another request's batch can run between the batches of a large
 * request, and a batch whose client left is dropped before it runs. The worker holds the process
 * open only while it has work; a crashed worker fails its batch and the next batch starts a new one.
 *
 * @example
 * const runner = createWorkerSentenceEncoder();
 * const { vectors } = await runner.encode(['granite', 'basalt']);
 */
export function createWorkerSentenceEncoder(): SentenceEncoderRunner {
  let worker: Worker | undefined;
  let current: Job | undefined;
  const queue: Job[] = [];
  let nextId = 1;

  function settle(job: Job, outcome: { batch: EncodedBatch } | { error: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if ('batch' in outcome) job.resolve(outcome.batch);
    else job.reject(outcome.error);
  }

  function start(): Worker {
    const started = spawnWorker();
    started.on('message', (reply: WorkerReply) => {
      const job = current;
      if (!job || job.id !== reply.id) return;
      current = undefined;
      settle(job, 'batch' in reply ? { batch: reply.batch } : { error: new OutcropError('ModelErrorException', `The embedding model failed: ${reply.error}`) });
      pump();
    });
    started.on('error', (error) => lost(started, error));
    started.on('exit', (code) => lost(started, new Error(`the encoder worker exited with code ${code}`)));
    return started;
  }

  function lost(which: Worker, cause: Error): void {
    if (worker !== which) return;
    worker = undefined;
    const job = current;
    current = undefined;
    if (job) settle(job, { error: new OutcropError('ModelErrorException', `The embedding model stopped: ${cause.message}`, { cause }) });
    pump();
  }

  function pump(): void {
    if (current) return;
    let job = queue.shift();
    while (job?.settled) job = queue.shift();
    if (!job) {
      worker?.unref();
      return;
    }
    worker ??= start();
    worker.ref();
    current = job;
    worker.postMessage({ id: job.id, values: job.values });
  }

  return {
    encode(values, signal) {
      return new Promise<EncodedBatch>((resolve, reject) => {
        signal?.throwIfAborted();
        const job: Job = { id: nextId++, values, signal, resolve, reject, settled: false };
        if (signal) {
          job.onAbort = () => settle(job, { error: signal.reason });
          signal.addEventListener('abort', job.onAbort, { once: true });
        }
        queue.push(job);
        pump();
      });
    },
    async close() {
      const stopping = worker;
      worker = undefined;
      for (const job of [...queue.splice(0), ...(current ? [current] : [])]) {
        settle(job, { error: new OutcropError('ServiceUnavailableException', 'The embedding model is shutting down.') });
      }
      current = undefined;
      await stopping?.terminate();
    },
  };
}
