import type { EmbeddingModel } from '../../src/core/inference/embedding-model.js';

/**
 * A deterministic embedding model for unit tests: lower-cased words hashed into `dimensions`
 * buckets, L2-normalized, so texts sharing words are close. Records the purposes it was asked for.
 */
export function bagOfWordsEmbedding(dimensions = 64): EmbeddingModel & { purposes: (string | undefined)[] } {
  const purposes: (string | undefined)[] = [];
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'test',
    modelId: 'bag-of-words',
    dimensions,
    maxBatchSize: 128,
    purposes,
    async embed({ values, purpose }) {
      purposes.push(purpose);
      return { embeddings: values.map((value) => embedText(value, dimensions)), usage: { inputTokens: values.length } };
    },
  };
}

export function embedText(text: string, dimensions = 64): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
    const bucket = (hash >>> 0) % dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}
