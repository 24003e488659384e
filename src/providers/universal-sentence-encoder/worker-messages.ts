import type { EncodedBatch } from './load-universal-sentence-encoder.js';

/** Main thread to worker: one batch to encode. */
export interface WorkerRequest {
  id: number;
  values: string[];
}

/** Worker to main thread: the batch's vectors (transferred, not copied) or why it failed. */
export type WorkerReply = { id: number; batch: EncodedBatch } | { id: number; error: string };
