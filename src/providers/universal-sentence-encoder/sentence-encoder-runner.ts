import type { EncodedBatch } from './load-universal-sentence-encoder.js';

/**
 * Where the encoder runs: in a worker thread (the default, so a large batch never blocks the HTTP
 * server) or inline on the calling thread. Both load the model on their first `encode`.
 */
export interface SentenceEncoderRunner {
  /** Encodes one batch; batches run one at a time, in arrival order. */
  encode(values: string[], signal?: AbortSignal): Promise<EncodedBatch>;
  close(): Promise<void>;
}
