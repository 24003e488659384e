import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredChunk } from '../index/chunk-index.js';
import { collapseToParents } from './collapse-to-parents.js';

function chunk(id: string, text: string, parent?: { id: string; text: string }): StoredChunk {
  return {
    id,
    knowledgeBaseId: 'KB00000001',
    dataSourceId: 'DS00000001',
    documentId: 'doc',
    text,
    ...(parent ? { parent } : {}),
    location: { type: 'CUSTOM', customDocumentLocation: { id: 'doc' } },
    metadata: { 'x-amz-bedrock-kb-chunk-id': id, topic: 'rocks' },
  };
}

describe('collapseToParents', () => {
  it('returns the parent in place of its children, once, at the best child position and score', () => {
    const parent = { id: 'p1', text: 'Granite is igneous. Basalt is volcanic.' };
    const results = collapseToParents([
      { chunk: chunk('c1', 'Granite is igneous.', parent), score: 0.9 },
      { chunk: chunk('x', 'Shale is sedimentary.'), score: 0.8 },
      { chunk: chunk('c2', 'Basalt is volcanic.', parent), score: 0.7 },
    ]);
    assert.deepEqual(
      results.map((result) => [result.id, result.text, result.score]),
      [
        ['p1', parent.text, 0.9],
        ['x', 'Shale is sedimentary.', 0.8],
      ],
    );
    assert.equal(results[0]?.metadata['x-amz-bedrock-kb-chunk-id'], 'p1');
    assert.equal(results[0]?.metadata.topic, 'rocks');
  });

  it('merges repeated flat chunks and keeps their own text', () => {
    const results = collapseToParents([
      { chunk: chunk('a', 'one'), score: 0.5 },
      { chunk: chunk('a', 'one'), score: 0.4 },
      { chunk: chunk('b', 'two'), score: 0.3 },
    ]);
    assert.deepEqual(
      results.map((result) => [result.id, result.text, result.score]),
      [
        ['a', 'one', 0.5],
        ['b', 'two', 0.3],
      ],
    );
  });
});
