import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bagOfWordsEmbedding } from '../../../../test/support/bag-of-words-embedding.js';
import { MemoryKnowledgeBases } from '../../../../test/support/memory-knowledge-bases.js';
import type { RerankingModel } from '../../inference/reranking-model.js';
import { retrieveChunks } from './retrieve-chunks.js';

const model = bagOfWordsEmbedding();
const knowledgeBases = new MemoryKnowledgeBases(model);

before(async () => {
  await knowledgeBases.add('KBROCKS001', [
    { id: 'granite', text: 'Granite is a coarse grained igneous rock rich in quartz and feldspar.', metadata: { kind: 'igneous', hardness: 6 } },
    { id: 'basalt', text: 'Basalt is a fine grained volcanic rock that forms from lava flows.', metadata: { kind: 'igneous', hardness: 6 } },
    { id: 'shale', text: 'Shale is a sedimentary rock formed from compacted mud.', metadata: { kind: 'sedimentary', hardness: 3 } },
    { id: 'marble-1', text: 'Marble forms when limestone is metamorphosed.', parent: { id: 'marble', text: 'Marble forms when limestone is metamorphosed. It is prized by sculptors.' } },
    { id: 'marble-2', text: 'Sculptors prize marble for carving statues.', parent: { id: 'marble', text: 'Marble forms when limestone is metamorphosed. It is prized by sculptors.' } },
    { id: 'zx81', text: 'Part number ZX81 identifies the tungsten drill bit used on hard rock.', metadata: { kind: 'tool', hardness: 9 } },
  ]);
});

describe('retrieveChunks', () => {
  it('SEMANTIC: embeds the query for retrieval and scores cosine as (1 + cos) / 2', async () => {
    const results = await retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBROCKS001', query: 'volcanic rock from lava', searchType: 'SEMANTIC', numberOfResults: 2 });
    assert.equal(results.length, 2);
    assert.equal(results[0]?.id, 'basalt');
    assert.ok((results[0]?.score ?? 0) > (results[1]?.score ?? 1));
    assert.ok(results.every((result) => result.score >= 0 && result.score <= 1));
    assert.equal(model.purposes.at(-1), 'query');
  });

  it('HYBRID: keyword matches the vector search misses are fused in', async () => {
    const hybrid = await retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBROCKS001', query: 'ZX81', searchType: 'HYBRID', numberOfResults: 3 });
    assert.equal(hybrid[0]?.id, 'zx81');
    assert.ok((hybrid[0]?.score ?? 0) > 0 && (hybrid[0]?.score ?? 2) <= 1);
  });

  it('defaults to 5 results and returns a hierarchical parent once', async () => {
    const results = await retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBROCKS001', query: 'marble sculptors limestone' });
    assert.equal(results.length, 5);
    assert.equal(results[0]?.id, 'marble');
    assert.equal(results.filter((result) => result.id === 'marble').length, 1);
    assert.match(results[0]?.text ?? '', /prized by sculptors/);
  });

  it('applies the metadata filter before counting results', async () => {
    const results = await retrieveChunks(knowledgeBases, {
      knowledgeBaseId: 'KBROCKS001',
      query: 'rock',
      numberOfResults: 10,
      filter: { andAll: [{ equals: { key: 'kind', value: 'igneous' } }, { greaterThanOrEquals: { key: 'hardness', value: 6 } }] },
    });
    assert.deepEqual(results.map((result) => result.id).sort(), ['basalt', 'granite']);
  });

  it('reranks the retrieved results and keeps numberOfRerankedResults', async () => {
    const seen: string[][] = [];
    const reranker: RerankingModel = {
      specificationVersion: 'outcrop.v1',
      provider: 'test',
      modelId: 'length',
      async rerank({ documents, topN }) {
        seen.push(documents);
        const results = documents.map((document, index) => ({ index, relevanceScore: document.includes('kind: sedimentary') ? 0.99 : 1 / document.length }));
        return { results: results.sort((left, right) => right.relevanceScore - left.relevanceScore).slice(0, topN) };
      },
    };
    const results = await retrieveChunks(knowledgeBases, {
      knowledgeBaseId: 'KBROCKS001',
      query: 'rock',
      numberOfResults: 4,
      reranking: { model: reranker, numberOfRerankedResults: 2, metadata: { mode: 'SELECTIVE', include: ['kind'] } },
    });
    assert.equal(results.length, 2);
    assert.equal(results[0]?.id, 'shale');
    assert.equal(results[0]?.score, 0.99);
    assert.equal(seen[0]?.length, 4);
    assert.ok(seen[0]?.every((document) => !document.includes('hardness')));
  });

  it('refuses out-of-range numberOfResults, empty queries and unknown knowledge bases', async () => {
    await assert.rejects(retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBROCKS001', query: 'rock', numberOfResults: 101 }), { name: 'ValidationException' });
    await assert.rejects(retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBROCKS001', query: '  ' }), { name: 'ValidationException' });
    await assert.rejects(retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBMISSING1', query: 'rock' }), { name: 'ResourceNotFoundException' });
  });
});

describe('retrieveChunks filters', () => {
  it('refuses a malformed filter with a ValidationException naming where it is', async () => {
    await assert.rejects(
      retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KBROCKS001', query: 'rock', filter: { in: { key: 'kind', value: 'igneous' } } }),
      (error: Error) => error.name === 'ValidationException' && /retrievalConfiguration\.vectorSearchConfiguration\.filter\.in/.test(error.message),
    );
  });
});
