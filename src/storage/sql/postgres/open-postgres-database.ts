import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { SqlDatabase } from '../sql-database.js';

/**
 * Connects to PostgreSQL through a `pg` pool.
 *
 * @example
 * const database = openPostgresDatabase({ connectionString: 'postgres://outcrop@db/outcrop' });
 */
export function openPostgresDatabase(options: { connectionString: string; maxConnections?: number }): SqlDatabase {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: 'postgres', db, close: () => db.destroy() };
}
