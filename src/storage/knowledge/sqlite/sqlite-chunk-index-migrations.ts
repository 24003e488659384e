import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The SQLite chunk index's shared tables. Each knowledge base adds two of its own when it is created
 * (`knowledge_signatures_<number>`, `knowledge_fts_<number>`), numbered by `knowledge_chunk_indexes`.
 */
export const sqliteChunkIndexMigrations: Record<string, Migration> = {
  '0001-create-chunk-index': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
    async up(db: Kysely<any>) {
      await sql`CREATE TABLE knowledge_chunk_indexes (
        number INTEGER PRIMARY KEY AUTOINCREMENT,
        knowledge_base_id TEXT NOT NULL UNIQUE,
        dimensions INTEGER NOT NULL
      )`.execute(db);
      await sql`CREATE TABLE knowledge_chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        knowledge_base_id TEXT NOT NULL,
        data_source_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        chunk_id TEXT NOT NULL,
        text TEXT NOT NULL,
        parent_id TEXT,
        parent_text TEXT,
        location TEXT NOT NULL,
        metadata TEXT NOT NULL,
        UNIQUE (knowledge_base_id, chunk_id)
      )`.execute(db);
      await sql`CREATE INDEX knowledge_chunks_document ON knowledge_chunks (knowledge_base_id, data_source_id, document_id)`.execute(db);
      await sql`CREATE TABLE knowledge_chunk_vectors (id INTEGER PRIMARY KEY, embedding BLOB NOT NULL)`.execute(db);
    },
  },
};
