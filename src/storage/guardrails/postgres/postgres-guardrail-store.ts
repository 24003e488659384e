import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { guardrailMigrations } from '../guardrail-migrations.js';
import type { GuardrailStore } from '../guardrail-store.js';
import { SqlGuardrailStore } from '../sql-guardrail-store.js';

/**
 * The guardrail store on PostgreSQL (`pg`): migrates its tables under Kysely's migration lock, then
 * serves queries.
 *
 * @example
 * const store = await createPostgresGuardrailStore(openPostgresDatabase({ connectionString }));
 */
export async function createPostgresGuardrailStore(database: SqlDatabase): Promise<GuardrailStore> {
  await migrateToLatest(database.db, 'guardrails', guardrailMigrations('timestamptz'));
  return new SqlGuardrailStore(database.db);
}
