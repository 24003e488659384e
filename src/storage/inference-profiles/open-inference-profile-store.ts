import type { SqlDatabase } from '../sql/sql-database.js';
import type { InferenceProfileStore } from './inference-profile-store.js';
import { createPostgresInferenceProfileStore } from './postgres/postgres-inference-profile-store.js';
import { createSqliteInferenceProfileStore } from './sqlite/sqlite-inference-profile-store.js';

/** The inference-profile store for the database's dialect, its tables migrated. */
export function openInferenceProfileStore(database: SqlDatabase): Promise<InferenceProfileStore> {
  return database.dialect === 'postgres' ? createPostgresInferenceProfileStore(database) : createSqliteInferenceProfileStore(database);
}
