import { type Extensions, PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import type { SqlDatabase } from '../../src/storage/sql/sql-database.js';
import { openPostgresDatabase } from '../../src/storage/sql/postgres/open-postgres-database.js';
import type { ReopenableStore } from './store-backend-hooks.js';

/** PostgreSQL (PGlite) listening on a local port, and how to reach it. */
export interface PglitePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  connectionString: string;
  /** A new `pg` pool of one connection: pglite-socket runs one query at a time across connections. */
  connect(): SqlDatabase;
  /** Stops the socket server and PGlite. */
  close(): Promise<void>;
}

/**
 * Starts PostgreSQL itself (PGlite, PostgreSQL compiled to WebAssembly, with the wanted extensions)
 * behind a socket that speaks the wire protocol, so stores run through the production `pg` driver
 * and Kysely's PostgresDialect.
 *
 * @example
 * const postgres = await startPglitePostgres({ extensions: { vector } });
 * const database = postgres.connect();
 * await database.close();
 * await postgres.close();
 */
export async function startPglitePostgres(options: { extensions?: Extensions } = {}): Promise<PglitePostgres> {
  const pglite = await PGlite.create(options.extensions ? { extensions: options.extensions } : {});
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const connectionString = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    connectionString,
    // a pool of one keeps the extended-protocol messages of different queries from interleaving
    connect: () => openPostgresDatabase({ connectionString, maxConnections: 1 }),
    async close() {
      await server.stop();
      await pglite.close();
    },
  };
}

/**
 * The `setUp`/`tearDown` of a store conformance suite on one PGlite server shared by its cases, and
 * `openStore` for its `open`: the store created on a new connection (migrations run), then emptied.
 *
 * @example
 * const postgres = pglitePostgresBackend();
 * runGuardrailStoreConformance({
 *   name: 'postgres',
 *   setUp: postgres.setUp,
 *   tearDown: postgres.tearDown,
 *   open: () => postgres.openStore(createPostgresGuardrailStore, (database) => deleteRows(database, ['guardrails'])),
 * });
 */
export function pglitePostgresBackend(options: { extensions?: Extensions } = {}) {
  let postgres: PglitePostgres | undefined;
  const running = (): PglitePostgres => {
    if (!postgres) throw new Error('PGlite is not started: setUp has not run');
    return postgres;
  };
  return {
    async setUp(): Promise<void> {
      postgres = await startPglitePostgres(options);
    },
    async tearDown(): Promise<void> {
      await running().close();
      postgres = undefined;
    },
    connect: (): SqlDatabase => running().connect(),
    async openStore<Store>(create: (database: SqlDatabase) => Promise<Store>, empty: (database: SqlDatabase) => Promise<void>): Promise<ReopenableStore<Store>> {
      let database = running().connect();
      const store = await create(database);
      await empty(database);
      return {
        store,
        async reopen() {
          await database.close();
          database = running().connect();
          return create(database);
        },
        close: () => database.close(),
      };
    },
  };
}

/**
 * Deletes every row of these tables, in this order (children before parents).
 *
 * @example
 * await deleteRows(database, ['guardrail_tags', 'guardrails']);
 */
export async function deleteRows(database: SqlDatabase, tables: readonly string[]): Promise<void> {
  for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(database.db);
}
