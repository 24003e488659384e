import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { agentMigrations } from '../agent-migrations.js';
import type { AgentStore } from '../agent-store.js';
import { SqlAgentStore } from '../sql-agent-store.js';

/**
 * The agent store on SQLite (better-sqlite3): migrates its tables, then serves queries.
 *
 * @example
 * const store = await createSqliteAgentStore(openSqliteDatabase({ path: '.outcrop/outcrop.db' }));
 */
export async function createSqliteAgentStore(database: SqlDatabase): Promise<AgentStore> {
  await migrateToLatest(database.db, 'agents', agentMigrations('text'));
  return new SqlAgentStore(database.db);
}
