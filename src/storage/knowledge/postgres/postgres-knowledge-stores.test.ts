import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import { openPostgresDatabase } from '../../sql/postgres/open-postgres-database.js';
import { runChunkIndexConformance } from '../chunk-index.conformance.js';
import { runKnowledgeBaseRepositoryConformance } from '../knowledge-base-repository.conformance.js';
import { openKnowledgeStores } from '../open-knowledge-stores.js';

// PostgreSQL itself (PGlite with pgvector) behind a wire-protocol socket, through the production `pg` driver.
let pglite: PGlite;
let server: PGLiteSocketServer;
let connectionString: string;

const name = 'postgres (pg driver, PGlite + pgvector over pglite-socket)';

async function setUp(): Promise<void> {
  pglite = await PGlite.create({ extensions: { vector } });
  server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  connectionString = `postgres://postgres@${server.getServerConn()}/postgres`;
}

async function tearDown(): Promise<void> {
  await server.stop();
  await pglite.close();
}

/** Opens the stores on an emptied database: every knowledge base's chunk table dropped, every record deleted. */
async function openEmpty() {
  // pglite-socket runs one query at a time across connections: a pool of one.
  const database = openPostgresDatabase({ connectionString, maxConnections: 1 });
  const stores = await openKnowledgeStores(database);
  const { rows } = await sql<{ number: number }>`SELECT number FROM knowledge_chunk_indexes`.execute(database.db);
  for (const row of rows) await sql`DROP TABLE IF EXISTS ${sql.table(`knowledge_chunks_${row.number}`)}`.execute(database.db);
  for (const table of ['knowledge_chunk_indexes', 'knowledge_documents', 'knowledge_ingestion_jobs', 'knowledge_data_sources', 'knowledge_bases']) {
    await sql`DELETE FROM ${sql.table(table)}`.execute(database.db);
  }
  return { database, stores };
}

runChunkIndexConformance({
  name,
  setUp,
  tearDown,
  async open() {
    const { database, stores } = await openEmpty();
    return { index: stores.index, close: () => database.close() };
  },
});

runKnowledgeBaseRepositoryConformance({
  name,
  setUp,
  tearDown,
  async open() {
    let { database, stores } = await openEmpty();
    return {
      repository: stores.repository,
      async reopen() {
        await database.close();
        database = openPostgresDatabase({ connectionString, maxConnections: 1 });
        return (await openKnowledgeStores(database)).repository;
      },
      close: () => database.close(),
    };
  },
});
