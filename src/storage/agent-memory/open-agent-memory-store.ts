import type { AgentMemoryStore } from '../../core/agents/sessions/agent-memory-store.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { createPostgresAgentMemoryStore } from './postgres/postgres-agent-memory-store.js';
import { createSqliteAgentMemoryStore } from './sqlite/sqlite-agent-memory-store.js';

/**
 * The SESSION_SUMMARY memory store for the database's dialect, its table migrated.
 *
 * @example
 * const memory = await openAgentMemoryStore(database);
 */
export function openAgentMemoryStore(database: SqlDatabase): Promise<AgentMemoryStore> {
  return database.dialect === 'postgres' ? createPostgresAgentMemoryStore(database) : createSqliteAgentMemoryStore(database);
}
