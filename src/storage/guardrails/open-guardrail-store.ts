import type { SqlDatabase } from '../sql/sql-database.js';
import type { GuardrailStore } from './guardrail-store.js';
import { createPostgresGuardrailStore } from './postgres/postgres-guardrail-store.js';
import { createSqliteGuardrailStore } from './sqlite/sqlite-guardrail-store.js';

/** The guardrail store for the database's dialect, its tables migrated. */
export function openGuardrailStore(database: SqlDatabase): Promise<GuardrailStore> {
  return database.dialect === 'postgres' ? createPostgresGuardrailStore(database) : createSqliteGuardrailStore(database);
}
