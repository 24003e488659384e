import type { SqlDatabase } from '../sql/sql-database.js';
import type { KnowledgeStores } from './knowledge-stores.js';

/**
 * The knowledge-base repository and chunk index for the database's dialect, their tables migrated:
 * SQLite with sqlite-vec and FTS5, or PostgreSQL with pgvector (HNSW) and full-text search. Each
 * dialect's module is loaded only when chosen.
 *
 * @example
 * const { repository, index } = await openKnowledgeStores(await openSqlDatabase({ driver: 'sqlite', dataDir: '.outcrop' }));
 * await index.createKnowledgeBase('KB12345678', 1024);
 */
export async function openKnowledgeStores(database: SqlDatabase): Promise<KnowledgeStores> {
  if (database.dialect === 'postgres') {
    const { createPostgresKnowledgeStores } = await import('./postgres/postgres-knowledge-stores.js');
    return createPostgresKnowledgeStores(database);
  }
  const { createSqliteKnowledgeStores } = await import('./sqlite/sqlite-knowledge-stores.js');
  return createSqliteKnowledgeStores(database);
}
