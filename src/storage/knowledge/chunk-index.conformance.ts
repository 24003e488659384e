import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../core/errors.js';
import type { ChunkIndex, ChunkToIndex } from '../../core/knowledge/index/chunk-index.js';
import { matchesFilter } from '../../core/knowledge/index/matches-filter.js';
import type { MetadataJson, RetrievalFilter } from '../../core/knowledge/index/retrieval-filter.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { cosineSimilarity } from './chunk-index-checks.js';
import { type StoreBackend, storeBackendHooks } from '../../../test/support/store-backend-hooks.js';

/** An index on a fresh, empty database. */
export interface OpenedChunkIndex {
  index: ChunkIndex;
  close(): Promise<void>;
}

export type ChunkIndexBackend = StoreBackend<OpenedChunkIndex>;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomVector(random: () => number, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let index = 0; index < dimensions; index++) vector[index] = random() * 2 - 1;
  return vector;
}

function chunk(id: string, overrides: Partial<ChunkToIndex> & { embedding: Float32Array }): ChunkToIndex {
  return {
    id,
    knowledgeBaseId: 'KB00000001',
    dataSourceId: 'DS00000001',
    documentId: 'doc-1',
    text: `chunk ${id}`,
    location: { type: 'S3', s3Location: { uri: `s3://bucket/${overrides.documentId ?? 'doc-1'}` } },
    metadata: {},
    ...overrides,
  };
}

const keys = ['genre', 'year', 'tags', 'draft', 'title', 'a.b', 'x"y'] as const;
const strings = ['drama', 'comedy', 'Drama', 'docu-drama', '', 'café', '1994'];
const fragments = ['dr', 'ama', '', 'Dr', 'co', 'é', 'x'];
const numbers = [1989, 1994, 1994.5, 2001, -3, 0];

function randomScalar(random: () => number): string | number | boolean {
  const kind = random();
  if (kind < 0.5) return pick(random, strings);
  if (kind < 0.85) return pick(random, numbers);
  return random() < 0.5;
}

function randomMetadata(random: () => number): Record<string, MetadataJson> {
  const metadata: Record<string, MetadataJson> = {};
  for (const key of keys) {
    if (random() < 0.3) continue;
    const kind = random();
    if (kind < 0.2) metadata[key] = strings.filter(() => random() < 0.35);
    else metadata[key] = randomScalar(random);
  }
  return metadata;
}

function randomFilter(random: () => number, depth = 0): RetrievalFilter {
  const key = pick(random, keys);
  const operator = pick(random, depth < 2 ? ['andAll', 'orAll', 'leaf', 'leaf', 'leaf'] : ['leaf']);
  if (operator === 'andAll' || operator === 'orAll') {
    const members = Array.from({ length: 2 + Math.floor(random() * 3) }, () => randomFilter(random, depth + 1));
    return operator === 'andAll' ? { andAll: members } : { orAll: members };
  }
  switch (pick(random, ['equals', 'notEquals', 'greaterThan', 'greaterThanOrEquals', 'lessThan', 'lessThanOrEquals', 'in', 'notIn', 'startsWith', 'stringContains', 'listContains'])) {
    case 'equals':
      return { equals: { key, value: randomScalar(random) } };
    case 'notEquals':
      return { notEquals: { key, value: randomScalar(random) } };
    case 'greaterThan':
      return { greaterThan: { key, value: pick(random, numbers) } };
    case 'greaterThanOrEquals':
      return { greaterThanOrEquals: { key, value: pick(random, numbers) } };
    case 'lessThan':
      return { lessThan: { key, value: pick(random, numbers) } };
    case 'lessThanOrEquals':
      return { lessThanOrEquals: { key, value: pick(random, numbers) } };
    case 'in':
      return { in: { key, value: Array.from({ length: Math.floor(random() * 4) }, () => randomScalar(random)) } };
    case 'notIn':
      return { notIn: { key, value: Array.from({ length: Math.floor(random() * 4) }, () => randomScalar(random)) } };
    case 'startsWith':
      return { startsWith: { key, value: pick(random, fragments) } };
    case 'stringContains':
      return { stringContains: { key, value: pick(random, fragments) } };
    default:
      return { listContains: { key, value: randomScalar(random) } };
  }
}

function ids(results: { chunk: { id: string } }[]): string[] {
  return results.map((result) => result.chunk.id);
}

function isError(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(OutcropError.isInstance(error), `expected an OutcropError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

/** The behaviour every `ChunkIndex` backend must show; each backend's test file runs it. */
export function runChunkIndexConformance(backend: ChunkIndexBackend): void {
  describe(`ChunkIndex conformance: ${backend.name}`, () => {
    const stores = storeBackendHooks(backend);
    const open = async () => (await stores.open()).index;

    it('keeps knowledge bases of different dimensions apart and rejects vectors of the wrong size', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 8);
      await index.createKnowledgeBase('KB00000001', 8);
      await index.createKnowledgeBase('KB00000002', 12);
      await assert.rejects(index.createKnowledgeBase('KB00000001', 16), isError('ConflictException', /8 dimensions/));
      const random = seededRandom(1);
      await index.replaceDocument('KB00000001', 'DS00000001', 'doc-1', [chunk('a', { embedding: randomVector(random, 8) })]);
      await index.replaceDocument('KB00000002', 'DS00000001', 'doc-1', [
        chunk('a', { knowledgeBaseId: 'KB00000002', embedding: randomVector(random, 12) }),
        chunk('b', { knowledgeBaseId: 'KB00000002', embedding: randomVector(random, 12) }),
      ]);
      assert.equal(await index.countChunks('KB00000001'), 1);
      assert.equal(await index.countChunks('KB00000002'), 2);
      assert.deepEqual(ids(await index.searchVector('KB00000002', randomVector(random, 12), { k: 5 })).sort(), ['a', 'b']);
      await assert.rejects(
        index.replaceDocument('KB00000001', 'DS00000001', 'doc-2', [chunk('c', { documentId: 'doc-2', embedding: randomVector(random, 12) })]),
        isError('ValidationException', /12 dimensions.*8 dimensions/),
      );
      await assert.rejects(index.searchVector('KB00000002', randomVector(random, 8), { k: 5 }), isError('ValidationException', /8 dimensions/));
      await assert.rejects(index.searchVector('KB00000404', randomVector(random, 8), { k: 5 }), isError('ResourceNotFoundException', /KB00000404/));
      await assert.rejects(index.searchKeyword('KB00000404', 'chunk', { k: 5 }), isError('ResourceNotFoundException'));
      await assert.rejects(
        index.replaceDocument('KB00000404', 'DS00000001', 'doc-1', [chunk('a', { knowledgeBaseId: 'KB00000404', embedding: randomVector(random, 8) })]),
        isError('ResourceNotFoundException'),
      );
      await assert.rejects(index.searchVector('KB00000001', randomVector(random, 8), { k: 0 }), isError('ValidationException'));
      await assert.rejects(index.searchVector('KB00000001', randomVector(random, 8), { k: 3, filter: { in: { key: 'genre', value: 'drama' } } as RetrievalFilter }), isError('ValidationException', /list/));
      await assert.rejects(index.createKnowledgeBase('KB00000003', 0), isError('ValidationException'));
      const nan = randomVector(random, 8);
      nan[3] = Number.NaN;
      await assert.rejects(index.replaceDocument('KB00000001', 'DS00000001', 'doc-1', [chunk('n', { embedding: nan })]), isError('ValidationException', /finite/));
    });

    it('returns the k nearest chunks by cosine similarity, best first, with everything stored', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 16);
      const random = seededRandom(2);
      const chunks = Array.from({ length: 60 }, (_, n) =>
        chunk(`c${n}`, {
          documentId: `doc-${n % 6}`,
          embedding: randomVector(random, 16),
          metadata: { n, 'x-amz-bedrock-kb-source-uri': `s3://bucket/doc-${n % 6}` },
          location: { type: 'S3', s3Location: { uri: `s3://bucket/doc-${n % 6}` } },
        }),
      );
      for (let document = 0; document < 6; document++) {
        await index.replaceDocument('KB00000001', 'DS00000001', `doc-${document}`, chunks.filter((item) => item.documentId === `doc-${document}`));
      }
      for (let round = 0; round < 5; round++) {
        const query = randomVector(random, 16);
        const expected = chunks
          .map((item) => ({ id: item.id, score: cosineSimilarity(query, item.embedding) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 7);
        const results = await index.searchVector('KB00000001', query, { k: 7 });
        assert.deepEqual(ids(results), expected.map((item) => item.id));
        results.forEach((result, position) => {
          assert.ok(Math.abs(result.score - expected[position]!.score) < 1e-4);
        });
      }
      const [first] = await index.searchVector('KB00000001', chunks[5]!.embedding, { k: 1 });
      const { embedding: _embedding, ...stored } = chunks[5]!;
      assert.deepEqual(first?.chunk, stored);
      assert.ok(Math.abs(first!.score - 1) < 1e-5);
    });

    it('evaluates every filter operator inside the store exactly as matchesFilter does', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 4);
      const random = seededRandom(3);
      const chunks = Array.from({ length: 80 }, (_, n) =>
        chunk(`c${n}`, { documentId: `doc-${n % 8}`, text: `common words ${n}`, embedding: randomVector(random, 4), metadata: randomMetadata(random) }),
      );
      for (let document = 0; document < 8; document++) {
        await index.replaceDocument('KB00000001', 'DS00000001', `doc-${document}`, chunks.filter((item) => item.documentId === `doc-${document}`));
      }
      for (let round = 0; round < 250; round++) {
        const filter = randomFilter(random);
        const expected = chunks.filter((item) => matchesFilter(item.metadata, filter)).map((item) => item.id).sort();
        const byVector = ids(await index.searchVector('KB00000001', randomVector(random, 4), { k: 200, filter })).sort();
        assert.deepEqual(byVector, expected, `vector search, filter ${JSON.stringify(filter)}`);
        if (round % 5 === 0) {
          const byKeyword = ids(await index.searchKeyword('KB00000001', 'common', { k: 200, filter })).sort();
          assert.deepEqual(byKeyword, expected, `keyword search, filter ${JSON.stringify(filter)}`);
        }
      }
    });

    it('applies the filter before counting k, so a selective filter still returns k matches', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 32);
      const random = seededRandom(4);
      const chunks = Array.from({ length: 1200 }, (_, n) =>
        chunk(`c${n}`, { documentId: `doc-${n % 12}`, text: `report number ${n}`, embedding: randomVector(random, 32), metadata: { rare: n % 97 === 0, bucket: n % 3 } }),
      );
      for (let document = 0; document < 12; document++) {
        await index.replaceDocument('KB00000001', 'DS00000001', `doc-${document}`, chunks.filter((item) => item.documentId === `doc-${document}`));
      }
      const filter: RetrievalFilter = { equals: { key: 'rare', value: true } };
      const matching = chunks.filter((item) => matchesFilter(item.metadata, filter));
      assert.equal(matching.length, 13);
      const query = randomVector(random, 32);
      const expected = matching
        .map((item) => ({ id: item.id, score: cosineSimilarity(query, item.embedding) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10)
        .map((item) => item.id);
      assert.deepEqual(ids(await index.searchVector('KB00000001', query, { k: 10, filter })), expected);
      const keyword = await index.searchKeyword('KB00000001', 'report', { k: 10, filter });
      assert.equal(keyword.length, 10);
      assert.ok(keyword.every((result) => result.chunk.metadata.rare === true));
      const broad: RetrievalFilter = { andAll: [{ equals: { key: 'bucket', value: 1 } }, { notEquals: { key: 'rare', value: true } }] };
      const broadResults = await index.searchVector('KB00000001', query, { k: 25, filter: broad });
      assert.equal(broadResults.length, 25);
      assert.ok(broadResults.every((result) => matchesFilter(result.chunk.metadata, broad)));
    });

    it('ranks keyword matches by relevance and restricts any search to the data sources asked for', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 4);
      const random = seededRandom(5);
      const texts: Record<string, string> = {
        both: 'Solar panels convert sunlight into electricity; solar panel efficiency keeps rising.',
        one: 'The panel discussed the budget for next year.',
        none: 'Wind turbines work at night as well.',
        other: 'Solar panels on the roof of the other data source.',
      };
      for (const [id, text] of Object.entries(texts)) {
        const dataSourceId = id === 'other' ? 'DS00000002' : 'DS00000001';
        await index.replaceDocument('KB00000001', dataSourceId, id, [chunk(id, { dataSourceId, documentId: id, text, embedding: randomVector(random, 4) })]);
      }
      const results = await index.searchKeyword('KB00000001', 'solar panels?', { k: 10, dataSourceIds: ['DS00000001'] });
      assert.deepEqual(ids(results), ['both', 'one']);
      assert.ok(results[0]!.score > results[1]!.score && results[1]!.score > 0);
      assert.deepEqual(ids(await index.searchKeyword('KB00000001', 'SOLAR', { k: 10 })).sort(), ['both', 'other']);
      assert.deepEqual(await index.searchKeyword('KB00000001', '  ?!  ', { k: 10 }), []);
      assert.deepEqual(await index.searchKeyword('KB00000001', 'zeppelin "OR" NEAR(', { k: 10 }), []);
      assert.deepEqual(ids(await index.searchVector('KB00000001', randomVector(random, 4), { k: 10, dataSourceIds: ['DS00000002'] })), ['other']);
      assert.deepEqual(await index.searchVector('KB00000001', randomVector(random, 4), { k: 10, dataSourceIds: [] }), []);
    });

    it('replaces a document atomically: a failing write leaves the old chunks searchable', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 4);
      const random = seededRandom(6);
      const old = [chunk('a1', { documentId: 'a', text: 'original alpha text', embedding: randomVector(random, 4) }), chunk('a2', { documentId: 'a', text: 'original beta', embedding: randomVector(random, 4) })];
      await index.replaceDocument('KB00000001', 'DS00000001', 'a', old);
      await index.replaceDocument('KB00000001', 'DS00000001', 'b', [chunk('b1', { documentId: 'b', embedding: randomVector(random, 4) })]);
      // the third chunk's id belongs to document b: the insert fails after two new chunks were written
      const failing = [
        chunk('a3', { documentId: 'a', text: 'replacement one', embedding: randomVector(random, 4) }),
        chunk('a4', { documentId: 'a', text: 'replacement two', embedding: randomVector(random, 4) }),
        chunk('b1', { documentId: 'a', text: 'replacement three', embedding: randomVector(random, 4) }),
      ];
      await assert.rejects(index.replaceDocument('KB00000001', 'DS00000001', 'a', failing), isError('ConflictException', /b1|chunk id/));
      assert.equal(await index.countChunks('KB00000001', { dataSourceId: 'DS00000001', documentId: 'a' }), 2);
      assert.deepEqual(ids(await index.searchKeyword('KB00000001', 'original', { k: 10 })).sort(), ['a1', 'a2']);
      assert.deepEqual(await index.searchKeyword('KB00000001', 'replacement', { k: 10 }), []);
      assert.deepEqual(ids(await index.searchVector('KB00000001', old[0]!.embedding, { k: 1 })), ['a1']);
      await index.replaceDocument('KB00000001', 'DS00000001', 'a', failing.slice(0, 2));
      assert.deepEqual(ids(await index.searchKeyword('KB00000001', 'replacement original', { k: 10 })).sort(), ['a3', 'a4']);
      await index.replaceDocument('KB00000001', 'DS00000001', 'a', []);
      assert.equal(await index.countChunks('KB00000001'), 1);
    });

    it("returns one document's texts with their exact vectors, for re-embedding only what changed", async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 8);
      assert.ok(index.documentEmbeddings, 'the store reads stored vectors back');
      const random = seededRandom(9);
      const stored = [
        chunk('e1', { documentId: 'e', text: 'first paragraph, with "quotes" and café', embedding: randomVector(random, 8) }),
        chunk('e2', { documentId: 'e', text: 'second paragraph', embedding: Float32Array.from([0.1, -1e-7, 3.4028234663852886e38, 1 / 3, -0.25, 0, 2 ** -20, 0.7]) }),
      ];
      await index.replaceDocument('KB00000001', 'DS00000001', 'e', stored);
      await index.replaceDocument('KB00000001', 'DS00000001', 'f', [chunk('f1', { documentId: 'f', text: 'another document', embedding: randomVector(random, 8) })]);
      await index.replaceDocument('KB00000001', 'DS00000002', 'e', [chunk('g1', { documentId: 'e', dataSourceId: 'DS00000002', text: 'same id, other source', embedding: randomVector(random, 8) })]);
      const read = await index.documentEmbeddings('KB00000001', 'DS00000001', 'e');
      assert.deepEqual(
        read.map((entry) => ({ text: entry.text, embedding: Array.from(entry.embedding) })).sort((a, b) => a.text.localeCompare(b.text)),
        stored.map((entry) => ({ text: entry.text, embedding: Array.from(entry.embedding) })).sort((a, b) => a.text.localeCompare(b.text)),
      );
      assert.ok(read.every((entry) => entry.embedding instanceof Float32Array));
      assert.deepEqual(await index.documentEmbeddings('KB00000001', 'DS00000001', 'missing'), []);
      assert.deepEqual(await index.documentEmbeddings('KB00000009', 'DS00000001', 'e'), []);
    });

    it('returns the shared parent of hierarchical children', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 4);
      const random = seededRandom(7);
      const parent = { id: 'p1', text: 'The whole parent section about tides and the moon.' };
      await index.replaceDocument('KB00000001', 'DS00000001', 'doc-1', [
        chunk('child-1', { text: 'tides', parent, embedding: randomVector(random, 4) }),
        chunk('child-2', { text: 'the moon', parent, embedding: randomVector(random, 4) }),
        chunk('flat', { text: 'no parent here', embedding: randomVector(random, 4) }),
      ]);
      const results = await index.searchVector('KB00000001', randomVector(random, 4), { k: 3 });
      const byId = new Map(results.map((result) => [result.chunk.id, result.chunk]));
      assert.deepEqual(byId.get('child-1')?.parent, parent);
      assert.deepEqual(byId.get('child-2')?.parent, parent);
      assert.equal(byId.get('flat')?.parent, undefined);
    });

    it('deletes documents, data sources and whole knowledge bases', async () => {
      const index = await open();
      await index.createKnowledgeBase('KB00000001', 4);
      await index.createKnowledgeBase('KB00000002', 4);
      const random = seededRandom(8);
      for (const knowledgeBaseId of ['KB00000001', 'KB00000002']) {
        for (const dataSourceId of ['DS00000001', 'DS00000002']) {
          for (const documentId of ['x', 'y', 'z']) {
            await index.replaceDocument(knowledgeBaseId, dataSourceId, documentId, [
              chunk(`${dataSourceId}-${documentId}-1`, { knowledgeBaseId, dataSourceId, documentId, text: 'shared words', embedding: randomVector(random, 4) }),
              chunk(`${dataSourceId}-${documentId}-2`, { knowledgeBaseId, dataSourceId, documentId, text: 'shared words', embedding: randomVector(random, 4) }),
            ]);
          }
        }
      }
      assert.equal(await index.countChunks('KB00000001'), 12);
      await index.deleteDocuments('KB00000001', 'DS00000001', ['x', 'y', 'missing']);
      assert.equal(await index.countChunks('KB00000001'), 8);
      assert.equal(await index.countChunks('KB00000001', { dataSourceId: 'DS00000001', documentId: 'x' }), 0);
      assert.equal(await index.countChunks('KB00000001', { dataSourceId: 'DS00000002', documentId: 'x' }), 2);
      await index.deleteDataSource('KB00000001', 'DS00000002');
      assert.deepEqual(ids(await index.searchKeyword('KB00000001', 'shared', { k: 50 })).sort(), ['DS00000001-z-1', 'DS00000001-z-2']);
      assert.equal((await index.searchVector('KB00000001', randomVector(random, 4), { k: 50 })).length, 2);
      await index.dropKnowledgeBase('KB00000001');
      await index.dropKnowledgeBase('KB00000001');
      assert.equal(await index.countChunks('KB00000001'), 0);
      await assert.rejects(index.searchVector('KB00000001', randomVector(random, 4), { k: 5 }), isError('ResourceNotFoundException'));
      assert.equal(await index.countChunks('KB00000002'), 12);
      assert.equal((await index.searchKeyword('KB00000002', 'shared', { k: 50 })).length, 12);
      await index.createKnowledgeBase('KB00000001', 6);
      assert.equal(await index.countChunks('KB00000001'), 0);
      assert.deepEqual(await index.searchVector('KB00000001', randomVector(random, 6), { k: 5 }), []);
    });
  });
}
