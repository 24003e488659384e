import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeDocx, makePdf } from '../../../../test/support/document-fixtures.js';
import { MemoryChunkIndex, MemoryKnowledgeBaseRepository, hashEmbeddingModel } from '../../../../test/support/memory-knowledge-stores.js';
import type { OutcropError } from '../../errors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { IngestionJobRecord } from '../registry/knowledge-base-record.js';
import { KnowledgeBases } from '../registry/knowledge-bases.js';

const roleArn = 'arn:aws:iam::123456789012:role/kb';
let folder: string;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'outcrop-jobs-'));
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function writeFolder(root: string, files: Record<string, string | Uint8Array>) {
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
}

function setup(model: EmbeddingModel, root: string, stores = { repository: new MemoryKnowledgeBaseRepository(), index: new MemoryChunkIndex() }) {
  const knowledgeBases = new KnowledgeBases({
    ...stores,
    catalog: { resolveEmbedding: () => ({ model }) },
    region: 'us-east-1',
    accountId: '123456789012',
    settings: { localBuckets: { docs: root } },
    ingestion: { concurrency: 2, progressIntervalMs: 0 },
  });
  return { ...stores, knowledgeBases };
}

async function createSource(knowledgeBases: KnowledgeBases) {
  const kb = await knowledgeBases.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'test.hash-embed' } } });
  const ds = await knowledgeBases.createDataSource(kb.knowledgeBaseId, {
    name: 'folder',
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
    vectorIngestionConfiguration: { chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 100, overlapPercentage: 10 } } },
  });
  return { knowledgeBaseId: kb.knowledgeBaseId, dataSourceId: ds.dataSourceId };
}

async function runToEnd(knowledgeBases: KnowledgeBases, knowledgeBaseId: string, dataSourceId: string): Promise<IngestionJobRecord> {
  const started = await knowledgeBases.jobs.start(knowledgeBaseId, dataSourceId);
  assert.equal(started.status, 'STARTING');
  await knowledgeBases.jobs.whenDone(started.ingestionJobId);
  return knowledgeBases.jobs.get(knowledgeBaseId, dataSourceId, started.ingestionJobId);
}

describe('ingestion jobs', () => {
  it('indexes a folder, records the corrupt PDF as failed and carries on, then re-syncs incrementally', async () => {
    const root = await mkdtemp(join(folder, 'sync-'));
    await writeFolder(root, {
      'geology.pdf': makePdf([['Granite is an igneous rock.'], ['Basalt forms from lava.']]),
      'geology.pdf.metadata.json': JSON.stringify({ metadataAttributes: { year: 2024, topic: { value: { type: 'STRING', stringValue: 'rocks' }, includeForEmbedding: true } } }),
      'handbook.docx': makeDocx([{ heading: 1, text: 'Handbook' }, 'Employees get 25 days of leave.']),
      'page.html': '<title>Page</title><h1>Minerals</h1><p>Quartz is hard.</p>',
      'notes.md': '# Notes\n\nObsidian is volcanic glass.',
      'rocks.csv': 'rock,type\nMarble,metamorphic\n',
      'broken.pdf': makePdf([['cut short']]).slice(0, 150),
    });
    const model = hashEmbeddingModel(16);
    const { knowledgeBases, index, repository } = setup(model, root);
    const { knowledgeBaseId, dataSourceId } = await createSource(knowledgeBases);

    const first = await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    assert.equal(first.status, 'COMPLETE');
    assert.deepEqual(first.statistics, {
      numberOfDocumentsScanned: 6,
      numberOfMetadataDocumentsScanned: 1,
      numberOfNewDocumentsIndexed: 5,
      numberOfModifiedDocumentsIndexed: 0,
      numberOfMetadataDocumentsModified: 0,
      numberOfDocumentsDeleted: 0,
      numberOfDocumentsFailed: 1,
      numberOfDocumentsSkipped: 0,
    });
    assert.equal(first.failureReasons.length, 1);
    assert.match(first.failureReasons[0] ?? '', /^s3:\/\/docs\/broken\.pdf: broken\.pdf is not a valid PDF/);
    assert.deepEqual(repository.jobWrites.slice(0, 2), ['STARTING', 'IN_PROGRESS']);

    const broken = await repository.getDocument(knowledgeBaseId, dataSourceId, 's3://docs/broken.pdf');
    assert.equal(broken?.status, 'FAILED');
    assert.match(broken?.statusReason ?? '', /not a valid PDF/);
    const geology = [...index.chunks.values()].find((chunk) => chunk.documentId === 's3://docs/geology.pdf');
    assert.ok(geology);
    assert.deepEqual(geology.location, { type: 'S3', s3Location: { uri: 's3://docs/geology.pdf' } });
    assert.equal(geology.metadata.year, 2024);
    assert.equal(geology.metadata.topic, 'rocks');
    assert.equal(geology.metadata['x-amz-bedrock-kb-source-uri'], 's3://docs/geology.pdf');
    assert.equal(geology.metadata['x-amz-bedrock-kb-data-source-id'], dataSourceId);
    assert.equal(geology.metadata['x-amz-bedrock-kb-chunk-id'], geology.id);
    assert.equal(geology.metadata['x-amz-bedrock-kb-document-page-number'], 1);
    assert.ok(model.embedded.some((text) => text.startsWith('topic: rocks\n\nGranite')), 'attributes marked includeForEmbedding are embedded with the chunk');
    assert.equal(geology.text.startsWith('Granite'), true, 'the index keeps the chunk\'s own text');

    // change one, change the metadata of another, delete a third, leave the rest
    await writeFile(join(root, 'notes.md'), '# Notes\n\nPumice floats on water.');
    await writeFile(join(root, 'geology.pdf.metadata.json'), JSON.stringify({ metadataAttributes: { year: 2025 } }));
    await unlink(join(root, 'rocks.csv'));
    const embeddedBefore = model.embedded.length;
    const second = await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    assert.equal(second.status, 'COMPLETE');
    assert.deepEqual(second.statistics, {
      numberOfDocumentsScanned: 5,
      numberOfMetadataDocumentsScanned: 1,
      numberOfNewDocumentsIndexed: 0,
      numberOfModifiedDocumentsIndexed: 1,
      numberOfMetadataDocumentsModified: 1,
      numberOfDocumentsDeleted: 1,
      numberOfDocumentsFailed: 1,
      numberOfDocumentsSkipped: 0,
    });
    const reembedded = model.embedded.slice(embeddedBefore).join('\n');
    assert.match(reembedded, /Pumice/);
    assert.doesNotMatch(reembedded, /Quartz|Employees/, 'unchanged documents are not embedded again');
    assert.deepEqual(index.textsOf(knowledgeBaseId, 's3://docs/notes.md'), ['Notes\n\nPumice floats on water.']);
    assert.deepEqual(index.textsOf(knowledgeBaseId, 's3://docs/rocks.csv'), []);
    assert.equal(await repository.getDocument(knowledgeBaseId, dataSourceId, 's3://docs/rocks.csv'), undefined);
    const updatedGeology = [...index.chunks.values()].find((chunk) => chunk.documentId === 's3://docs/geology.pdf');
    assert.equal(updatedGeology?.metadata.year, 2025);
    assert.equal(updatedGeology?.metadata.topic, undefined);

    const listed = await knowledgeBases.jobs.list(knowledgeBaseId, dataSourceId, { sortBy: { attribute: 'STARTED_AT', order: 'DESCENDING' } });
    assert.deepEqual(listed.items.map((job) => job.ingestionJobId), [second.ingestionJobId, first.ingestionJobId]);
    const none = await knowledgeBases.jobs.list(knowledgeBaseId, dataSourceId, { filters: [{ attribute: 'STATUS', operator: 'EQ', values: ['FAILED'] }] });
    assert.deepEqual(none.items, []);
  });

  it('re-embeds only the chunks of a changed document whose text changed, unless its embedded attributes changed', async () => {
    const root = await mkdtemp(join(folder, 'reuse-'));
    const topics = ['granite', 'basalt', 'quartz', 'obsidian', 'gneiss', 'marble', 'pumice', 'slate'];
    const paragraphs = topics.map((rock, index) => `${'The survey team logged another outcrop of '.repeat(3)}${rock} near station ${index}. ${'Samples went to the lab for dating. '.repeat(4)}`);
    const write = (parts: string[]) => writeFolder(root, { 'survey.md': `# Survey\n\n${parts.join('\n\n')}`, 'other.md': '# Other\n\nUnrelated notes on slate.' });
    await write(paragraphs);
    const model = hashEmbeddingModel(16);
    const { knowledgeBases, index } = setup(model, root);
    const { knowledgeBaseId, dataSourceId } = await createSource(knowledgeBases);
    const expectVectorsOfOwnText = (prefix = '') => {
      for (const chunk of index.chunks.values()) {
        const digest = createHash('sha256').update(`${prefix}${chunk.text}`).digest();
        const expected = Array.from({ length: 16 }, (_, i) => Math.fround((digest[i % digest.length] as number) / 255 - 0.5));
        if (chunk.documentId === 's3://docs/survey.md') assert.deepEqual(Array.from(chunk.embedding), expected, `the vector of "${chunk.text.slice(0, 40)}..." is its own text's`);
      }
    };
    await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    const firstChunks = index.textsOf(knowledgeBaseId, 's3://docs/survey.md');
    assert.ok(firstChunks.length >= 6, `a long document (${firstChunks.length} chunks)`);
    expectVectorsOfOwnText();

    // one paragraph near the end rewritten: the chunks before it keep their vectors
    const edited = [...paragraphs];
    edited[6] = 'A new paragraph replaced the seventh one: the team found tuff and ignimbrite near station six.';
    await write(edited);
    let before = model.embedded.length;
    const second = await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    assert.equal(second.statistics.numberOfModifiedDocumentsIndexed, 1);
    const newChunks = index.textsOf(knowledgeBaseId, 's3://docs/survey.md');
    const reembedded = model.embedded.slice(before);
    assert.deepEqual([...reembedded].sort(), newChunks.filter((text) => !firstChunks.includes(text)).sort(), 'exactly the chunks with new text were embedded');
    assert.ok(reembedded.length > 0 && reembedded.length < newChunks.length, `${reembedded.length} of ${newChunks.length} chunks embedded`);
    assert.ok(reembedded.some((text) => text.includes('ignimbrite')));
    assert.ok(newChunks.some((text) => text.includes('ignimbrite')) && !newChunks.some((text) => text.includes('pumice near station 6')), 'the index holds the new text only');
    expectVectorsOfOwnText();

    // an attribute embedded with every chunk: all of the document is embedded again, with it
    await writeFile(join(root, 'survey.md.metadata.json'), JSON.stringify({ metadataAttributes: { site: { value: { type: 'STRING', stringValue: 'north' }, includeForEmbedding: true } } }));
    before = model.embedded.length;
    await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    assert.equal(model.embedded.length - before, newChunks.length);
    expectVectorsOfOwnText('site: north\n\n');

    // content changed while the attributes stayed: unchanged chunks keep the vectors made with the prefix
    edited[0] = 'The first paragraph now describes a day of rain at the quarry.';
    await write(edited);
    before = model.embedded.length;
    await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    const lastChunks = index.textsOf(knowledgeBaseId, 's3://docs/survey.md');
    assert.ok(model.embedded.length - before < lastChunks.length);
    assert.ok(model.embedded.slice(before).every((text) => text.startsWith('site: north\n\n')));
    expectVectorsOfOwnText('site: north\n\n');
  });

  it('runs one job per data source, stops between documents, and refuses to stop a finished job', async () => {
    const root = await mkdtemp(join(folder, 'stop-'));
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`note-${String(i).padStart(2, '0')}.md`] = `# Note ${i}\n\nRock sample number ${i} is basalt.`;
    await writeFolder(root, files);
    const { knowledgeBases } = setup(hashEmbeddingModel(16, { delayMs: 40 }), root);
    const { knowledgeBaseId, dataSourceId } = await createSource(knowledgeBases);
    const job = await knowledgeBases.jobs.start(knowledgeBaseId, dataSourceId);
    await assert.rejects(knowledgeBases.jobs.start(knowledgeBaseId, dataSourceId), (error: OutcropError) => {
      assert.equal(error.code, 'ConflictException');
      assert.match(error.message, new RegExp(`${job.ingestionJobId} is already running`));
      return true;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stopping = await knowledgeBases.jobs.stop(knowledgeBaseId, dataSourceId, job.ingestionJobId);
    assert.equal(stopping.status, 'STOPPING');
    await knowledgeBases.jobs.whenDone(job.ingestionJobId);
    const stopped = await knowledgeBases.jobs.get(knowledgeBaseId, dataSourceId, job.ingestionJobId);
    assert.equal(stopped.status, 'STOPPED');
    assert.ok(stopped.statistics.numberOfNewDocumentsIndexed < 12, `stopped early (${stopped.statistics.numberOfNewDocumentsIndexed} indexed)`);
    await assert.rejects(knowledgeBases.jobs.stop(knowledgeBaseId, dataSourceId, job.ingestionJobId), /STOPPED; only a STARTING or IN_PROGRESS job can be stopped/);
    await assert.rejects(knowledgeBases.jobs.get(knowledgeBaseId, dataSourceId, 'NOSUCHJOB0'), /Ingestion job NOSUCHJOB0 was not found/);
    // the next job picks up where the stopped one left off
    const rest = await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    assert.equal(rest.statistics.numberOfNewDocumentsIndexed + stopped.statistics.numberOfNewDocumentsIndexed, 12);
  });

  it('resumes a job a shutdown interrupted, without indexing anything twice', async () => {
    const root = await mkdtemp(join(folder, 'resume-'));
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`doc-${i}.md`] = `Document ${i} talks about gneiss.`;
    await writeFolder(root, files);
    const stores = { repository: new MemoryKnowledgeBaseRepository(), index: new MemoryChunkIndex() };
    const firstProcess = setup(hashEmbeddingModel(16, { delayMs: 40 }), root, stores).knowledgeBases;
    const { knowledgeBaseId, dataSourceId } = await createSource(firstProcess);
    const job = await firstProcess.jobs.start(knowledgeBaseId, dataSourceId);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await firstProcess.close();
    const interrupted = await stores.repository.getIngestionJob(knowledgeBaseId, dataSourceId, job.ingestionJobId);
    assert.equal(interrupted?.status, 'IN_PROGRESS');
    const indexedBefore = interrupted?.statistics.numberOfNewDocumentsIndexed ?? 0;
    assert.ok(indexedBefore < 10);

    const model = hashEmbeddingModel(16);
    const secondProcess = setup(model, root, stores).knowledgeBases;
    await secondProcess.start();
    await secondProcess.jobs.whenDone(job.ingestionJobId);
    const resumed = await secondProcess.jobs.get(knowledgeBaseId, dataSourceId, job.ingestionJobId);
    assert.equal(resumed.status, 'COMPLETE');
    assert.equal(resumed.statistics.numberOfNewDocumentsIndexed, 10);
    assert.equal(model.embedded.length, 10 - indexedBefore, 'documents indexed before the shutdown are not embedded again');
    assert.equal(await stores.index.countChunks(knowledgeBaseId), 10);
  });

  it('fails the job when the source cannot be listed, and a web crawl that reaches nothing', async () => {
    const { knowledgeBases } = setup(hashEmbeddingModel(16), join(folder, 'does-not-exist'));
    const { knowledgeBaseId, dataSourceId } = await createSource(knowledgeBases);
    const job = await runToEnd(knowledgeBases, knowledgeBaseId, dataSourceId);
    assert.equal(job.status, 'FAILED');
    assert.match(job.failureReasons[0] ?? '', /ENOENT/);

    const web = await knowledgeBases.createDataSource(knowledgeBaseId, {
      name: 'site',
      dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: 'http://outcrop-test.invalid/docs' }] } } } },
    });
    const crawl = await runToEnd(knowledgeBases, knowledgeBaseId, web.dataSourceId);
    assert.equal(crawl.status, 'FAILED');
    assert.match(crawl.failureReasons[0] ?? '', /The crawl found no page to index: http:\/\/outcrop-test\.invalid\//);
  });

  it('ingests, reports and deletes documents directly on a custom data source', async () => {
    const index = new MemoryChunkIndex();
    const { knowledgeBases } = setup(hashEmbeddingModel(16), folder, { repository: new MemoryKnowledgeBaseRepository(), index });
    const kb = await knowledgeBases.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'test.hash-embed' } } });
    const ds = await knowledgeBases.createDataSource(kb.knowledgeBaseId, { name: 'api', dataSourceConfiguration: { type: 'CUSTOM' } });
    const id = (value: string) => ({ dataSourceType: 'CUSTOM' as const, custom: { id: value } });
    const details = await knowledgeBases.documents.ingest(kb.knowledgeBaseId, ds.dataSourceId, [
      { identifier: id('faq'), content: { type: 'TEXT', text: 'The shop opens at nine.' }, metadata: { type: 'INLINE', attributes: [{ key: 'lang', value: { type: 'STRING', stringValue: 'en' } }] } },
      { identifier: id('report'), content: { type: 'BYTE', bytes: makePdf([['Sales grew.']]), mimeType: 'application/pdf' } },
      { identifier: id('bad'), content: { type: 'BYTE', bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2]), mimeType: 'application/pdf' } },
    ]);
    assert.deepEqual(details.map((detail) => detail.status), ['STARTING', 'STARTING', 'STARTING']);
    await knowledgeBases.documents.settle();
    const got = await knowledgeBases.documents.get(kb.knowledgeBaseId, ds.dataSourceId, [id('faq'), id('report'), id('bad'), id('missing')]);
    assert.deepEqual(got.map((detail) => detail.status), ['INDEXED', 'INDEXED', 'FAILED', 'NOT_FOUND']);
    assert.match(got[2]?.statusReason ?? '', /PDF/);
    const faq = [...index.chunks.values()].find((chunk) => chunk.documentId === 'faq');
    assert.deepEqual(faq?.location, { type: 'CUSTOM', customDocumentLocation: { id: 'faq' } });
    assert.equal(faq?.metadata.lang, 'en');

    await assert.rejects(
      knowledgeBases.documents.ingest(kb.knowledgeBaseId, ds.dataSourceId, [{ identifier: id('x'), content: { type: 'TEXT', text: 'x' }, metadata: { type: 'INLINE', attributes: [{ key: 'n', value: { type: 'NUMBER', stringValue: 'no' } }] } }]),
      /metadata of x is invalid/,
    );
    await assert.rejects(
      knowledgeBases.documents.ingest(kb.knowledgeBaseId, ds.dataSourceId, [{ identifier: { dataSourceType: 'S3', s3: { uri: 's3://docs/a.txt' } }, content: { type: 'S3', uri: 's3://docs/a.txt' } }]),
      /is of type CUSTOM/,
    );
    const page = await knowledgeBases.documents.list(kb.knowledgeBaseId, ds.dataSourceId, { maxResults: 2 });
    assert.deepEqual(page.items.map((detail) => detail.identifier), [id('bad'), id('faq')]);
    assert.ok(page.nextToken);

    const deleting = await knowledgeBases.documents.delete(kb.knowledgeBaseId, ds.dataSourceId, [id('faq'), id('missing')]);
    assert.deepEqual(deleting.map((detail) => detail.status), ['DELETING', 'NOT_FOUND']);
    await knowledgeBases.documents.settle();
    assert.equal((await knowledgeBases.documents.get(kb.knowledgeBaseId, ds.dataSourceId, [id('faq')]))[0]?.status, 'NOT_FOUND');
    assert.equal(await index.countChunks(kb.knowledgeBaseId, { dataSourceId: ds.dataSourceId, documentId: 'faq' }), 0);
    assert.equal(await index.countChunks(kb.knowledgeBaseId, { dataSourceId: ds.dataSourceId, documentId: 'report' }), 1);
  });
});
