import type { AgentMemoryStore } from '../../../core/agents/sessions/agent-memory-store.js';
import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { agentMemoryMigrations } from '../agent-memory-migrations.js';
import { SqlAgentMemoryStore } from '../sql-agent-memory-store.js';

/**
 * Agent memory on PostgreSQL (`pg`): migrates its table under Kysely's migration lock, then serves
 * queries.
 *
 * @example
 * const memory = await createPostgresAgentMemoryStore(openPostgresDatabase({ connectionString }));
 */
export async function createPostgresAgentMemoryStore(database: SqlDatabase): Promise<AgentMemoryStore> {
  await migrateToLatest(database.db, 'agent_memory', agentMemoryMigrations('timestamptz'));
  return new SqlAgentMemoryStore(database.db);
}
