import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import { openPostgresDatabase } from '../../sql/postgres/open-postgres-database.js';
import { runAgentMemoryStoreConformance } from '../agent-memory-store.conformance.js';
import { createPostgresAgentMemoryStore } from './postgres-agent-memory-store.js';

// PostgreSQL itself (PGlite) behind a wire-protocol socket, through the production `pg` driver.
let pglite: PGlite;
let server: PGLiteSocketServer;
let connectionString: string;

runAgentMemoryStoreConformance({
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
    const store = await createPostgresAgentMemoryStore(database);
    await sql`delete from agent_memory_summaries`.execute(database.db);
    return {
      store,
      async reopen() {
        await database.close();
        database = openPostgresDatabase({ connectionString, maxConnections: 1 });
        return createPostgresAgentMemoryStore(database);
      },
      close: () => database.close(),
    };
  },
});
