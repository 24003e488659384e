import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import { openPostgresDatabase } from '../../sql/postgres/open-postgres-database.js';
import { runAgentStoreConformance } from '../agent-store.conformance.js';
import { createPostgresAgentStore } from './postgres-agent-store.js';

// PostgreSQL itself (PGlite) behind a wire-protocol socket, through the production `pg` driver.
let pglite: PGlite;
let server: PGLiteSocketServer;
let connectionString: string;

runAgentStoreConformance({
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
    // pglite-socket runs one query at a time across connections: a pool of one.
    let database = openPostgresDatabase({ connectionString, maxConnections: 1 });
    const store = await createPostgresAgentStore(database);
    for (const table of ['agent_aliases', 'agent_versions', 'agent_draft_resources', 'agents']) await sql`delete from ${sql.table(table)}`.execute(database.db);
    return {
      store,
      async reopen() {
        await database.close();
        database = openPostgresDatabase({ connectionString, maxConnections: 1 });
        return createPostgresAgentStore(database);
      },
      close: () => database.close(),
    };
  },
});
