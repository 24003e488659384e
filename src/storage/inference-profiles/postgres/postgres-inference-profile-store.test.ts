import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import { openPostgresDatabase } from '../../sql/postgres/open-postgres-database.js';
import { runInferenceProfileStoreConformance } from '../inference-profile-store.conformance.js';
import { createPostgresInferenceProfileStore } from './postgres-inference-profile-store.js';

// PostgreSQL itself (PGlite, Postgres compiled to WebAssembly) behind a socket that speaks the wire
// protocol, so the store runs through the production `pg` driver and Kysely's PostgresDialect.
let pglite: PGlite;
let server: PGLiteSocketServer;
let connectionString: string;

runInferenceProfileStoreConformance({
  name: 'postgres (pg driver, PGlite over pglite-socket)',
  async setUp() {
    pglite = await PGlite.create();
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    connectionString = `postgres://postgres@${server.getServerConn()}/postgres`;
  },
  async tearDown() {
    await server.stop();
    await pglite.close();
  },
  async open() {
    // pglite-socket runs one query at a time across connections, so a pool of one keeps the
    // extended-protocol messages of different queries from interleaving.
    let database = openPostgresDatabase({ connectionString, maxConnections: 1 });
    const store = await createPostgresInferenceProfileStore(database);
    await sql`delete from inference_profile_tags`.execute(database.db);
    await sql`delete from inference_profiles`.execute(database.db);
    return {
      store,
      async reopen() {
        await database.close();
        database = openPostgresDatabase({ connectionString, maxConnections: 1 });
        return createPostgresInferenceProfileStore(database);
      },
      close: () => database.close(),
    };
  },
});
