import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryChunkIndex, hashEmbeddingModel } from '../../../../test/support/memory-knowledge-stores.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import { embedChunks } from './embed-chunks.js';

const stored = (text: string, embedding: Float32Array) => ({
  id: text,
  knowledgeBaseId: 'KB00000001',
  dataSourceId: 'DS00000001',
  documentId: 'doc',
  text,
  location: {},
  metadata: {},
  embedding,
});

async function setup() {
  const index = new MemoryChunkIndex();
  await index.createKnowledgeBase('KB00000001', 4);
  await index.replaceDocument('KB00000001', 'DS00000001', 'doc', [stored('kept text', Float32Array.from([1, 0, 0, 0])), stored('old text', Float32Array.from([0, 1, 0, 0]))]);
  const model = hashEmbeddingModel(4);
  return { index, model, embedding: { knowledgeBaseId: 'KB00000001', dataSourceId: 'DS00000001', dimensions: 4, index, embeddingModel: model } };
}

describe('embedChunks', () => {
  it('keeps the stored vector of unchanged text and embeds the rest in order', async () => {
    const { model, embedding } = await setup();
    const { vectors, embedded } = await embedChunks(['new text', 'kept text', 'other new text'], undefined, embedding, 'doc', { reuseStored: true });
    assert.equal(embedded, 2);
    assert.deepEqual(model.embedded, ['new text', 'other new text']);
    assert.deepEqual(Array.from(vectors[1] as Float32Array), [1, 0, 0, 0]);
    assert.equal(vectors.length, 3);
    assert.ok(vectors.every((vector) => vector instanceof Float32Array && vector.length === 4));
  });

  it('embeds everything without reuseStored, with the attribute prefix, or when the index cannot read vectors back', async () => {
    const { model, embedding, index } = await setup();
    assert.equal((await embedChunks(['kept text'], undefined, embedding, 'doc')).embedded, 1);
    const metadata = { site: { value: { type: 'STRING' as const, value: 'north' }, includeForEmbedding: true } };
    await embedChunks(['kept text', 'fresh'], metadata, embedding, 'doc', { reuseStored: true });
    assert.deepEqual(model.embedded.slice(1), ['site: north\n\nfresh'], 'reuse is by chunk text; the caller decides whether the prefix allows it');
    // an index that cannot read vectors back (the method is optional)
    const withoutRead = Object.create(index) as ChunkIndex;
    withoutRead.documentEmbeddings = undefined;
    assert.equal((await embedChunks(['kept text'], undefined, { ...embedding, index: withoutRead }, 'doc', { reuseStored: true })).embedded, 1);
  });

  it('ignores stored vectors of another size', async () => {
    const { embedding } = await setup();
    const { embedded } = await embedChunks(['kept text'], undefined, { ...embedding, dimensions: 8, embeddingModel: hashEmbeddingModel(8) }, 'doc', { reuseStored: true });
    assert.equal(embedded, 1);
  });
});
