import * as sqliteVec from 'sqlite-vec';
import type { KnowledgeStores } from '../knowledge-stores.js';
import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { knowledgeBaseMigrations } from '../knowledge-base-migrations.js';
import { SqlConversationSessionRepository } from '../sql-conversation-session-repository.js';
import { SqlKnowledgeBaseRepository } from '../sql-knowledge-base-repository.js';
import { SqliteChunkIndex } from './sqlite-chunk-index.js';
import { sqliteChunkIndexMigrations } from './sqlite-chunk-index-migrations.js';

/**
 * The knowledge-base repository and chunk index on SQLite: loads sqlite-vec into the connection
 * (once), migrates the tables, and returns both stores over the same database.
 *
 * @example
 * const { repository, index } = await createSqliteKnowledgeStores(openSqliteDatabase({ path: '.outcrop/outcrop.db' }));
 */
export async function createSqliteKnowledgeStores(database: SqlDatabase): Promise<KnowledgeStores> {
  const sqlite = database.sqlite;
  if (!sqlite) throw new Error('the SQLite knowledge stores need the better-sqlite3 connection (SqlDatabase.sqlite)');
  await database.db.connection().execute(async () => {
    try {
      sqlite.prepare('SELECT vec_version()').get();
    } catch {
      try {
        sqliteVec.load(sqlite);
      } catch (error) {
        throw new Error(
          `loading the sqlite-vec extension failed (is the sqlite-vec-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch} package installed?): ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
  });
  await migrateToLatest(database.db, 'knowledge_bases', knowledgeBaseMigrations('text'));
  await migrateToLatest(database.db, 'knowledge_chunks', sqliteChunkIndexMigrations);
  return { repository: new SqlKnowledgeBaseRepository(database.db), index: new SqliteChunkIndex(database, sqlite), sessions: new SqlConversationSessionRepository(database.db) };
}
