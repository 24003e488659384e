import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryChunkIndex, MemoryKnowledgeBaseRepository, hashEmbeddingModel } from '../../../../test/support/memory-knowledge-stores.js';
import { OutcropError } from '../../errors.js';
import { KnowledgeBases } from './knowledge-bases.js';

const model = hashEmbeddingModel(16);
const catalog = {
  resolveEmbedding(id: string) {
    if (id === 'test.hash-embed' || id.endsWith('foundation-model/test.hash-embed')) return { model };
    if (id === 'test.text') throw new OutcropError('ValidationException', `The model ${id} is not an embedding model.`);
    throw new OutcropError('ValidationException', `The provided model identifier is invalid: '${id}' is not in this server's model catalog.`);
  },
};
const roleArn = 'arn:aws:iam::123456789012:role/kb';
const vector = (embeddingModelArn = 'arn:aws:bedrock:us-east-1::foundation-model/test.hash-embed', extra: object = {}) => ({
  type: 'VECTOR',
  vectorKnowledgeBaseConfiguration: { embeddingModelArn, ...extra },
});
const s3Source = { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } };

function setup(settings = {}) {
  const repository = new MemoryKnowledgeBaseRepository();
  const index = new MemoryChunkIndex();
  const knowledgeBases = new KnowledgeBases({ repository, index, catalog, region: 'us-east-1', accountId: '123456789012', settings });
  return { repository, index, knowledgeBases };
}

const rejects = (promise: Promise<unknown>, code: string, message: RegExp) =>
  assert.rejects(promise, (error: Error) => {
    assert.equal((error as OutcropError).code, code);
    assert.match(error.message, message);
    return true;
  });

describe('KnowledgeBases registry', () => {
  it('creates a VECTOR knowledge base with a Bedrock id, the model\'s dimensions and an index', async () => {
    const { knowledgeBases, index } = setup();
    const created = await knowledgeBases.create({ name: 'docs', roleArn, knowledgeBaseConfiguration: vector(), tags: { team: 'search' } });
    assert.match(created.knowledgeBaseId, /^[0-9A-Z]{10}$/);
    assert.equal(created.status, 'ACTIVE');
    assert.equal(created.dimensions, 16);
    assert.equal(index.dimensions.get(created.knowledgeBaseId), 16);
    assert.equal(knowledgeBases.arnOf(created.knowledgeBaseId), `arn:aws:bedrock:us-east-1:123456789012:knowledge-base/${created.knowledgeBaseId}`);
    assert.deepEqual(await knowledgeBases.tagsOf(knowledgeBases.arnOf(created.knowledgeBaseId)), { team: 'search' });
    assert.equal(knowledgeBases.embeddingModel(await knowledgeBases.get(created.knowledgeBaseId)), model);
  });

  it('refuses unknown and non-embedding models, other sizes, other types and incomplete storage', async () => {
    const { knowledgeBases } = setup();
    await rejects(knowledgeBases.create({ name: 'a', roleArn, knowledgeBaseConfiguration: vector('amazon.nothing-v1') }), 'ValidationException', /embedding model amazon\.nothing-v1 cannot be used.*not in this server's model catalog/);
    await rejects(knowledgeBases.create({ name: 'a', roleArn, knowledgeBaseConfiguration: vector('test.text') }), 'ValidationException', /test\.text .*not an embedding model/);
    await rejects(
      knowledgeBases.create({ name: 'a', roleArn, knowledgeBaseConfiguration: vector('test.hash-embed', { embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: 1024 } } }) }),
      'ValidationException',
      /produces 16-dimensional vectors.*dimensions 1024/,
    );
    await rejects(knowledgeBases.create({ name: 'a', roleArn, knowledgeBaseConfiguration: { type: 'KENDRA', kendraKnowledgeBaseConfiguration: {} } }), 'ValidationException', /KENDRA are not supported/);
    await rejects(knowledgeBases.create({ name: 'a', roleArn, knowledgeBaseConfiguration: vector(), storageConfiguration: { type: 'PINECONE' } }), 'ValidationException', /storageConfiguration\.pineconeConfiguration is required/);
    const kept = await knowledgeBases.create({
      name: 'a',
      roleArn,
      knowledgeBaseConfiguration: vector('test.hash-embed', { embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: 16 } } }),
      storageConfiguration: { type: 'RDS', rdsConfiguration: { resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:db' } },
    });
    assert.equal((await knowledgeBases.get(kept.knowledgeBaseId)).storageConfiguration?.type, 'RDS');
    await rejects(knowledgeBases.create({ name: 'a', roleArn, knowledgeBaseConfiguration: vector() }), 'ConflictException', /KnowledgeBase with name a already exists/);
  });

  it('gets, lists by page, updates and deletes', async () => {
    const { knowledgeBases, index, repository } = setup();
    const ids = [];
    for (const name of ['one', 'two', 'three']) ids.push((await knowledgeBases.create({ name, roleArn, knowledgeBaseConfiguration: vector() })).knowledgeBaseId);
    const first = await knowledgeBases.list({ maxResults: 2 });
    assert.deepEqual(first.items.map((kb) => kb.name), ['one', 'two']);
    const second = await knowledgeBases.list({ maxResults: 2, ...(first.nextToken ? { nextToken: first.nextToken } : {}) });
    assert.deepEqual(second.items.map((kb) => kb.name), ['three']);
    assert.equal(second.nextToken, undefined);
    await rejects(knowledgeBases.list({ nextToken: 'garbage!' }), 'ValidationException', /nextToken/);

    const [id] = ids as [string];
    const updated = await knowledgeBases.update(id, { name: 'renamed', description: 'now described', roleArn, knowledgeBaseConfiguration: vector('test.hash-embed') });
    assert.equal(updated.name, 'renamed');
    assert.equal(updated.description, 'now described');
    await rejects(knowledgeBases.update(id, { name: 'renamed', roleArn, knowledgeBaseConfiguration: vector('amazon.nothing-v1') }), 'ValidationException', /amazon\.nothing-v1/);
    await rejects(knowledgeBases.update(id, { name: 'two', roleArn, knowledgeBaseConfiguration: vector() }), 'ConflictException', /two/);

    await rejects(knowledgeBases.get('NOSUCHKB00'), 'ResourceNotFoundException', /Knowledge base NOSUCHKB00 was not found/);
    await rejects(knowledgeBases.update('NOSUCHKB00', { name: 'x', roleArn, knowledgeBaseConfiguration: vector() }), 'ResourceNotFoundException', /NOSUCHKB00/);
    assert.equal((await knowledgeBases.delete(id)).status, 'DELETING');
    await rejects(knowledgeBases.get(id), 'ResourceNotFoundException', /was not found/);
    assert.equal(index.dimensions.has(id), false);
    assert.equal(repository.knowledgeBases.size, 2);
    await rejects(knowledgeBases.delete(id), 'ResourceNotFoundException', /was not found/);
  });

  it('answers a retried create (same clientToken) with the first record, also from another instance over the same store', async () => {
    const { knowledgeBases, repository, index } = setup();
    const first = await knowledgeBases.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector(), clientToken: 'token-kb-0000000000000000000000001' });
    const source = await knowledgeBases.createDataSource(first.knowledgeBaseId, { name: 'ds', dataSourceConfiguration: s3Source as never, clientToken: 'token-ds-0000000000000000000000001' });
    // a restarted server, or another instance on the same database
    const other = new KnowledgeBases({ repository, index, catalog, region: 'us-east-1', accountId: '123456789012', settings: {} });
    const retried = await other.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector(), clientToken: 'token-kb-0000000000000000000000001' });
    assert.equal(retried.knowledgeBaseId, first.knowledgeBaseId);
    const retriedSource = await other.createDataSource(first.knowledgeBaseId, { name: 'ds', dataSourceConfiguration: s3Source as never, clientToken: 'token-ds-0000000000000000000000001' });
    assert.equal(retriedSource.dataSourceId, source.dataSourceId);
    assert.equal((await other.list()).items.length, 1);
    // another token is another request: the name is taken
    await rejects(other.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector(), clientToken: 'token-kb-0000000000000000000000002' }), 'ConflictException', /kb/);
  });

  it('validates data sources: type, bucket, chunking limits, unsupported settings, private seed URLs', async () => {
    const { knowledgeBases } = setup();
    const { knowledgeBaseId } = await knowledgeBases.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector() });
    const create = (dataSourceConfiguration: object, vectorIngestionConfiguration?: object) =>
      knowledgeBases.createDataSource(knowledgeBaseId, { name: `ds${Math.random().toString(36).slice(2, 8)}`, dataSourceConfiguration: dataSourceConfiguration as never, ...(vectorIngestionConfiguration ? { vectorIngestionConfiguration: vectorIngestionConfiguration as never } : {}) });
    const chunking = (configuration: object) => ({ chunkingConfiguration: configuration });

    await rejects(create({ type: 'CONFLUENCE', confluenceConfiguration: {} }), 'ValidationException', /CONFLUENCE are not supported/);
    await rejects(create({ type: 'S3' }), 'ValidationException', /s3Configuration is required/);
    await rejects(create(s3Source, chunking({ chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 9000, overlapPercentage: 20 } })), 'ValidationException', /maxTokens.*between 1 and 8192/);
    await rejects(create(s3Source, chunking({ chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 300, overlapPercentage: 100 } })), 'ValidationException', /overlapPercentage/);
    await rejects(create(s3Source, chunking({ chunkingStrategy: 'FIXED_SIZE' })), 'ValidationException', /fixedSizeChunkingConfiguration is required/);
    await rejects(
      create(s3Source, chunking({ chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 100 }, { maxTokens: 500 }], overlapTokens: 20 } })),
      'ValidationException',
      /child chunk size \(500 tokens\) must not exceed the parent/,
    );
    await rejects(
      create(s3Source, chunking({ chunkingStrategy: 'SEMANTIC', semanticChunkingConfiguration: { maxTokens: 300, bufferSize: 0, breakpointPercentileThreshold: 30 } })),
      'ValidationException',
      /breakpointPercentileThreshold.*between 50 and 99/,
    );
    await rejects(create(s3Source, { parsingConfiguration: { parsingStrategy: 'BEDROCK_FOUNDATION_MODEL' } }), 'ValidationException', /parsingConfiguration .*not supported/);
    const web = (url: string) => ({ type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url }] } } } });
    await rejects(create(web('http://127.0.0.1:8080/docs')), 'ValidationException', /127\.0\.0\.1 is a loopback address/);
    await rejects(create(web('http://localhost/')), 'ValidationException', /loopback/);
    await rejects(create(web('http://[::1]/')), 'ValidationException', /loopback/);
    await rejects(create(web('http://169.254.169.254/latest/')), 'ValidationException', /link-local/);

    const created = await create(s3Source, chunking({ chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 1500 }, { maxTokens: 300 }], overlapTokens: 60 } }));
    assert.match(created.dataSourceId, /^[0-9A-Z]{10}$/);
    assert.equal(created.status, 'AVAILABLE');
    assert.equal(created.dataDeletionPolicy, 'DELETE');
    await rejects(
      knowledgeBases.updateDataSource(knowledgeBaseId, created.dataSourceId, { name: created.name, dataSourceConfiguration: s3Source }),
      'ValidationException',
      /chunking configuration .* cannot be changed/,
    );
    await rejects(knowledgeBases.createDataSource(knowledgeBaseId, { name: created.name, dataSourceConfiguration: s3Source }), 'ConflictException', /already exists/);
    await rejects(knowledgeBases.getDataSource(knowledgeBaseId, 'NOSUCHDS00'), 'ResourceNotFoundException', /Data source NOSUCHDS00 was not found/);
    await rejects(knowledgeBases.createDataSource('NOSUCHKB00', { name: 'x', dataSourceConfiguration: s3Source }), 'ResourceNotFoundException', /NOSUCHKB00/);

    const allowed = setup({ crawler: { allowPrivateNetworks: true } }).knowledgeBases;
    const kb = await allowed.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector() });
    assert.equal((await allowed.createDataSource(kb.knowledgeBaseId, { name: 'site', dataSourceConfiguration: web('http://127.0.0.1:8080/docs') as never })).status, 'AVAILABLE');
  });

  it('deletes a data source\'s chunks under DELETE and keeps them under RETAIN', async () => {
    const { knowledgeBases, index } = setup();
    const { knowledgeBaseId } = await knowledgeBases.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector() });
    const custom = { type: 'CUSTOM' };
    const deleted = await knowledgeBases.createDataSource(knowledgeBaseId, { name: 'deleted', dataSourceConfiguration: custom });
    const retained = await knowledgeBases.createDataSource(knowledgeBaseId, { name: 'retained', dataSourceConfiguration: custom, dataDeletionPolicy: 'RETAIN' });
    for (const dataSource of [deleted, retained]) {
      await knowledgeBases.documents.ingest(knowledgeBaseId, dataSource.dataSourceId, [{ identifier: { dataSourceType: 'CUSTOM', custom: { id: 'doc' } }, content: { type: 'TEXT', text: `Text of ${dataSource.name}.` } }]);
    }
    await knowledgeBases.documents.settle();
    assert.equal(await index.countChunks(knowledgeBaseId), 2);
    await knowledgeBases.deleteDataSource(knowledgeBaseId, deleted.dataSourceId);
    await knowledgeBases.deleteDataSource(knowledgeBaseId, retained.dataSourceId);
    assert.deepEqual(index.textsOf(knowledgeBaseId, 'doc'), ['Text of retained.']);
    assert.deepEqual((await knowledgeBases.listDataSources(knowledgeBaseId)).items, []);
  });

  it('tags knowledge bases by ARN', async () => {
    const { knowledgeBases } = setup();
    const { knowledgeBaseId } = await knowledgeBases.create({ name: 'kb', roleArn, knowledgeBaseConfiguration: vector() });
    const arn = knowledgeBases.arnOf(knowledgeBaseId);
    await knowledgeBases.tag(arn, { a: '1', b: '2' });
    await knowledgeBases.untag(arn, ['a']);
    assert.deepEqual(await knowledgeBases.tagsOf(arn), { b: '2' });
    await rejects(knowledgeBases.tagsOf('arn:aws:bedrock:us-east-1:123456789012:knowledge-base/NOSUCHKB00'), 'ResourceNotFoundException', /NOSUCHKB00/);
  });
});
