import type { AgentMemoryStore } from '../../../core/agents/sessions/agent-memory-store.js';
import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { agentMemoryMigrations } from '../agent-memory-migrations.js';
import { SqlAgentMemoryStore } from '../sql-agent-memory-store.js';

/**
 * Agent memory on SQLite (better-sqlite3): migrates its table, then serves queries. Timestamps are
 * ISO 8601 text in UTC, which sorts and compares as time.
 *
 * @example
 * const memory = await createSqliteAgentMemoryStore(openSqliteDatabase({ path: '.outcrop/outcrop.db' }));
 */
export async function createSqliteAgentMemoryStore(database: SqlDatabase): Promise<AgentMemoryStore> {
  await migrateToLatest(database.db, 'agent_memory', agentMemoryMigrations('text'));
  return new SqlAgentMemoryStore(database.db);
}
