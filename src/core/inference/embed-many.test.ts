import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embedMany } from './embed-many.js';
import type { EmbedOptions, EmbeddingModel } from './embedding-model.js';

function model(answer: (values: string[]) => number[][] = (values) => values.map((value) => [value.length])): EmbeddingModel & { batches: string[][] } {
  const batches: string[][] = [];
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'stub',
    modelId: 'stub',
    dimensions: 1,
    maxBatchSize: 2,
    batches,
    async embed(options: EmbedOptions) {
      batches.push(options.values);
      return { embeddings: answer(options.values), usage: { inputTokens: options.values.length } };
    },
  };
}

describe('embedMany', () => {
  it('splits by maxBatchSize, keeps order and sums usage', async () => {
    const stub = model();
    const result = await embedMany(stub, { values: ['a', 'bb', 'ccc', 'dddd', 'eeeee'] });
    assert.deepEqual(stub.batches, [['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    assert.deepEqual(result, { embeddings: [[1], [2], [3], [4], [5]], usage: { inputTokens: 5 } });
  });

  it('stops between batches when the caller leaves', async () => {
    const controller = new AbortController();
    const stub = model((values) => {
      controller.abort();
      return values.map(() => [0]);
    });
    await assert.rejects(embedMany(stub, { values: ['a', 'b', 'c'], abortSignal: controller.signal }), { name: 'AbortError' });
    assert.equal(stub.batches.length, 1);
  });

  it('refuses a backend that answers the wrong number of vectors', async () => {
    await assert.rejects(embedMany(model(() => [[1]]), { values: ['a', 'b'] }), { name: 'ModelErrorException' });
  });
});
