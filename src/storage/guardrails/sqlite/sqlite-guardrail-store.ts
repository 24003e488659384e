import { migrateToLatest } from '../../sql/migrate.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { guardrailMigrations } from '../guardrail-migrations.js';
import type { GuardrailStore } from '../guardrail-store.js';
import { SqlGuardrailStore } from '../sql-guardrail-store.js';

/**
 * The guardrail store on SQLite (better-sqlite3): migrates its tables, then serves queries.
 *
 * @example
 * const store = await createSqliteGuardrailStore(openSqliteDatabase({ path: '.outcrop/outcrop.db' }));
 */
export async function createSqliteGuardrailStore(database: SqlDatabase): Promise<GuardrailStore> {
  await migrateToLatest(database.db, 'guardrails', guardrailMigrations('text'));
  return new SqlGuardrailStore(database.db);
}
