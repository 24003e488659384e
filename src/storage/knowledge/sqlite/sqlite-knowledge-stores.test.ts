import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../sql/sqlite/open-sqlite-database.js';
import { runChunkIndexConformance } from '../chunk-index.conformance.js';
import { runKnowledgeBaseRepositoryConformance } from '../knowledge-base-repository.conformance.js';
import { openKnowledgeStores } from '../open-knowledge-stores.js';

const directories: string[] = [];

function temporaryPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'outcrop-knowledge-'));
  directories.push(directory);
  return join(directory, 'outcrop.db');
}

const name = 'sqlite (better-sqlite3 + sqlite-vec + FTS5, a file in a temporary data directory)';
const tearDown = async () => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
};

runChunkIndexConformance({
  name,
  tearDown,
  async open() {
    const database = openSqliteDatabase({ path: temporaryPath() });
    const { index } = await openKnowledgeStores(database);
    return { index, close: () => database.close() };
  },
});

runKnowledgeBaseRepositoryConformance({
  name,
  tearDown,
  async open() {
    const path = temporaryPath();
    let database = openSqliteDatabase({ path });
    const { repository, sessions } = await openKnowledgeStores(database);
    return {
      repository,
      sessions,
      async reopen() {
        await database.close();
        database = openSqliteDatabase({ path });
        return openKnowledgeStores(database);
      },
      close: () => database.close(),
    };
  },
});
