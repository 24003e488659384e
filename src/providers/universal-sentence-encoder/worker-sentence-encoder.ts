import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OutcropError } from '../../core/errors.js';
import { estimatedTokens, splitAcrossThreads } from './encoder-runs.js';
import type { EncodedBatch } from './load-universal-sentence-encoder.js';
import type { SentenceEncoderRunner } from './sentence-encoder-runner.js';
import { spareCores } from './spare-cores.js';
import type { WorkerReply } from './worker-messages.js';

/** One `encode` call: its texts, and the rows its runs have filled so far. */
interface Job {
  values: string[];
  signal: AbortSignal | undefined;
  resolve(batch: EncodedBatch): void;
  reject(error: unknown): void;
  settled: boolean;
  onAbort?: () => void;
  /** runs not answered yet */
  pending: number;
  vectors?: Float32Array;
  dimensions: number;
  tokenCounts: number[];
}

/** Part of a job that one thread encodes in one run: indices into the job's texts. */
interface Run {
  job: Job;
  indices: number[];
}

/** One encoder thread, started on its first run. */
interface Slot {
  worker: Worker | undefined;
  current: { id: number; run: Run } | undefined;
}

export interface WorkerSentenceEncoderOptions {
  /**
   * Encoder threads, each with its own copy of the model (about 130 MB): a batch that arrives while
   * several are idle is split across them. Default: 2, or 1 on a single-core machine.
   */
  threads?: number;
  /** cores free for this process now (default: measured from the machine's load) */
  spareCores?: () => number;
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
 * Runs the encoder in worker threads, each started on its first run. A batch that arrives while
 * threads are idle, on a machine with cores to spare, is split across them (by text length, so short
 * texts are not padded to a long one's length) and its parts run side by side; while every thread is busy, batches queue whole, in
 * arrival order, and go to the next thread free, so another request's batch can run between the
 * batches of a large request and a batch whose client left is dropped before it runs. The threads
 * hold the process open only while they have work; a crashed thread fails its batch and the next run
 * starts a new one.
 *
 * @example
 * const runner = createWorkerSentenceEncoder({ threads: 2 });
 * const { vectors } = await runner.encode(['granite', 'basalt']);
 */
export function createWorkerSentenceEncoder(options: WorkerSentenceEncoderOptions = {}): SentenceEncoderRunner {
  const threads = Math.max(1, Math.floor(options.threads ?? Math.min(2, availableParallelism())));
  const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: undefined, current: undefined }));
  const queue: Run[] = [];
  const spare = options.spareCores ?? spareCores();
  let nextId = 1;

  function settle(job: Job, outcome: { batch: EncodedBatch } | { error: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if ('batch' in outcome) job.resolve(outcome.batch);
    else job.reject(outcome.error);
  }

  function answered(run: Run, batch: EncodedBatch): void {
    const { job, indices } = run;
    if (job.settled) return;
    job.dimensions = batch.dimensions;
    job.vectors ??= new Float32Array(job.values.length * batch.dimensions);
    indices.forEach((index, row) => {
      job.vectors!.set(batch.vectors.subarray(row * batch.dimensions, (row + 1) * batch.dimensions), index * batch.dimensions);
      job.tokenCounts[index] = batch.tokenCounts[row] ?? 0;
    });
    if (--job.pending === 0) settle(job, { batch: { vectors: job.vectors, dimensions: job.dimensions, tokenCounts: job.tokenCounts } });
  }

  function start(slot: Slot): Worker {
    const started = spawnWorker();
    started.on('message', (reply: WorkerReply) => {
      const current = slot.current;
      if (slot.worker !== started || !current || current.id !== reply.id) return;
      slot.current = undefined;
      if ('batch' in reply) answered(current.run, reply.batch);
      else settle(current.run.job, { error: new OutcropError('ModelErrorException', `The embedding model failed: ${reply.error}`) });
      pump();
    });
    started.on('error', (error) => lost(slot, started, error));
    started.on('exit', (code) => lost(slot, started, new Error(`the encoder worker exited with code ${code}`)));
    return started;
  }

  function lost(slot: Slot, which: Worker, cause: Error): void {
    if (slot.worker !== which) return;
    slot.worker = undefined;
    const current = slot.current;
    slot.current = undefined;
    if (current) settle(current.run.job, { error: new OutcropError('ModelErrorException', `The embedding model stopped: ${cause.message}`, { cause }) });
    pump();
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.current) continue;
      let run = queue.shift();
      while (run?.job.settled) run = queue.shift();
      if (!run) {
        slot.worker?.unref();
        continue;
      }
      slot.worker ??= start(slot);
      slot.worker.ref();
      const id = nextId++;
      slot.current = { id, run };
      slot.worker.postMessage({ id, values: run.indices.map((index) => run.job.values[index]!) });
    }
  }

  return {
    encode(values, signal) {
      return new Promise<EncodedBatch>((resolve, reject) => {
        signal?.throwIfAborted();
        const job: Job = { values, signal, resolve, reject, settled: false, pending: 0, dimensions: 0, tokenCounts: new Array<number>(values.length).fill(0) };
        if (signal) {
          job.onAbort = () => settle(job, { error: signal.reason });
          signal.addEventListener('abort', job.onAbort, { once: true });
        }
        // Split only across threads that are free now, and only as far as the machine has cores to
        // spare for them: parts that wait for one another's core only add runs.
        const idle = queue.length === 0 ? slots.filter((slot) => !slot.current).length : 0;
        const side = idle > 1 ? Math.min(idle, Math.round(spare())) : idle;
        const parts = splitAcrossThreads(values.map(estimatedTokens), Math.max(1, side));
        job.pending = parts.length;
        for (const indices of parts) queue.push({ job, indices });
        pump();
      });
    },
    async close() {
      const stopping = slots.map((slot) => slot.worker);
      const jobs = [...queue.splice(0).map((run) => run.job), ...slots.flatMap((slot) => (slot.current ? [slot.current.run.job] : []))];
      for (const slot of slots) {
        slot.worker = undefined;
        slot.current = undefined;
      }
      for (const job of jobs) settle(job, { error: new OutcropError('ServiceUnavailableException', 'The embedding model is shutting down.') });
      await Promise.all(stopping.map((worker) => worker?.terminate()));
    },
  };
}
