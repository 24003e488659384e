import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  DataSourceRecord,
  DocumentRecord,
  IngestionJobRecord,
  KnowledgeBaseRecord,
  KnowledgeBaseRepository,
} from '../../core/knowledge/registry/knowledge-base-record.js';
import type { ConversationSessionRepository } from '../../core/knowledge/generation/conversation-sessions-repository.js';
import { type StoreBackend, storeBackendHooks } from '../../../test/support/store-backend-hooks.js';

/** The repositories on a fresh, empty database, and a way to open the same database again. */
export interface OpenedKnowledgeBaseRepository {
  repository: KnowledgeBaseRepository;
  sessions: ConversationSessionRepository;
  reopen(): Promise<{ repository: KnowledgeBaseRepository; sessions: ConversationSessionRepository }>;
  close(): Promise<void>;
}

export type KnowledgeBaseRepositoryBackend = StoreBackend<OpenedKnowledgeBaseRepository>;

const at = (second: number) => new Date(Date.UTC(2025, 2, 1, 12, 0, second, 125));

function knowledgeBase(id: string, second: number, overrides: Partial<KnowledgeBaseRecord> = {}): KnowledgeBaseRecord {
  return {
    knowledgeBaseId: id,
    name: `kb-${id}`,
    description: 'Product manuals',
    roleArn: 'arn:aws:iam::000000000000:role/kb',
    knowledgeBaseConfiguration: {
      type: 'VECTOR',
      vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0', embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: 512 } } },
    },
    storageConfiguration: { type: 'OUTCROP' },
    dimensions: 512,
    status: 'ACTIVE',
    tags: { team: 'docs' },
    createdAt: at(second),
    updatedAt: at(second),
    ...overrides,
  };
}

function dataSource(knowledgeBaseId: string, id: string, second: number): DataSourceRecord {
  return {
    knowledgeBaseId,
    dataSourceId: id,
    name: `ds-${id}`,
    status: 'AVAILABLE',
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::manuals', inclusionPrefixes: ['en/'] } },
    vectorIngestionConfiguration: { chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 300, overlapPercentage: 20 } } },
    dataDeletionPolicy: 'DELETE',
    createdAt: at(second),
    updatedAt: at(second),
  };
}

function job(knowledgeBaseId: string, dataSourceId: string, id: string, second: number, status: IngestionJobRecord['status']): IngestionJobRecord {
  return {
    knowledgeBaseId,
    dataSourceId,
    ingestionJobId: id,
    status,
    statistics: {
      numberOfDocumentsScanned: 3,
      numberOfMetadataDocumentsScanned: 1,
      numberOfNewDocumentsIndexed: 2,
      numberOfModifiedDocumentsIndexed: 0,
      numberOfMetadataDocumentsModified: 0,
      numberOfDocumentsDeleted: 0,
      numberOfDocumentsFailed: 1,
      numberOfDocumentsSkipped: 0,
    },
    failureReasons: status === 'FAILED' ? ['the bucket is gone'] : [],
    startedAt: at(second),
    updatedAt: at(second + 1),
  };
}

function document(knowledgeBaseId: string, dataSourceId: string, id: string): DocumentRecord {
  return {
    knowledgeBaseId,
    dataSourceId,
    id,
    uri: `s3://manuals/${id}`,
    status: 'INDEXED',
    contentHash: `sha-${id}`,
    metadataHash: 'meta',
    fingerprint: `etag-${id}`,
    configurationHash: 'config',
    chunkIds: [`${id}#0`, `${id}#1`],
    updatedAt: at(30),
  };
}

/** The behaviour every `KnowledgeBaseRepository` backend must show; each backend's test file runs it. */
export function runKnowledgeBaseRepositoryConformance(backend: KnowledgeBaseRepositoryBackend): void {
  describe(`KnowledgeBaseRepository conformance: ${backend.name}`, () => {
    const stores = storeBackendHooks(backend);
    const open = async () => (await stores.open()).repository;

    it('round-trips knowledge bases in creation order, upserts them and keeps them across a reopen', async () => {
      const repository = await open();
      assert.deepEqual(await repository.listKnowledgeBases(), []);
      assert.equal(await repository.getKnowledgeBase('KB00000001'), undefined);
      const second = knowledgeBase('KB00000002', 2);
      const first = knowledgeBase('KB00000001', 1, { description: undefined, tags: undefined, storageConfiguration: undefined });
      delete first.description;
      delete first.tags;
      delete first.storageConfiguration;
      await repository.putKnowledgeBase(second);
      await repository.putKnowledgeBase(first);
      assert.deepEqual(await repository.listKnowledgeBases(), [first, second]);
      const updated = { ...second, status: 'FAILED' as const, failureReasons: ['embedding model gone'], updatedAt: at(9) };
      await repository.putKnowledgeBase(updated);
      assert.deepEqual(await repository.getKnowledgeBase('KB00000002'), updated);
      const again = (await stores.opened().reopen()).repository;
      assert.deepEqual(await again.listKnowledgeBases(), [first, updated]);
      assert.ok((await again.getKnowledgeBase('KB00000001'))?.createdAt instanceof Date);
    });

    it('stores data sources and ingestion jobs, and lists the unfinished jobs of every knowledge base', async () => {
      const repository = await open();
      await repository.putKnowledgeBase(knowledgeBase('KB00000001', 1));
      await repository.putKnowledgeBase(knowledgeBase('KB00000002', 2));
      const sources = [dataSource('KB00000001', 'DS00000002', 3), dataSource('KB00000001', 'DS00000001', 4), dataSource('KB00000002', 'DS00000003', 5)];
      for (const source of sources) await repository.putDataSource(source);
      assert.deepEqual(await repository.listDataSources('KB00000001'), [sources[0], sources[1]]);
      assert.deepEqual(await repository.getDataSource('KB00000002', 'DS00000003'), sources[2]);
      assert.equal(await repository.getDataSource('KB00000001', 'DS00000003'), undefined);
      const jobs = [
        job('KB00000001', 'DS00000001', 'JOB0000002', 10, 'COMPLETE'),
        job('KB00000001', 'DS00000001', 'JOB0000001', 11, 'IN_PROGRESS'),
        job('KB00000002', 'DS00000003', 'JOB0000003', 12, 'STARTING'),
        job('KB00000001', 'DS00000002', 'JOB0000004', 13, 'FAILED'),
      ];
      for (const item of jobs) await repository.putIngestionJob(item);
      assert.deepEqual(await repository.listIngestionJobs('KB00000001', 'DS00000001'), [jobs[0], jobs[1]]);
      assert.deepEqual(await repository.getIngestionJob('KB00000001', 'DS00000002', 'JOB0000004'), jobs[3]);
      assert.deepEqual(await repository.listUnfinishedIngestionJobs(), [jobs[1], jobs[2]]);
      const finished = { ...jobs[1]!, status: 'STOPPED' as const, updatedAt: at(40) };
      await repository.putIngestionJob(finished);
      assert.deepEqual(await repository.listUnfinishedIngestionJobs(), [jobs[2]]);
      assert.deepEqual(await repository.getIngestionJob('KB00000001', 'DS00000001', 'JOB0000001'), finished);
    });

    it('pages through document records in id order and deletes them', async () => {
      const repository = await open();
      const names = ['b.pdf', 'a.txt', 'C.md', 'ä.html', 'a.txt.metadata', 'z', '0', 'm/n.pdf'];
      for (const name of names) await repository.putDocument(document('KB00000001', 'DS00000001', name));
      await repository.putDocument(document('KB00000001', 'DS00000002', 'elsewhere'));
      const sorted = [...names].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await repository.listDocuments('KB00000001', 'DS00000001', { limit: 3, ...(after ? { after } : {}) });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((item) => item.id));
        after = page.nextToken;
      } while (after);
      assert.deepEqual(seen, sorted);
      const exact = await repository.listDocuments('KB00000001', 'DS00000001', { limit: names.length });
      assert.equal(exact.items.length, names.length);
      assert.equal(exact.nextToken, undefined);
      assert.deepEqual((await repository.allDocuments('KB00000001', 'DS00000001')).map((item) => item.id), sorted);
      assert.deepEqual(await repository.getDocument('KB00000001', 'DS00000001', 'b.pdf'), document('KB00000001', 'DS00000001', 'b.pdf'));
      const failed = { ...document('KB00000001', 'DS00000001', 'b.pdf'), status: 'FAILED' as const, statusReason: 'encrypted PDF', chunkIds: [] };
      await repository.putDocument(failed);
      assert.deepEqual(await repository.getDocument('KB00000001', 'DS00000001', 'b.pdf'), failed);
      await repository.deleteDocument('KB00000001', 'DS00000001', 'b.pdf');
      assert.equal(await repository.getDocument('KB00000001', 'DS00000001', 'b.pdf'), undefined);
      await assert.rejects(repository.listDocuments('KB00000001', 'DS00000001', { limit: 2, after: 'not-a-token' }), (error: Error & { code?: string }) => error.code === 'ValidationException');
    });

    it('deletes a data source or a knowledge base with everything under it', async () => {
      const repository = await open();
      for (const id of ['KB00000001', 'KB00000002']) {
        await repository.putKnowledgeBase(knowledgeBase(id, id === 'KB00000001' ? 1 : 2));
        for (const source of ['DS00000001', 'DS00000002']) {
          await repository.putDataSource(dataSource(id, source, 3));
          await repository.putIngestionJob(job(id, source, 'JOB0000001', 4, 'IN_PROGRESS'));
          await repository.putDocument(document(id, source, 'doc'));
        }
      }
      await repository.deleteDataSource('KB00000001', 'DS00000001');
      assert.deepEqual((await repository.listDataSources('KB00000001')).map((item) => item.dataSourceId), ['DS00000002']);
      assert.deepEqual(await repository.listIngestionJobs('KB00000001', 'DS00000001'), []);
      assert.deepEqual(await repository.allDocuments('KB00000001', 'DS00000001'), []);
      assert.equal((await repository.allDocuments('KB00000001', 'DS00000002')).length, 1);
      await repository.deleteKnowledgeBase('KB00000001');
      assert.equal(await repository.getKnowledgeBase('KB00000001'), undefined);
      assert.deepEqual(await repository.listDataSources('KB00000001'), []);
      assert.deepEqual(await repository.allDocuments('KB00000001', 'DS00000002'), []);
      assert.deepEqual(
        (await repository.listUnfinishedIngestionJobs()).map((item) => `${item.knowledgeBaseId}/${item.dataSourceId}`),
        ['KB00000002/DS00000001', 'KB00000002/DS00000002'],
      );
      assert.equal((await repository.listKnowledgeBases()).length, 1);
    });

    it('keeps conversation sessions: turns capped to the newest, touched only while live, across a reopen', async () => {
      const { sessions } = await stores.open();
      const turn = (n: number) => ({ question: `question ${n} — ä "quoted"`, answer: `answer ${n}\nline two` });
      assert.deepEqual(await sessions.sessionTurns('missing'), []);
      assert.equal(await sessions.touchSession('missing', at(1), at(0)), false);
      await sessions.createSession('session-1', at(1));
      await sessions.createSession('session-2', at(2));
      await assert.rejects(sessions.createSession('session-1', at(3)));
      assert.deepEqual(await sessions.sessionTurns('session-1'), []);
      for (const n of [1, 2, 3, 4]) await sessions.appendTurn('session-1', turn(n), at(10 + n), 3);
      assert.deepEqual(await sessions.sessionTurns('session-1'), [turn(2), turn(3), turn(4)]);
      await Promise.all([5, 6, 7].map((n) => sessions.appendTurn('session-2', turn(n), at(20), 5)));
      assert.deepEqual((await sessions.sessionTurns('session-2')).map((item) => item.question).sort(), [turn(5), turn(6), turn(7)].map((item) => item.question));
      await sessions.appendTurn('gone-meanwhile', turn(8), at(21), 3);
      assert.deepEqual(await sessions.sessionTurns('gone-meanwhile'), [turn(8)]);
      assert.equal(await sessions.touchSession('session-1', at(30), at(15)), false, 'last used at 14, before 15: expired');
      assert.equal(await sessions.touchSession('session-1', at(30), at(14)), true);
      assert.equal(await sessions.touchSession('session-1', at(31), at(30)), true, 'the touch moved its last use to 30');
      const again = (await stores.opened().reopen()).sessions;
      assert.deepEqual(await again.sessionTurns('session-1'), [turn(2), turn(3), turn(4)]);
      assert.equal(await again.deleteSessionsUsedBefore(at(25)), 2, 'session-2 (20) and gone-meanwhile (21) go');
      assert.deepEqual(await again.sessionTurns('session-2'), []);
      assert.equal(await again.touchSession('session-2', at(40), at(0)), false);
      assert.equal(await again.touchSession('session-1', at(40), at(0)), true);
      assert.equal(await again.deleteSessionsUsedBefore(at(25)), 0);
    });
  });
}
