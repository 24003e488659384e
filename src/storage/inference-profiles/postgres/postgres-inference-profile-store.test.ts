import { deleteRows, pglitePostgresBackend } from '../../../../test/support/pglite-postgres.js';
import { runInferenceProfileStoreConformance } from '../inference-profile-store.conformance.js';
import { createPostgresInferenceProfileStore } from './postgres-inference-profile-store.js';

// PostgreSQL itself (PGlite, Postgres compiled to WebAssembly) behind a socket that speaks the wire
// protocol, so the store runs through the production `pg` driver and Kysely's PostgresDialect.
const postgres = pglitePostgresBackend();

runInferenceProfileStoreConformance({
  name: 'postgres (pg driver, PGlite over pglite-socket)',
  setUp: postgres.setUp,
  tearDown: postgres.tearDown,
  open: () => postgres.openStore(createPostgresInferenceProfileStore, (database) => deleteRows(database, ['inference_profile_tags', 'inference_profiles'])),
});
