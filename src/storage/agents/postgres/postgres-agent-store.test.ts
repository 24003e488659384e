import { deleteRows, pglitePostgresBackend } from '../../../../test/support/pglite-postgres.js';
import { runAgentStoreConformance } from '../agent-store.conformance.js';
import { createPostgresAgentStore } from './postgres-agent-store.js';

// PostgreSQL itself (PGlite) behind a wire-protocol socket, through the production `pg` driver.
const postgres = pglitePostgresBackend();

runAgentStoreConformance({
  name: 'postgres (pg driver, PGlite over pglite-socket)',
  setUp: postgres.setUp,
  tearDown: postgres.tearDown,
  open: () => postgres.openStore(createPostgresAgentStore, (database) => deleteRows(database, ['agent_aliases', 'agent_versions', 'agent_draft_resources', 'agents'])),
});
