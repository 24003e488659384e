import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';

/** An open SQL database shared by the domain stores, and which dialect it speaks. */
export interface SqlDatabase {
  dialect: 'sqlite' | 'postgres';
  /** stores narrow it to their tables */
  db: Kysely<object>;
  /**
   * sqlite only: the better-sqlite3 connection under `db`, for stores that need what Kysely does not
   * expose (loading extensions, bulk prepared statements). Use it inside `db.connection().execute(...)`
   * so it never interleaves with another store's Kysely transaction.
   */
  sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}
