import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChunkIndex, ChunkToIndex } from '../../../core/knowledge/index/chunk-index.js';
import { matchesFilter } from '../../../core/knowledge/index/matches-filter.js';
import type { RetrievalFilter } from '../../../core/knowledge/index/retrieval-filter.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { openSqliteDatabase } from '../../sql/sqlite/open-sqlite-database.js';
import { seededRandom } from '../../../../test/support/seeded-random.js';
import { cosineSimilarity } from '../chunk-index-checks.js';
import { openKnowledgeStores } from '../open-knowledge-stores.js';

// Past a few thousand chunks the SQLite index stops searching exactly: candidates by signature
// Hamming distance, rescored exactly. These cases reach those paths (the shared suite's small
// knowledge bases are searched exactly).
const dimensions = 96;
const count = 12_000;

describe('SqliteChunkIndex on a knowledge base large enough for the approximate paths', () => {
  let directory: string;
  let database: SqlDatabase;
  let index: ChunkIndex;
  const chunks: ChunkToIndex[] = [];
  const random = seededRandom(42);
  const gaussian = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: 60 }, () => Float32Array.from({ length: dimensions }, gaussian));
  const near = (centre: Float32Array) => Float32Array.from(centre, (value) => value + 0.9 * gaussian());

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'outcrop-knowledge-large-'));
    database = openSqliteDatabase({ path: join(directory, 'outcrop.db') });
    index = (await openKnowledgeStores(database)).index;
    await index.createKnowledgeBase('KB00000001', dimensions);
    for (let n = 0; n < count; n++) {
      chunks.push({
        id: `c${n}`,
        knowledgeBaseId: 'KB00000001',
        dataSourceId: 'DS00000001',
        documentId: `doc-${Math.floor(n / 500)}`,
        text: `chunk ${n}`,
        location: {},
        metadata: { group: Math.floor(n / centres.length) % 3, rare: n % 400 === 0 },
        embedding: near(centres[n % centres.length]!),
      });
    }
    for (let document = 0; document < count / 500; document++) {
      await index.replaceDocument('KB00000001', 'DS00000001', `doc-${document}`, chunks.slice(document * 500, (document + 1) * 500));
    }
  });

  after(async () => {
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function exact(query: Float32Array, k: number, filter?: RetrievalFilter): string[] {
    return chunks
      .filter((chunk) => !filter || matchesFilter(chunk.metadata, filter))
      .map((chunk) => ({ id: chunk.id, score: cosineSimilarity(query, chunk.embedding) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map((item) => item.id);
  }

  async function recall(k: number, filter?: RetrievalFilter): Promise<number> {
    let found = 0;
    for (let round = 0; round < 20; round++) {
      const query = near(centres[(round * 7) % centres.length]!);
      const results = await index.searchVector('KB00000001', query, { k, ...(filter ? { filter } : {}) });
      assert.equal(results.length, k);
      if (filter) assert.ok(results.every((result) => matchesFilter(result.chunk.metadata, filter)));
      const expected = new Set(exact(query, k, filter));
      found += results.filter((result) => expected.has(result.chunk.id)).length;
    }
    return found / (20 * k);
  }

  it('finds nearly all of the exact top 10 without a filter', async () => {
    assert.ok((await recall(10)) >= 0.9);
  });

  it('finds nearly all of the exact top 10 under a broad filter, every result passing it', async () => {
    assert.ok((await recall(10, { equals: { key: 'group', value: 1 } })) >= 0.9);
  });

  it('answers a selective filter exactly, even when its chunks lie outside the neighbourhood', async () => {
    const filter: RetrievalFilter = { equals: { key: 'rare', value: true } };
    for (let round = 0; round < 5; round++) {
      const query = near(centres[round * 3 + 1]!);
      const results = await index.searchVector('KB00000001', query, { k: 10, filter });
      assert.deepEqual(
        results.map((result) => result.chunk.id),
        exact(query, 10, filter),
      );
    }
  });
});
