import { type LoadedSentenceEncoder, loadUniversalSentenceEncoder } from './load-universal-sentence-encoder.js';
import type { SentenceEncoderRunner } from './sentence-encoder-runner.js';

/**
 * Runs the encoder on the calling thread. Simple, but a batch holds the event loop for its whole
 * run (about 12 ms a sentence on one core); use it for scripts and measurements, not the server.
 *
 * @example
 * const runner = createInlineSentenceEncoder();
 * const batch = await runner.encode(['granite']);
 */
export function createInlineSentenceEncoder(): SentenceEncoderRunner {
  let encoder: Promise<LoadedSentenceEncoder> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    encode(values, signal) {
      const run = tail.then(async () => {
        signal?.throwIfAborted();
        encoder ??= loadUniversalSentenceEncoder().catch((error: unknown) => {
          encoder = undefined;
          throw error;
        });
        return (await encoder).encode(values);
      });
      tail = run.catch(() => {});
      return run;
    },
    async close() {
      await tail;
    },
  };
}
