import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../sql/sqlite/open-sqlite-database.js';
import { runGuardrailStoreConformance } from '../guardrail-store.conformance.js';
import { createSqliteGuardrailStore } from './sqlite-guardrail-store.js';

const directories: string[] = [];

runGuardrailStoreConformance({
  name: 'sqlite (better-sqlite3, a file in a temporary data directory)',
  async open() {
    const directory = mkdtempSync(join(tmpdir(), 'outcrop-guardrails-'));
    directories.push(directory);
    const path = join(directory, 'outcrop.db');
    let database = openSqliteDatabase({ path });
    const store = await createSqliteGuardrailStore(database);
    return {
      store,
      async reopen() {
        await database.close();
        database = openSqliteDatabase({ path });
        return createSqliteGuardrailStore(database);
      },
      close: () => database.close(),
    };
  },
  async tearDown() {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  },
});
