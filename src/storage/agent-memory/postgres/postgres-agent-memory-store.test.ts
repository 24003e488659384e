import { deleteRows, pglitePostgresBackend } from '../../../../test/support/pglite-postgres.js';
import { runAgentMemoryStoreConformance } from '../agent-memory-store.conformance.js';
import { createPostgresAgentMemoryStore } from './postgres-agent-memory-store.js';

// PostgreSQL itself (PGlite) behind a wire-protocol socket, through the production `pg` driver.
const postgres = pglitePostgresBackend();

runAgentMemoryStoreConformance({
  name: 'postgres (pg driver, PGlite over pglite-socket)',
  setUp: postgres.setUp,
  tearDown: postgres.tearDown,
  open: () => postgres.openStore(createPostgresAgentMemoryStore, (database) => deleteRows(database, ['agent_memory_summaries'])),
});
