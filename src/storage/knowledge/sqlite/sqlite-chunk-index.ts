import type BetterSqlite3 from 'better-sqlite3';
import { OutcropError } from '../../../core/errors.js';
import type { ChunkIndex, ChunkToIndex, EmbeddedText, ScoredChunk, SearchOptions, StoredChunk } from '../../../core/knowledge/index/chunk-index.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { checkChunks, checkDimensions, checkSearchOptions, checkVector, cosineSimilarity, keywordTerms, knowledgeBaseNotFound } from '../chunk-index-checks.js';
import { type ChunkColumns, type IndexInfo, storedChunkOf } from '../chunk-rows.js';
import { signBits } from '../sign-bits.js';
import { compileSqliteFilter, type SqlCondition } from './compile-sqlite-filter.js';

/** How many candidates the binary pass hands to exact rescoring, at least. */
const minimumCandidates = 400;
/** ... and per result asked for. */
const candidatesPerResult = 10;
/** ... and per this many chunks of the knowledge base (large bases need a wider net). */
const chunksPerCandidate = 250;
/** Knowledge bases of at most this many times the candidates are searched exactly. */
const exactSearchFactor = 5;
/** A filtered search first filters this many times as wide an unfiltered neighbourhood. */
const filteredOversampling = 8;

interface ChunkRow extends ChunkColumns {
  id: number;
  knowledge_base_id: string;
  location: string;
  metadata: string;
}

/**
 * The chunk index on SQLite. Chunks (text, attributes as JSON, parent span) live in one table;
 * each knowledge base has an FTS5 table (BM25, Porter stemming) and a table of sign-bit signatures of
 * its vectors; the float vectors sit in a table of their own. A vector search ranks the signatures
 * by Hamming distance with sqlite-vec (`vec_distance_hamming`), with the filter in the same query, then
 * rescores the best `max(400, 10k, chunks / 250)` candidates by exact cosine similarity (all of them
 * when the knowledge base holds at most five times that): a filter that leaves fewer
 * candidates than that is searched exactly. See docs/architecture.md ("Knowledge-base stores").
 *
 * Every call runs on the connection Kysely guards (`db.connection()`), so it never lands inside
 * another store's open transaction.
 */
export class SqliteChunkIndex implements ChunkIndex {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly indexes = new Map<string, IndexInfo>();
  /** chunks per knowledge base, counted on first search after a write */
  private readonly sizes = new Map<number, number>();

  constructor(
    private readonly database: SqlDatabase,
    private readonly sqlite: BetterSqlite3.Database,
  ) {}

  async createKnowledgeBase(knowledgeBaseId: string, dimensions: number): Promise<void> {
    checkDimensions(dimensions);
    return this.run(() => {
      const existing = this.info(knowledgeBaseId);
      if (existing) {
        if (existing.dimensions !== dimensions) {
          throw new OutcropError('ConflictException', `Knowledge base ${knowledgeBaseId} already stores vectors of ${existing.dimensions} dimensions, not ${dimensions}.`);
        }
        return;
      }
      this.sqlite.transaction(() => {
        const { lastInsertRowid } = this.statement('INSERT INTO knowledge_chunk_indexes (knowledge_base_id, dimensions) VALUES (?, ?)').run(knowledgeBaseId, dimensions);
        const number = Number(lastInsertRowid);
        this.sqlite.exec(`CREATE TABLE knowledge_signatures_${number} (id INTEGER PRIMARY KEY, signature BLOB NOT NULL)`);
        this.sqlite.exec(
          `CREATE VIRTUAL TABLE knowledge_fts_${number} USING fts5(text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`,
        );
      })();
      this.indexes.delete(knowledgeBaseId);
    });
  }

  async dropKnowledgeBase(knowledgeBaseId: string): Promise<void> {
    return this.run(() => {
      const info = this.info(knowledgeBaseId);
      if (!info) return;
      this.sqlite.transaction(() => {
        this.sqlite.prepare('DELETE FROM knowledge_chunk_vectors WHERE id IN (SELECT id FROM knowledge_chunks WHERE knowledge_base_id = ?)').run(knowledgeBaseId);
        this.sqlite.prepare('DELETE FROM knowledge_chunks WHERE knowledge_base_id = ?').run(knowledgeBaseId);
        this.sqlite.exec(`DROP TABLE knowledge_signatures_${info.number}`);
        this.sqlite.exec(`DROP TABLE knowledge_fts_${info.number}`);
        this.sqlite.prepare('DELETE FROM knowledge_chunk_indexes WHERE knowledge_base_id = ?').run(knowledgeBaseId);
      })();
      this.forget(info.number);
      this.indexes.delete(knowledgeBaseId);
    });
  }

  async replaceDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string, chunks: readonly ChunkToIndex[]): Promise<void> {
    return this.run(() => {
      const info = this.require(knowledgeBaseId);
      checkChunks(knowledgeBaseId, dataSourceId, documentId, chunks, info.dimensions);
      const insertChunk = this.statement(
        'INSERT INTO knowledge_chunks (knowledge_base_id, data_source_id, document_id, chunk_id, text, parent_id, parent_text, location, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const insertVector = this.statement('INSERT INTO knowledge_chunk_vectors (id, embedding) VALUES (?, ?)');
      const insertSignature = this.statement(`INSERT INTO knowledge_signatures_${info.number} (id, signature) VALUES (?, ?)`);
      const insertText = this.statement(`INSERT INTO knowledge_fts_${info.number} (rowid, text) VALUES (?, ?)`);
      this.sizes.delete(info.number);
      try {
        this.sqlite.transaction(() => {
          this.deleteWhere(info, 'knowledge_base_id = ? AND data_source_id = ? AND document_id = ?', [knowledgeBaseId, dataSourceId, documentId]);
          for (const chunk of chunks) {
            const { lastInsertRowid: id } = insertChunk.run(
              knowledgeBaseId,
              dataSourceId,
              documentId,
              chunk.id,
              chunk.text,
              chunk.parent?.id ?? null,
              chunk.parent?.text ?? null,
              JSON.stringify(chunk.location ?? {}),
              JSON.stringify(chunk.metadata ?? {}),
            );
            insertVector.run(id, Buffer.from(chunk.embedding.buffer, chunk.embedding.byteOffset, chunk.embedding.byteLength));
            insertSignature.run(id, signBits(chunk.embedding));
            insertText.run(id, chunk.text);
          }
        })();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new OutcropError('ConflictException', `A chunk id of document ${documentId} is already used by another document of knowledge base ${knowledgeBaseId}.`, { cause: error });
        }
        throw error;
      }
    });
  }

  async deleteDocuments(knowledgeBaseId: string, dataSourceId: string, documentIds: readonly string[]): Promise<void> {
    return this.run(() => {
      const info = this.info(knowledgeBaseId);
      if (!info || documentIds.length === 0) return;
      this.sqlite.transaction(() => {
        this.deleteWhere(info, 'knowledge_base_id = ? AND data_source_id = ? AND document_id IN (SELECT value FROM json_each(?))', [
          knowledgeBaseId,
          dataSourceId,
          JSON.stringify(documentIds),
        ]);
      })();
    });
  }

  async deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<void> {
    return this.run(() => {
      const info = this.info(knowledgeBaseId);
      if (!info) return;
      this.sqlite.transaction(() => this.deleteWhere(info, 'knowledge_base_id = ? AND data_source_id = ?', [knowledgeBaseId, dataSourceId]))();
    });
  }

  async searchVector(knowledgeBaseId: string, query: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    checkSearchOptions(options);
    return this.run(() => {
      const info = this.require(knowledgeBaseId);
      checkVector(query, info.dimensions, knowledgeBaseId, 'query vector');
      const condition = this.condition(knowledgeBaseId, options);
      const size = this.size(info);
      const wanted = Math.max(minimumCandidates, options.k * candidatesPerResult, Math.ceil(size / chunksPerCandidate));
      // a small knowledge base is cheaper to rescore whole: exact search
      const limit = size <= wanted * exactSearchFactor ? Math.max(size, 1) : wanted;
      const signatures = `knowledge_signatures_${info.number}`;
      const signature = signBits(query);
      const nearest = (count: number) =>
        this.statement(`SELECT id FROM ${signatures} ORDER BY vec_distance_hamming(vec_bit(signature), vec_bit(?)) LIMIT ?`).pluck().all(signature, count) as number[];
      let candidates: number[];
      if (!condition) candidates = nearest(limit);
      else {
        // first the filter over a wide unfiltered neighbourhood; when too few of it pass, the filter
        // is selective: rank every chunk that passes it instead
        const neighbourhood = nearest(limit * filteredOversampling);
        const passing = new Set(
          this.statement(`SELECT c.id FROM knowledge_chunks c WHERE c.id IN (SELECT value FROM json_each(?)) AND ${condition.sql}`)
            .pluck()
            .all(JSON.stringify(neighbourhood), ...condition.parameters) as number[],
        );
        // nearest first, at most `limit` of them
        candidates = neighbourhood.filter((id) => passing.has(id)).slice(0, limit);
        if (candidates.length < Math.max(options.k, limit / filteredOversampling) && neighbourhood.length === limit * filteredOversampling) {
          candidates = this.statement(
            `SELECT s.id FROM ${signatures} s JOIN knowledge_chunks c ON c.id = s.id WHERE ${condition.sql} ORDER BY vec_distance_hamming(vec_bit(s.signature), vec_bit(?)) LIMIT ?`,
          )
            .pluck()
            .all(...condition.parameters, signature, limit) as number[];
        }
      }
      if (candidates.length === 0) return [];
      const vectors = this.statement('SELECT id, embedding FROM knowledge_chunk_vectors WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(candidates)) as {
        id: number;
        embedding: Buffer;
      }[];
      const best = vectors
        .map((row) => ({ id: row.id, score: cosineSimilarity(query, toFloat32(row.embedding)) }))
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, options.k);
      return this.withChunks(best);
    });
  }

  async searchKeyword(knowledgeBaseId: string, query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    checkSearchOptions(options);
    return this.run(() => {
      const info = this.require(knowledgeBaseId);
      const terms = keywordTerms(query);
      if (terms.length === 0) return [];
      const match = terms.map((term) => `"${term}"`).join(' OR ');
      const condition = this.condition(knowledgeBaseId, options);
      const fts = `knowledge_fts_${info.number}`;
      const rows = this.statement(
        `SELECT f.rowid AS id, bm25(${fts}) AS rank FROM ${fts} f ${condition ? 'JOIN knowledge_chunks c ON c.id = f.rowid' : ''} WHERE ${fts} MATCH ? ${condition ? `AND ${condition.sql}` : ''} ORDER BY rank, f.rowid LIMIT ?`,
      ).all(match, ...(condition?.parameters ?? []), options.k) as { id: number; rank: number }[];
      return this.withChunks(rows.map((row) => ({ id: row.id, score: -row.rank })));
    });
  }

  async countChunks(knowledgeBaseId: string, documentId?: { dataSourceId: string; documentId: string }): Promise<number> {
    return this.run(() => {
      if (!documentId) return this.statement('SELECT count(*) FROM knowledge_chunks WHERE knowledge_base_id = ?').pluck().get(knowledgeBaseId) as number;
      return this.statement('SELECT count(*) FROM knowledge_chunks WHERE knowledge_base_id = ? AND data_source_id = ? AND document_id = ?')
        .pluck()
        .get(knowledgeBaseId, documentId.dataSourceId, documentId.documentId) as number;
    });
  }

  async documentEmbeddings(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<EmbeddedText[]> {
    return this.run(() => {
      const rows = this.statement(
        'SELECT c.text AS text, v.embedding AS embedding FROM knowledge_chunks c JOIN knowledge_chunk_vectors v ON v.id = c.id WHERE c.knowledge_base_id = ? AND c.data_source_id = ? AND c.document_id = ?',
      ).all(knowledgeBaseId, dataSourceId, documentId) as { text: string; embedding: Buffer }[];
      // a copy: the row's buffer may not be aligned for a Float32Array view
      return rows.map((row) => ({ text: row.text, embedding: new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength)) }));
    });
  }

  /** Runs synchronous work on the better-sqlite3 connection while Kysely's connection lock is held. */
  private run<T>(work: () => T): Promise<T> {
    return this.database.db.connection().execute(async () => work());
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Drops cached statements over a knowledge base's tables (their table names may be reused). */
  private forget(number: number): void {
    const table = new RegExp(`knowledge_(signatures|fts)_${number}\\b`);
    for (const sql of [...this.statements.keys()]) if (table.test(sql)) this.statements.delete(sql);
  }

  private info(knowledgeBaseId: string): IndexInfo | undefined {
    let info = this.indexes.get(knowledgeBaseId);
    if (!info) {
      info = this.statement('SELECT number, dimensions FROM knowledge_chunk_indexes WHERE knowledge_base_id = ?').get(knowledgeBaseId) as IndexInfo | undefined;
      if (info) this.indexes.set(knowledgeBaseId, info);
    }
    return info;
  }

  private size(info: IndexInfo): number {
    let size = this.sizes.get(info.number);
    if (size === undefined) {
      size = this.statement(`SELECT count(*) FROM knowledge_signatures_${info.number}`).pluck().get() as number;
      this.sizes.set(info.number, size);
    }
    return size;
  }

  private require(knowledgeBaseId: string): IndexInfo {
    const info = this.info(knowledgeBaseId);
    if (!info) throw knowledgeBaseNotFound(knowledgeBaseId);
    return info;
  }

  /** The search's restriction over chunk rows `c`, or none when it has none. */
  private condition(knowledgeBaseId: string, options: SearchOptions): SqlCondition | undefined {
    const parts: string[] = [];
    const parameters: unknown[] = [];
    if (options.dataSourceIds) {
      parts.push('c.knowledge_base_id = ? AND c.data_source_id IN (SELECT value FROM json_each(?))');
      parameters.push(knowledgeBaseId, JSON.stringify(options.dataSourceIds));
    }
    if (options.filter) {
      const filter = compileSqliteFilter(options.filter);
      parts.push(filter.sql);
      parameters.push(...filter.parameters);
    }
    return parts.length === 0 ? undefined : { sql: parts.join(' AND '), parameters };
  }

  /** Deletes the chunks matching `where` (over `knowledge_chunks`) with their vectors, signatures and text. */
  private deleteWhere(info: IndexInfo, where: string, parameters: unknown[]): void {
    this.sizes.delete(info.number);
    const ids = this.statement(`SELECT id FROM knowledge_chunks WHERE ${where}`).pluck().all(...parameters) as number[];
    if (ids.length === 0) return;
    const list = JSON.stringify(ids);
    this.statement(`DELETE FROM knowledge_fts_${info.number} WHERE rowid IN (SELECT value FROM json_each(?))`).run(list);
    this.statement(`DELETE FROM knowledge_signatures_${info.number} WHERE id IN (SELECT value FROM json_each(?))`).run(list);
    this.statement('DELETE FROM knowledge_chunk_vectors WHERE id IN (SELECT value FROM json_each(?))').run(list);
    this.statement('DELETE FROM knowledge_chunks WHERE id IN (SELECT value FROM json_each(?))').run(list);
  }

  private withChunks(scored: { id: number; score: number }[]): ScoredChunk[] {
    if (scored.length === 0) return [];
    const rows = this.statement('SELECT * FROM knowledge_chunks WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(scored.map((item) => item.id))) as ChunkRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return scored.flatMap((item) => {
      const row = byId.get(item.id);
      return row ? [{ chunk: toChunk(row), score: item.score }] : [];
    });
  }
}

function toFloat32(buffer: Buffer): Float32Array {
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Float32Array(copy.buffer);
}

function toChunk(row: ChunkRow): StoredChunk {
  return storedChunkOf(row, row.knowledge_base_id, JSON.parse(row.location) as Record<string, unknown>, JSON.parse(row.metadata) as StoredChunk['metadata']);
}
