import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { OutcropError } from '../../../core/errors.js';
import type { ChunkIndex, ChunkToIndex, EmbeddedText, ScoredChunk, SearchOptions, StoredChunk } from '../../../core/knowledge/index/chunk-index.js';
import { isUniqueViolation } from '../../sql/migrate.js';
import { checkChunks, checkDimensions, checkSearchOptions, checkVector, keywordTerms, knowledgeBaseNotFound } from '../chunk-index-checks.js';
import { type ChunkColumns, type IndexInfo, storedChunkOf } from '../chunk-rows.js';
import { compilePostgresFilter } from './compile-postgres-filter.js';

/** pgvector indexes `vector` columns of at most this many dimensions with HNSW. */
const maximumIndexedDimensions = 2000;
/** A filtered search that leaves at most max(this, 20k) chunks is answered by exact search. */
const exactSearchThreshold = 2000;
/** HNSW's candidate list: max(this, 4k). */
const minimumEfSearch = 100;
/** Rows per INSERT statement (PostgreSQL allows 65,535 parameters). */
const insertBatch = 500;

interface ChunkRow extends ChunkColumns {
  id: string | number;
  location: Record<string, unknown>;
  metadata: StoredChunk['metadata'];
  score: number | string | null;
}

type Database = Kysely<object> | Transaction<object>;

/**
 * The chunk index on PostgreSQL: one table per knowledge base (`knowledge_chunks_<number>`) with a
 * `vector(<dimensions>)` column under an HNSW index (cosine), a generated `tsvector` (English
 * stemming) under a GIN index, and the attributes as `jsonb`. Vector search runs HNSW with
 * pgvector 0.8's strict-order iterative scan; a filter that leaves few chunks (counted up to a
 * threshold) is searched exactly, as is any search HNSW answers with fewer than k results. Keyword
 * search ranks with `ts_rank`.
 */
export class PostgresChunkIndex implements ChunkIndex {
  private readonly indexes = new Map<string, IndexInfo>();

  constructor(private readonly db: Kysely<object>) {}

  async createKnowledgeBase(knowledgeBaseId: string, dimensions: number): Promise<void> {
    checkDimensions(dimensions);
    const existing = await this.info(knowledgeBaseId);
    if (existing) {
      if (existing.dimensions !== dimensions) {
        throw new OutcropError('ConflictException', `Knowledge base ${knowledgeBaseId} already stores vectors of ${existing.dimensions} dimensions, not ${dimensions}.`);
      }
      return;
    }
    try {
      await this.db.transaction().execute(async (transaction) => {
        const { rows } = await sql<{ number: number }>`INSERT INTO knowledge_chunk_indexes (knowledge_base_id, dimensions) VALUES (${knowledgeBaseId}, ${dimensions}) RETURNING number`.execute(
          transaction,
        );
        const table = tableName(rows[0]!.number);
        await sql`CREATE TABLE ${sql.table(table)} (
          id bigserial PRIMARY KEY,
          data_source_id text NOT NULL,
          document_id text NOT NULL,
          chunk_id text NOT NULL UNIQUE,
          text text NOT NULL,
          parent_id text,
          parent_text text,
          location jsonb NOT NULL,
          metadata jsonb NOT NULL,
          embedding vector(${sql.raw(String(dimensions))}) NOT NULL,
          text_search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
        )`.execute(transaction);
        await sql`CREATE INDEX ${sql.id(`${table}_document`)} ON ${sql.table(table)} (data_source_id, document_id)`.execute(transaction);
        await sql`CREATE INDEX ${sql.id(`${table}_text`)} ON ${sql.table(table)} USING gin (text_search)`.execute(transaction);
        if (dimensions <= maximumIndexedDimensions) {
          await sql`CREATE INDEX ${sql.id(`${table}_embedding`)} ON ${sql.table(table)} USING hnsw (embedding vector_cosine_ops)`.execute(transaction);
        }
      });
    } catch (error) {
      // another server created it first
      if (isUniqueViolation(error)) return this.createKnowledgeBase(knowledgeBaseId, dimensions);
      throw error;
    }
  }

  async dropKnowledgeBase(knowledgeBaseId: string): Promise<void> {
    const info = await this.info(knowledgeBaseId);
    if (!info) return;
    await this.db.transaction().execute(async (transaction) => {
      await sql`DROP TABLE IF EXISTS ${sql.table(tableName(info.number))}`.execute(transaction);
      await sql`DELETE FROM knowledge_chunk_indexes WHERE knowledge_base_id = ${knowledgeBaseId}`.execute(transaction);
    });
    this.indexes.delete(knowledgeBaseId);
  }

  async replaceDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string, chunks: readonly ChunkToIndex[]): Promise<void> {
    const info = await this.require(knowledgeBaseId);
    checkChunks(knowledgeBaseId, dataSourceId, documentId, chunks, info.dimensions);
    const table = sql.table(tableName(info.number));
    try {
      await this.db.transaction().execute(async (transaction) => {
        await sql`DELETE FROM ${table} WHERE data_source_id = ${dataSourceId} AND document_id = ${documentId}`.execute(transaction);
        for (let start = 0; start < chunks.length; start += insertBatch) {
          const rows = chunks.slice(start, start + insertBatch).map(
            (chunk) =>
              sql`(${dataSourceId}, ${documentId}, ${chunk.id}, ${chunk.text}, ${chunk.parent?.id ?? null}, ${chunk.parent?.text ?? null}, ${JSON.stringify(chunk.location ?? {})}::jsonb, ${JSON.stringify(chunk.metadata ?? {})}::jsonb, ${vectorLiteral(chunk.embedding)}::vector)`,
          );
          await sql`INSERT INTO ${table} (data_source_id, document_id, chunk_id, text, parent_id, parent_text, location, metadata, embedding) VALUES ${sql.join(rows)}`.execute(transaction);
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new OutcropError('ConflictException', `A chunk id of document ${documentId} is already used by another document of knowledge base ${knowledgeBaseId}.`, { cause: error });
      }
      throw error;
    }
  }

  async deleteDocuments(knowledgeBaseId: string, dataSourceId: string, documentIds: readonly string[]): Promise<void> {
    const info = await this.info(knowledgeBaseId);
    if (!info || documentIds.length === 0) return;
    await sql`DELETE FROM ${sql.table(tableName(info.number))} WHERE data_source_id = ${dataSourceId} AND document_id = ANY(${[...documentIds]}::text[])`.execute(this.db);
  }

  async deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<void> {
    const info = await this.info(knowledgeBaseId);
    if (!info) return;
    await sql`DELETE FROM ${sql.table(tableName(info.number))} WHERE data_source_id = ${dataSourceId}`.execute(this.db);
  }

  async searchVector(knowledgeBaseId: string, query: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    checkSearchOptions(options);
    const info = await this.require(knowledgeBaseId);
    checkVector(query, info.dimensions, knowledgeBaseId, 'query vector');
    const table = sql.table(tableName(info.number));
    const where = condition(options);
    const vector = vectorLiteral(query);
    const select = (distance: RawBuilder<unknown>, database: Database) =>
      sql<ChunkRow>`SELECT ${columns}, 1 - (embedding <=> ${vector}::vector) AS score FROM ${table} c WHERE ${where} ORDER BY ${distance}, c.id LIMIT ${options.k}`
        .execute(database)
        .then((result) => result.rows);
    const exact = () => select(sql`(embedding <=> ${vector}::vector) + 0`, this.db);
    if (info.dimensions > maximumIndexedDimensions) return toScored(await exact(), knowledgeBaseId);
    if (options.filter || options.dataSourceIds) {
      const threshold = Math.max(exactSearchThreshold, options.k * 20);
      const { rows } = await sql<{ count: string | number }>`SELECT count(*) AS count FROM (SELECT 1 FROM ${table} c WHERE ${where} LIMIT ${threshold + 1}) AS matching`.execute(this.db);
      if (Number(rows[0]?.count ?? 0) <= threshold) return toScored(await exact(), knowledgeBaseId);
    }
    const approximate = await this.db.transaction().execute(async (transaction) => {
      await sql`SELECT set_config('hnsw.ef_search', ${String(Math.min(1000, Math.max(minimumEfSearch, options.k * 4)))}, true), set_config('hnsw.iterative_scan', 'strict_order', true)`.execute(
        transaction,
      );
      return select(sql`embedding <=> ${vector}::vector`, transaction);
    });
    return toScored(approximate.length < options.k ? await exact() : approximate, knowledgeBaseId);
  }

  async searchKeyword(knowledgeBaseId: string, query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    checkSearchOptions(options);
    const info = await this.require(knowledgeBaseId);
    const terms = keywordTerms(query);
    if (terms.length === 0) return [];
    const table = sql.table(tableName(info.number));
    const { rows } = await sql<ChunkRow>`SELECT ${columns}, ts_rank(c.text_search, query) AS score
      FROM ${table} c, to_tsquery('english', ${terms.join(' | ')}) AS query
      WHERE c.text_search @@ query AND ${condition(options)}
      ORDER BY score DESC, c.id LIMIT ${options.k}`.execute(this.db);
    return toScored(rows, knowledgeBaseId);
  }

  async countChunks(knowledgeBaseId: string, documentId?: { dataSourceId: string; documentId: string }): Promise<number> {
    const info = await this.info(knowledgeBaseId);
    if (!info) return 0;
    const table = sql.table(tableName(info.number));
    const where = documentId ? sql`data_source_id = ${documentId.dataSourceId} AND document_id = ${documentId.documentId}` : sql`true`;
    const { rows } = await sql<{ count: string | number }>`SELECT count(*) AS count FROM ${table} WHERE ${where}`.execute(this.db);
    return Number(rows[0]?.count ?? 0);
  }

  async documentEmbeddings(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<EmbeddedText[]> {
    const info = await this.info(knowledgeBaseId);
    if (!info) return [];
    const table = sql.table(tableName(info.number));
    const { rows } = await sql<{ text: string; embedding: string }>`SELECT text, embedding::text AS embedding FROM ${table} WHERE data_source_id = ${dataSourceId} AND document_id = ${documentId}`.execute(
      this.db,
    );
    // pgvector prints each float4 in its shortest exact form, so the text parses back to the same floats
    return rows.map((row) => ({ text: row.text, embedding: Float32Array.from(JSON.parse(row.embedding) as number[]) }));
  }

  private async info(knowledgeBaseId: string): Promise<IndexInfo | undefined> {
    const cached = this.indexes.get(knowledgeBaseId);
    if (cached) return cached;
    const { rows } = await sql<IndexInfo>`SELECT number, dimensions FROM knowledge_chunk_indexes WHERE knowledge_base_id = ${knowledgeBaseId}`.execute(this.db);
    const info = rows[0];
    if (info) this.indexes.set(knowledgeBaseId, { number: Number(info.number), dimensions: Number(info.dimensions) });
    return this.indexes.get(knowledgeBaseId);
  }

  private async require(knowledgeBaseId: string): Promise<IndexInfo> {
    const info = await this.info(knowledgeBaseId);
    if (!info) throw knowledgeBaseNotFound(knowledgeBaseId);
    return info;
  }
}

const columns = sql`c.id, c.data_source_id, c.document_id, c.chunk_id, c.text, c.parent_id, c.parent_text, c.location, c.metadata`;

function tableName(number: number): string {
  return `knowledge_chunks_${number}`;
}

function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

function condition(options: SearchOptions): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  if (options.dataSourceIds) parts.push(sql`c.data_source_id = ANY(${[...options.dataSourceIds]}::text[])`);
  if (options.filter) parts.push(compilePostgresFilter(options.filter));
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}

function toScored(rows: ChunkRow[], knowledgeBaseId: string): ScoredChunk[] {
  return rows.map((row) => {
    const score = Number(row.score);
    return { chunk: storedChunkOf(row, knowledgeBaseId, row.location, row.metadata), score: Number.isFinite(score) ? score : 0 };
  });
}
