import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import type { RerankingModel } from '../../core/inference/reranking-model.js';
import { createLlamaCppProvider } from './llama-cpp-provider.js';

const provider = createLlamaCppProvider({ name: 'local', gpu: false, threads: 1, idleUnloadMs: 0 });
const reranker = (path: string) => provider.rerankingModel?.(path) as RerankingModel;

after(() => provider.close());

describe('LlamaCppRerankingModel', () => {
  it('scores every document with a reranker GGUF (classification head, rank pooling), best first', async () => {
    const documents = ['granite is an igneous rock', 'the weather is sunny', 'basalt is volcanic'];
    const { results } = await reranker(makeTestGguf('bert-reranker')).rerank({ query: 'what is granite', documents });
    assert.deepEqual(results.map((result) => result.index).sort(), [0, 1, 2]);
    for (const result of results) assert.ok(result.relevanceScore > 0 && result.relevanceScore < 1);
    for (let index = 1; index < results.length; index++) assert.ok((results[index - 1]?.relevanceScore ?? 0) >= (results[index]?.relevanceScore ?? 0));
    const top = await reranker(makeTestGguf('bert-reranker')).rerank({ query: 'what is granite', documents, topN: 1 });
    assert.deepEqual(top.results, results.slice(0, 1));
  });

  it('refuses a model without a classification head', async () => {
    await assert.rejects(reranker(makeTestGguf('bert')).rerank({ query: 'q', documents: ['d'] }), { name: 'ValidationException', message: /cannot rank documents/ });
  });
});
