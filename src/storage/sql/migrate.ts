import { type Kysely, type Migration, Migrator } from 'kysely';

/**
 * Brings one domain's tables up to date. Each domain keeps its own migration history table
 * (`outcrop_<domain>_migrations`), so domains migrate independently in one database.
 *
 * @example
 * await migrateToLatest(database.db, 'inference_profiles', { '0001-create': { up: async (db) => { ... } } });
 */
export async function migrateToLatest(db: Kysely<object>, domain: string, migrations: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({
    // biome-ignore lint/suspicious/noExplicitAny: the migrator is untyped over tables
    db: db as Kysely<any>,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `outcrop_${domain}_migrations`,
    migrationLockTableName: `outcrop_${domain}_migrations_lock`,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`migrating the ${domain} tables failed: ${(error as Error).message ?? String(error)}`, { cause: error });
}

/** Whether a driver error is a unique or primary-key violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
