import type { SqlDatabase } from '../sql/sql-database.js';
import type { AgentStore } from './agent-store.js';
import { createPostgresAgentStore } from './postgres/postgres-agent-store.js';
import { createSqliteAgentStore } from './sqlite/sqlite-agent-store.js';

/** The agent store for the database's dialect, its tables migrated. */
export function openAgentStore(database: SqlDatabase): Promise<AgentStore> {
  return database.dialect === 'postgres' ? createPostgresAgentStore(database) : createSqliteAgentStore(database);
}
