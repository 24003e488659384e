import { OutcropError } from '../errors.js';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from './embedding-model.js';

/**
 * Embeds any number of values by splitting them into the model's `maxBatchSize` and running the
 * batches one after another, so one large request cannot hold a backend for all its values at once
 * and a client that leaves stops the remaining batches. Checks that the model answered one vector
 * per value.
 *
 * @example
 * const { embeddings } = await embedMany(model, { values: texts, purpose: 'document' });
 */
export async function embedMany(model: EmbeddingModel, options: EmbedOptions): Promise<EmbedResult> {
  const size = Math.max(1, model.maxBatchSize);
  const embeddings: number[][] = [];
  let inputTokens = 0;
  for (let start = 0; start < options.values.length; start += size) {
    options.abortSignal?.throwIfAborted();
    const values = options.values.slice(start, start + size);
    const result = await model.embed({ ...options, values });
    if (result.embeddings.length !== values.length) {
      throw new OutcropError('ModelErrorException', `The embedding backend returned ${result.embeddings.length} vectors for ${values.length} inputs.`);
    }
    embeddings.push(...result.embeddings);
    inputTokens += result.usage.inputTokens;
  }
  return { embeddings, usage: { inputTokens } };
}
