import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../sql/sqlite/open-sqlite-database.js';
import { runAgentStoreConformance } from '../agent-store.conformance.js';
import { createSqliteAgentStore } from './sqlite-agent-store.js';

const directories: string[] = [];

runAgentStoreConformance({
  name: 'sqlite (better-sqlite3, a file in a temporary data directory)',
  async open() {
    const directory = mkdtempSync(join(tmpdir(), 'outcrop-agents-'));
    directories.push(directory);
    const path = join(directory, 'outcrop.db');
    let database = openSqliteDatabase({ path });
    const store = await createSqliteAgentStore(database);
    return {
      store,
      async reopen() {
        await database.close();
        database = openSqliteDatabase({ path });
        return createSqliteAgentStore(database);
      },
      close: () => database.close(),
    };
  },
  async tearDown() {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  },
});
