import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The PostgreSQL chunk index's shared table, and pgvector. Each knowledge base adds its own table
 * (`knowledge_chunks_<number>`) when it is created, numbered by `knowledge_chunk_indexes`.
 */
export const postgresChunkIndexMigrations: Record<string, Migration> = {
  '0001-create-chunk-index': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the tables' types exist
    async up(db: Kysely<any>) {
      try {
        await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);
      } catch (error) {
        throw new Error(`the pgvector extension is needed for knowledge bases (CREATE EXTENSION vector failed: ${(error as Error).message}); install pgvector 0.8 or later`, {
          cause: error,
        });
      }
      await sql`CREATE TABLE knowledge_chunk_indexes (
        number serial PRIMARY KEY,
        knowledge_base_id text NOT NULL UNIQUE,
        dimensions integer NOT NULL
      )`.execute(db);
    },
  },
};
