import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { inferenceProfileMigrations } from '../inference-profile-migrations.js';
import type { InferenceProfileStore } from '../inference-profile-store.js';
import { SqlInferenceProfileStore } from '../sql-inference-profile-store.js';

/**
 * The inference-profile store on SQLite (better-sqlite3): migrates its tables, then serves queries.
 *
 * @example
 * const store = await createSqliteInferenceProfileStore(openSqliteDatabase({ path: '.outcrop/outcrop.db' }));
 */
export async function createSqliteInferenceProfileStore(database: SqlDatabase): Promise<InferenceProfileStore> {
  await migrateToLatest(database.db, 'inference_profiles', inferenceProfileMigrations('text'));
  return new SqlInferenceProfileStore(database.db);
}
