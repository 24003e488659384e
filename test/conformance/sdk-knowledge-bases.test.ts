import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  DeleteDataSourceCommand,
  DeleteKnowledgeBaseCommand,
  DeleteKnowledgeBaseDocumentsCommand,
  GetDataSourceCommand,
  GetIngestionJobCommand,
  GetKnowledgeBaseCommand,
  GetKnowledgeBaseDocumentsCommand,
  IngestKnowledgeBaseDocumentsCommand,
  ListDataSourcesCommand,
  ListIngestionJobsCommand,
  ListKnowledgeBaseDocumentsCommand,
  ListKnowledgeBasesCommand,
  StartIngestionJobCommand,
  StopIngestionJobCommand,
  UpdateDataSourceCommand,
  UpdateKnowledgeBaseCommand,
} from '@aws-sdk/client-bedrock-agent';
import { makeDocx, makePdf } from '../support/document-fixtures.js';
import { type FakeS3Server, startFakeS3Server } from '../support/fake-s3-server.js';
import { createKnowledgeBase, ingestionStatistics, knowledgeBaseRoleArn as roleArn, titanEmbeddingModelArn as embeddingModelArn, waitForDocuments, waitForIngestionJob } from '../support/knowledge-fixtures.js';
import { runBoto3 } from '../support/run-boto3.js';
import { agentClient, rejectsWith } from '../support/sdk-clients.js';
import { type TestServer, startTestServer } from '../support/test-server.js';

let server: TestServer;
let s3: FakeS3Server;
let folder: string;
const agent = () => agentClient(server.url);
const storageConfiguration = {
  type: 'OPENSEARCH_SERVERLESS' as const,
  opensearchServerlessConfiguration: {
    collectionArn: 'arn:aws:aoss:us-east-1:123456789012:collection/kbcollection',
    vectorIndexName: 'kb-index',
    fieldMapping: { vectorField: 'vector', textField: 'text', metadataField: 'metadata' },
  },
};

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'outcrop-kb-sdk-'));
  const files: Record<string, string | Uint8Array> = {
    'geology.pdf': makePdf([['Granite is an igneous rock.'], ['Basalt forms from lava.']], { title: 'Geology' }),
    'geology.pdf.metadata.json': JSON.stringify({ metadataAttributes: { year: 2024 } }),
    'handbook.docx': makeDocx([{ heading: 1, text: 'Handbook' }, 'Employees get 25 days of leave.']),
    'page.html': '<title>Page</title><h1>Minerals</h1><p>Quartz is hard.</p>',
    'notes.md': '# Notes\n\nObsidian is volcanic glass.',
    'rocks.csv': 'rock,type\nMarble,metamorphic\n',
    'broken.pdf': makePdf([['cut short']]).slice(0, 150),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
  s3 = await startFakeS3Server();
  s3.put('remote-docs', 'guides/setup.md', '# Setup\n\nInstall the drill before the survey.');
  s3.put('remote-docs', 'other/skip.md', '# Skipped\n\nOutside the prefix.');
  server = await startTestServer({
    configure: (config) => {
      config.knowledge.localBuckets = { handbook: folder };
      config.knowledge.s3 = { endpoint: s3.endpoint, region: s3.region, ...s3.credentials, forcePathStyle: true };
    },
  });
});
after(async () => {
  await server?.close();
  await s3?.close();
  await rm(folder, { recursive: true, force: true });
});

const waitForJob = (knowledgeBaseId: string, dataSourceId: string, ingestionJobId: string) => waitForIngestionJob(agent(), { knowledgeBaseId, dataSourceId, ingestionJobId });

describe('knowledge-base control plane through @aws-sdk/client-bedrock-agent', () => {
  let knowledgeBaseId: string;
  let dataSourceId: string;

  it('creates, gets, lists and updates a knowledge base', async () => {
    const { knowledgeBase } = await agent().send(
      new CreateKnowledgeBaseCommand({
        name: 'geology-kb',
        description: 'Rocks and minerals',
        roleArn,
        knowledgeBaseConfiguration: {
          type: 'VECTOR',
          vectorKnowledgeBaseConfiguration: { embeddingModelArn, embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: 512 } } },
        },
        storageConfiguration,
        tags: { team: 'geology' },
        clientToken: 'geology-kb-create-0000000000000000001',
      }),
    );
    assert.ok(knowledgeBase);
    assert.match(knowledgeBase.knowledgeBaseId ?? '', /^[0-9A-Z]{10}$/);
    knowledgeBaseId = knowledgeBase.knowledgeBaseId as string;
    assert.equal(knowledgeBase.knowledgeBaseArn, `arn:aws:bedrock:us-east-1:000000000000:knowledge-base/${knowledgeBaseId}`);
    assert.equal(knowledgeBase.status, 'ACTIVE');
    assert.ok(knowledgeBase.createdAt instanceof Date);
    assert.deepEqual(knowledgeBase.storageConfiguration, storageConfiguration);

    const retried = await agent().send(
      new CreateKnowledgeBaseCommand({ name: 'geology-kb', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn } }, clientToken: 'geology-kb-create-0000000000000000001' }),
    );
    assert.equal(retried.knowledgeBase?.knowledgeBaseId, knowledgeBaseId, 'a retried create with the same clientToken returns the same knowledge base');
    const got = await agent().send(new GetKnowledgeBaseCommand({ knowledgeBaseId }));
    assert.equal(got.knowledgeBase?.name, 'geology-kb');
    assert.equal(got.knowledgeBase?.knowledgeBaseConfiguration?.vectorKnowledgeBaseConfiguration?.embeddingModelArn, embeddingModelArn);
    const listed = await agent().send(new ListKnowledgeBasesCommand({}));
    assert.ok(listed.knowledgeBaseSummaries?.some((summary) => summary.knowledgeBaseId === knowledgeBaseId && summary.status === 'ACTIVE'));
    const updated = await agent().send(
      new UpdateKnowledgeBaseCommand({ knowledgeBaseId, name: 'geology-kb', description: 'Rocks, minerals and more', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn } }, storageConfiguration }),
    );
    assert.equal(updated.knowledgeBase?.description, 'Rocks, minerals and more');

    // TagResource / UntagResource / ListTagsForResource are not driven here: bedrock-agent's model
    // gives TaggableResourcesArn the pattern `:/d{12}:` (a typo for `\d`), which no real ARN matches,
    // so the generated wire validator refuses every tagging call before it reaches the handler.
  });

  it('ingests a folder of real documents, reporting the corrupt PDF and carrying on', async () => {
    const { dataSource } = await agent().send(
      new CreateDataSourceCommand({
        knowledgeBaseId,
        name: 'handbook-folder',
        dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::handbook' } },
        vectorIngestionConfiguration: { chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 200, overlapPercentage: 10 } } },
      }),
    );
    assert.equal(dataSource?.status, 'AVAILABLE');
    assert.equal(dataSource?.dataDeletionPolicy, 'DELETE');
    dataSourceId = dataSource?.dataSourceId as string;
    assert.equal((await agent().send(new GetDataSourceCommand({ knowledgeBaseId, dataSourceId }))).dataSource?.name, 'handbook-folder');
    assert.equal((await agent().send(new ListDataSourcesCommand({ knowledgeBaseId }))).dataSourceSummaries?.length, 1);

    const { ingestionJob } = await agent().send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId, description: 'first sync' }));
    assert.equal(ingestionJob?.status, 'STARTING');
    await rejectsWith(agent().send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId })), 'ConflictException', 409, /already running/);
    const done = await waitForJob(knowledgeBaseId, dataSourceId, ingestionJob?.ingestionJobId as string);
    assert.equal(done.status, 'COMPLETE');
    assert.equal(done.description, 'first sync');
    assert.deepEqual(done.statistics, ingestionStatistics({ numberOfDocumentsScanned: 6, numberOfMetadataDocumentsScanned: 1, numberOfNewDocumentsIndexed: 5, numberOfDocumentsFailed: 1 }));
    assert.match(done.failureReasons?.[0] ?? '', /s3:\/\/handbook\/broken\.pdf: broken\.pdf is not a valid PDF/);

    const documents = await agent().send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId, dataSourceId }));
    assert.deepEqual(
      documents.documentDetails?.map((detail) => [detail.identifier?.s3?.uri, detail.status]),
      ['broken.pdf', 'geology.pdf', 'handbook.docx', 'notes.md', 'page.html', 'rocks.csv'].map((name) => [`s3://handbook/${name}`, name === 'broken.pdf' ? 'FAILED' : 'INDEXED']),
    );
  });

  it('re-syncs incrementally after documents change and are deleted', async () => {
    await writeFile(join(folder, 'notes.md'), '# Notes\n\nPumice floats on water.');
    await writeFile(join(folder, 'geology.pdf.metadata.json'), JSON.stringify({ metadataAttributes: { year: 2025 } }));
    await unlink(join(folder, 'rocks.csv'));
    await unlink(join(folder, 'broken.pdf'));
    const { ingestionJob } = await agent().send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId }));
    const done = await waitForJob(knowledgeBaseId, dataSourceId, ingestionJob?.ingestionJobId as string);
    assert.equal(done.status, 'COMPLETE');
    assert.deepEqual(done.statistics, ingestionStatistics({ numberOfDocumentsScanned: 4, numberOfMetadataDocumentsScanned: 1, numberOfModifiedDocumentsIndexed: 1, numberOfMetadataDocumentsModified: 1, numberOfDocumentsDeleted: 1 }));
    assert.equal(done.failureReasons, undefined);
    const jobs = await agent().send(new ListIngestionJobsCommand({ knowledgeBaseId, dataSourceId, sortBy: { attribute: 'STARTED_AT', order: 'DESCENDING' } }));
    assert.equal(jobs.ingestionJobSummaries?.[0]?.ingestionJobId, ingestionJob?.ingestionJobId);
    assert.equal(jobs.ingestionJobSummaries?.length, 2);
    const gone = await agent().send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId, dataSourceId, documentIdentifiers: [{ dataSourceType: 'S3', s3: { uri: 's3://handbook/rocks.csv' } }] }));
    assert.equal(gone.documentDetails?.[0]?.status, 'NOT_FOUND');
    await rejectsWith(agent().send(new StopIngestionJobCommand({ knowledgeBaseId, dataSourceId, ingestionJobId: ingestionJob?.ingestionJobId as string })), 'ConflictException', 409, /COMPLETE/);
  });

  it('reads an S3-compatible bucket through the configured endpoint, within the inclusion prefix', async () => {
    const { dataSource } = await agent().send(
      new CreateDataSourceCommand({ knowledgeBaseId, name: 'remote', dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::remote-docs', inclusionPrefixes: ['guides/'] } } }),
    );
    const { ingestionJob } = await agent().send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId: dataSource?.dataSourceId as string }));
    const done = await waitForJob(knowledgeBaseId, dataSource?.dataSourceId as string, ingestionJob?.ingestionJobId as string);
    assert.equal(done.status, 'COMPLETE', done.failureReasons?.join('; '));
    assert.equal(done.statistics?.numberOfNewDocumentsIndexed, 1);
    assert.ok(s3.requests.some((request) => request.startsWith('GET /remote-docs/guides/setup.md')));
  });

  it('ingests, reports and deletes documents directly on a custom data source', async () => {
    const { dataSource } = await agent().send(new CreateDataSourceCommand({ knowledgeBaseId, name: 'api-docs', dataSourceConfiguration: { type: 'CUSTOM' } }));
    const custom = dataSource?.dataSourceId as string;
    const ingested = await agent().send(
      new IngestKnowledgeBaseDocumentsCommand({
        knowledgeBaseId,
        dataSourceId: custom,
        documents: [
          {
            content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id: 'faq-hours' }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: 'The museum opens at nine.' } } } },
            metadata: { type: 'IN_LINE_ATTRIBUTE', inlineAttributes: [{ key: 'topic', value: { type: 'STRING', stringValue: 'hours' } }] },
          },
          {
            content: {
              dataSourceType: 'CUSTOM',
              custom: { customDocumentIdentifier: { id: 'brochure' }, sourceType: 'IN_LINE', inlineContent: { type: 'BYTE', byteContent: { mimeType: 'application/pdf', data: makePdf([['Fossils on floor two.']]) } } },
            },
          },
        ],
      }),
    );
    assert.deepEqual(ingested.documentDetails?.map((detail) => [detail.identifier?.custom?.id, detail.status]), [['faq-hours', 'STARTING'], ['brochure', 'STARTING']]);
    const identifiers = [{ dataSourceType: 'CUSTOM' as const, custom: { id: 'faq-hours' } }, { dataSourceType: 'CUSTOM' as const, custom: { id: 'brochure' } }];
    assert.deepEqual(await waitForDocuments(agent(), { knowledgeBaseId, dataSourceId: custom, documentIdentifiers: identifiers }), ['INDEXED', 'INDEXED']);
    const deleted = await agent().send(new DeleteKnowledgeBaseDocumentsCommand({ knowledgeBaseId, dataSourceId: custom, documentIdentifiers: [identifiers[0] as (typeof identifiers)[0]] }));
    assert.equal(deleted.documentDetails?.[0]?.status, 'DELETING');
    await rejectsWith(
      agent().send(new IngestKnowledgeBaseDocumentsCommand({ knowledgeBaseId, dataSourceId: custom, documents: [{ content: { dataSourceType: 'S3', s3: { s3Location: { uri: 's3://handbook/notes.md' } } } }] })),
      'ValidationException',
      400,
      /type CUSTOM/,
    );
    await rejectsWith(
      agent().send(
        new IngestKnowledgeBaseDocumentsCommand({
          knowledgeBaseId,
          dataSourceId: custom,
          documents: [
            {
              content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id: 'x' }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: 'x' } } } },
              metadata: { type: 'IN_LINE_ATTRIBUTE', inlineAttributes: [{ key: 'x-amz-bedrock-kb-source-uri', value: { type: 'STRING', stringValue: 'forged' } }] },
            },
          ],
        }),
      ),
      'ValidationException',
      400,
      /reserved/,
    );
  });

  it('answers bad input with Bedrock\'s errors and keeps the stored data intact', async () => {
    await rejectsWith(agent().send(new GetKnowledgeBaseCommand({ knowledgeBaseId: 'NOSUCHKB00' })), 'ResourceNotFoundException', 404, /Knowledge base NOSUCHKB00 was not found/);
    await rejectsWith(agent().send(new GetDataSourceCommand({ knowledgeBaseId, dataSourceId: 'NOSUCHDS00' })), 'ResourceNotFoundException', 404, /NOSUCHDS00/);
    await rejectsWith(agent().send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId: 'NOSUCHDS00' })), 'ResourceNotFoundException', 404, /NOSUCHDS00/);
    await rejectsWith(agent().send(new GetIngestionJobCommand({ knowledgeBaseId, dataSourceId, ingestionJobId: 'NOSUCHJOB0' })), 'ResourceNotFoundException', 404, /NOSUCHJOB0/);
    await rejectsWith(
      agent().send(new CreateKnowledgeBaseCommand({ name: 'bad-model', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nope-v9:0' } } })),
      'ValidationException',
      400,
      /amazon\.nope-v9:0/,
    );
    await rejectsWith(
      agent().send(new CreateKnowledgeBaseCommand({ name: 'geology-kb', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn } } })),
      'ConflictException',
      409,
    );
    const s3Source = { type: 'S3' as const, s3Configuration: { bucketArn: 'arn:aws:s3:::handbook' } };
    await rejectsWith(
      agent().send(
        new CreateDataSourceCommand({
          knowledgeBaseId,
          name: 'bad-chunking',
          dataSourceConfiguration: s3Source,
          vectorIngestionConfiguration: { chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 9000, overlapPercentage: 20 } } },
        }),
      ),
      'ValidationException',
      400,
      /maxTokens/,
    );
    await rejectsWith(
      agent().send(
        new CreateDataSourceCommand({
          knowledgeBaseId,
          name: 'bad-hierarchy',
          dataSourceConfiguration: s3Source,
          vectorIngestionConfiguration: {
            chunkingConfiguration: { chunkingStrategy: 'HIERARCHICAL', hierarchicalChunkingConfiguration: { levelConfigurations: [{ maxTokens: 100 }, { maxTokens: 400 }], overlapTokens: 10 } },
          },
        }),
      ),
      'ValidationException',
      400,
      /child chunk size/,
    );
    await rejectsWith(
      agent().send(
        new CreateDataSourceCommand({ knowledgeBaseId, name: 'intranet', dataSourceConfiguration: { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: 'http://127.0.0.1:9/wiki' }] } } } } }),
      ),
      'ValidationException',
      400,
      /127\.0\.0\.1 is a loopback address/,
    );
    await rejectsWith(
      agent().send(new UpdateDataSourceCommand({ knowledgeBaseId, dataSourceId, name: 'handbook-folder', dataSourceConfiguration: s3Source, vectorIngestionConfiguration: { chunkingConfiguration: { chunkingStrategy: 'NONE' } } })),
      'ValidationException',
      400,
      /chunking configuration .* cannot be changed/,
    );
    assert.equal((await agent().send(new GetDataSourceCommand({ knowledgeBaseId, dataSourceId }))).dataSource?.vectorIngestionConfiguration?.chunkingConfiguration?.chunkingStrategy, 'FIXED_SIZE');
  });

  it('deletes data sources and knowledge bases', async () => {
    const deleted = await agent().send(new DeleteDataSourceCommand({ knowledgeBaseId, dataSourceId }));
    assert.equal(deleted.status, 'DELETING');
    await rejectsWith(agent().send(new GetDataSourceCommand({ knowledgeBaseId, dataSourceId })), 'ResourceNotFoundException', 404);
    const { knowledgeBaseId: other } = await createKnowledgeBase(agent(), 'short-lived', { storageConfiguration });
    assert.equal((await agent().send(new DeleteKnowledgeBaseCommand({ knowledgeBaseId: other }))).status, 'DELETING');
    await rejectsWith(agent().send(new GetKnowledgeBaseCommand({ knowledgeBaseId: other })), 'ResourceNotFoundException', 404);
    await rejectsWith(agent().send(new DeleteKnowledgeBaseCommand({ knowledgeBaseId: other })), 'ResourceNotFoundException', 404);
  });
});

describe('knowledge bases through boto3', () => {
  it('creates a knowledge base and a data source, ingests, and reads the job', async () => {
    const script = `
import json, sys, time, boto3
from botocore.exceptions import ClientError
client = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='us-east-1')
kb = client.create_knowledge_base(name='boto-kb', roleArn='${roleArn}', knowledgeBaseConfiguration={'type': 'VECTOR', 'vectorKnowledgeBaseConfiguration': {'embeddingModelArn': 'amazon.titan-embed-text-v2:0'}})['knowledgeBase']
ds = client.create_data_source(knowledgeBaseId=kb['knowledgeBaseId'], name='boto-folder', dataSourceConfiguration={'type': 'S3', 's3Configuration': {'bucketArn': 'arn:aws:s3:::handbook'}})['dataSource']
job = client.start_ingestion_job(knowledgeBaseId=kb['knowledgeBaseId'], dataSourceId=ds['dataSourceId'])['ingestionJob']
for _ in range(600):
    job = client.get_ingestion_job(knowledgeBaseId=kb['knowledgeBaseId'], dataSourceId=ds['dataSourceId'], ingestionJobId=job['ingestionJobId'])['ingestionJob']
    if job['status'] not in ('STARTING', 'IN_PROGRESS'):
        break
    time.sleep(0.1)
try:
    client.get_knowledge_base(knowledgeBaseId='NOSUCHKB00')
    missing = None
except ClientError as error:
    missing = [error.response['Error']['Code'], error.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'kb': kb['status'], 'arn': kb['knowledgeBaseArn'], 'ds': ds['status'], 'job': job['status'], 'stats': job['statistics'], 'missing': missing}))
`;
    const { code, stdout, stderr } = await runBoto3(['-c', script, server.url], 90_000);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { kb: string; arn: string; ds: string; job: string; stats: Record<string, number>; missing: [string, number] };
    assert.equal(result.kb, 'ACTIVE');
    assert.match(result.arn, /^arn:aws:bedrock:us-east-1:000000000000:knowledge-base\/[0-9A-Z]{10}$/);
    assert.equal(result.ds, 'AVAILABLE');
    assert.equal(result.job, 'COMPLETE');
    assert.equal(result.stats.numberOfDocumentsScanned, 4);
    assert.equal(result.stats.numberOfNewDocumentsIndexed, 4);
    assert.deepEqual(result.missing, ['ResourceNotFoundException', 404]);
  });
});
