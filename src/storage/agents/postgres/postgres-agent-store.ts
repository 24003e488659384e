import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { agentMigrations } from '../agent-migrations.js';
import type { AgentStore } from '../agent-store.js';
import { SqlAgentStore } from '../sql-agent-store.js';

/**
 * The agent store on PostgreSQL (`pg`): migrates its tables under Kysely's migration lock, then
 * serves queries.
 *
 * @example
 * const store = await createPostgresAgentStore(openPostgresDatabase({ connectionString }));
 */
export async function createPostgresAgentStore(database: SqlDatabase): Promise<AgentStore> {
  await migrateToLatest(database.db, 'agents', agentMigrations('timestamptz'));
  return new SqlAgentStore(database.db);
}
