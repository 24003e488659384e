import { deleteRows, pglitePostgresBackend } from '../../../../test/support/pglite-postgres.js';
import { runGuardrailStoreConformance } from '../guardrail-store.conformance.js';
import { createPostgresGuardrailStore } from './postgres-guardrail-store.js';

// PostgreSQL itself (PGlite) behind a wire-protocol socket, through the production `pg` driver.
const postgres = pglitePostgresBackend();

runGuardrailStoreConformance({
  name: 'postgres (pg driver, PGlite over pglite-socket)',
  setUp: postgres.setUp,
  tearDown: postgres.tearDown,
  open: () => postgres.openStore(createPostgresGuardrailStore, (database) => deleteRows(database, ['guardrail_tags', 'guardrail_versions', 'guardrails'])),
});
