import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../sql/sqlite/open-sqlite-database.js';
import { runAgentMemoryStoreConformance } from '../agent-memory-store.conformance.js';
import { createSqliteAgentMemoryStore } from './sqlite-agent-memory-store.js';

const directories: string[] = [];

runAgentMemoryStoreConformance({
  name: 'sqlite (better-sqlite3, a file in a temporary data directory)',
  async open() {
    const directory = mkdtempSync(join(tmpdir(), 'outcrop-agent-memory-'));
    directories.push(directory);
    const path = join(directory, 'outcrop.db');
    let database = openSqliteDatabase({ path });
    const store = await createSqliteAgentMemoryStore(database);
    return {
      store,
      async reopen() {
        await database.close();
        database = openSqliteDatabase({ path });
        return createSqliteAgentMemoryStore(database);
      },
      close: () => database.close(),
    };
  },
  async tearDown() {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  },
});
