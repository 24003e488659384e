import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SqlDatabase } from '../sql-database.js';

/**
 * Opens (creating if needed) an SQLite file with better-sqlite3: write-ahead logging, and a busy
 * timeout so a second process waits rather than fails.
 *
 * @example
 * const database = openSqliteDatabase({ path: '.outcrop/outcrop.db' });
 */
export function openSqliteDatabase(options: { path: string }): SqlDatabase {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const database = new Database(options.path);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<object>({ dialect: new SqliteDialect({ database }) });
  return { dialect: 'sqlite', db, sqlite: database, close: () => db.destroy() };
}
