import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { inferenceProfileMigrations } from '../inference-profile-migrations.js';
import type { InferenceProfileStore } from '../inference-profile-store.js';
import { SqlInferenceProfileStore } from '../sql-inference-profile-store.js';

/**
 * The inference-profile store on PostgreSQL (`pg`): migrates its tables (under Kysely's migration
 * lock, so several servers starting together migrate once), then serves queries.
 *
 * @example
 * const store = await createPostgresInferenceProfileStore(openPostgresDatabase({ connectionString }));
 */
export async function createPostgresInferenceProfileStore(database: SqlDatabase): Promise<InferenceProfileStore> {
  await migrateToLatest(database.db, 'inference_profiles', inferenceProfileMigrations('timestamptz'));
  return new SqlInferenceProfileStore(database.db);
}
