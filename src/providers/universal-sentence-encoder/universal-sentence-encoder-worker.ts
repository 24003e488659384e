/**
 * Worker-thread entry: loads the encoder on the first request and answers one batch at a time.
 * Started by `createWorkerSentenceEncoder`; never imported by the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { type LoadedSentenceEncoder, loadUniversalSentenceEncoder } from './load-universal-sentence-encoder.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

let encoder: Promise<LoadedSentenceEncoder> | undefined;

parentPort?.on('message', async (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    encoder ??= loadUniversalSentenceEncoder().catch((error: unknown) => {
      encoder = undefined;
      throw error;
    });
    reply = { id: request.id, batch: await (await encoder).encode(request.values) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply, 'batch' in reply ? [reply.batch.vectors.buffer as ArrayBuffer] : []);
});
