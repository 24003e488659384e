import type { Kysely } from 'kysely';

/** An open SQL database shared by the domain stores, and which dialect it speaks. */
export interface SqlDatabase {
  dialect: 'sqlite' | 'postgres';
  /** stores narrow it to their tables */
  db: Kysely<object>;
  close(): Promise<void>;
}
