import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { knowledgeBaseMigrations } from '../knowledge-base-migrations.js';
import type { KnowledgeStores } from '../knowledge-stores.js';
import { SqlConversationSessionRepository } from '../sql-conversation-session-repository.js';
import { SqlKnowledgeBaseRepository } from '../sql-knowledge-base-repository.js';
import { PostgresChunkIndex } from './postgres-chunk-index.js';
import { postgresChunkIndexMigrations } from './postgres-chunk-index-migrations.js';

/**
 * The knowledge-base repository and chunk index on PostgreSQL (`pg`): migrates the tables (and
 * creates the pgvector extension) under Kysely's migration lock, then serves queries.
 *
 * @example
 * const { repository, index } = await createPostgresKnowledgeStores(openPostgresDatabase({ connectionString }));
 */
export async function createPostgresKnowledgeStores(database: SqlDatabase): Promise<KnowledgeStores> {
  await migrateToLatest(database.db, 'knowledge_bases', knowledgeBaseMigrations('timestamptz'));
  await migrateToLatest(database.db, 'knowledge_chunks', postgresChunkIndexMigrations);
  return { repository: new SqlKnowledgeBaseRepository(database.db), index: new PostgresChunkIndex(database.db), sessions: new SqlConversationSessionRepository(database.db) };
}
