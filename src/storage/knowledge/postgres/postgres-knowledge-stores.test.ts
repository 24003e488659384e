import { vector } from '@electric-sql/pglite/vector';
import { sql } from 'kysely';
import { deleteRows, pglitePostgresBackend } from '../../../../test/support/pglite-postgres.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { runChunkIndexConformance } from '../chunk-index.conformance.js';
import { runKnowledgeBaseRepositoryConformance } from '../knowledge-base-repository.conformance.js';
import { openKnowledgeStores } from '../open-knowledge-stores.js';

// PostgreSQL itself (PGlite with pgvector) behind a wire-protocol socket, through the production `pg` driver.
const postgres = pglitePostgresBackend({ extensions: { vector } });
const name = 'postgres (pg driver, PGlite + pgvector over pglite-socket)';

/** Empties the database: every knowledge base's chunk table dropped, every record deleted. */
async function empty(database: SqlDatabase): Promise<void> {
  const { rows } = await sql<{ number: number }>`SELECT number FROM knowledge_chunk_indexes`.execute(database.db);
  for (const row of rows) await sql`DROP TABLE IF EXISTS ${sql.table(`knowledge_chunks_${row.number}`)}`.execute(database.db);
  await deleteRows(database, ['knowledge_sessions', 'knowledge_chunk_indexes', 'knowledge_documents', 'knowledge_ingestion_jobs', 'knowledge_data_sources', 'knowledge_bases']);
}

runChunkIndexConformance({
  name,
  setUp: postgres.setUp,
  tearDown: postgres.tearDown,
  async open() {
    const { store, close } = await postgres.openStore(openKnowledgeStores, empty);
    return { index: store.index, close };
  },
});

runKnowledgeBaseRepositoryConformance({
  name,
  setUp: postgres.setUp,
  tearDown: postgres.tearDown,
  async open() {
    const { store, reopen, close } = await postgres.openStore(openKnowledgeStores, empty);
    return { repository: store.repository, sessions: store.sessions, reopen, close };
  },
});
