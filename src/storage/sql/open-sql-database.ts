import { join } from 'node:path';
import type { SqlDatabase } from './sql-database.js';

export interface SqlDatabaseOptions {
  driver: 'sqlite' | 'postgres';
  /** sqlite: a file path (default `<dataDir>/outcrop.db`, `:memory:` for none); postgres: a connection string */
  url?: string;
  dataDir: string;
  /** postgres: the pool's connection limit (default 10) */
  maxConnections?: number;
}

/**
 * Opens the configured database. Each driver's native module is loaded only when it is chosen,
 * so a server on SQLite never loads `pg` and one on PostgreSQL never loads better-sqlite3.
 *
 * @example
 * const database = await openSqlDatabase({ driver: 'sqlite', dataDir: './.outcrop' });
 */
export async function openSqlDatabase(options: SqlDatabaseOptions): Promise<SqlDatabase> {
  if (options.driver === 'postgres') {
    if (!options.url) throw new Error('storage.driver postgres needs storage.url (a postgres:// connection string)');
    const { openPostgresDatabase } = await import('./postgres/open-postgres-database.js');
    return openPostgresDatabase({ connectionString: options.url, ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) });
  }
  const { openSqliteDatabase } = await import('./sqlite/open-sqlite-database.js');
  return openSqliteDatabase({ path: options.url ?? join(options.dataDir, 'outcrop.db') });
}
