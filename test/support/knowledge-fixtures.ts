import assert from 'node:assert/strict';
import {
  type BedrockAgentClient,
  type ChunkingConfiguration,
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  type CreateKnowledgeBaseCommandInput,
  type DocumentIdentifier,
  GetIngestionJobCommand,
  GetKnowledgeBaseDocumentsCommand,
  type IngestionJob,
  type IngestionJobStatistics,
  IngestKnowledgeBaseDocumentsCommand,
  type KnowledgeBase,
  type MetadataAttribute,
  StartIngestionJobCommand,
} from '@aws-sdk/client-bedrock-agent';
import { emptyIngestionStatistics } from '../../src/core/knowledge/registry/knowledge-base-record.js';
import type { CitationEvent, RetrieveAndGenerateStreamResponseOutput } from '@aws-sdk/client-bedrock-agent-runtime';

export const knowledgeBaseRoleArn = 'arn:aws:iam::123456789012:role/AmazonBedrockExecutionRoleForKnowledgeBase';
/** resolves to the built-in embedding model (`outcrop.use-lite-v1`) */
export const titanEmbeddingModelArn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0';

const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

/**
 * CreateKnowledgeBase with the built-in embedding model; `extra` adds or overrides fields
 * (`storageConfiguration`, `description` ...).
 *
 * @example
 * const { knowledgeBaseId } = await createKnowledgeBase(agent, 'geology-kb');
 */
export async function createKnowledgeBase(client: BedrockAgentClient, name: string, extra: Partial<CreateKnowledgeBaseCommandInput> = {}): Promise<KnowledgeBase & { knowledgeBaseId: string }> {
  const { knowledgeBase } = await client.send(
    new CreateKnowledgeBaseCommand({
      name,
      roleArn: knowledgeBaseRoleArn,
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: titanEmbeddingModelArn } },
      ...extra,
    }),
  );
  assert.ok(knowledgeBase?.knowledgeBaseId);
  return { ...knowledgeBase, knowledgeBaseId: knowledgeBase.knowledgeBaseId };
}

/**
 * A knowledge base and an S3 data source on `bucket` (a local bucket of the test server, or one on
 * its S3 endpoint), with the chunking given; nothing ingested yet.
 *
 * @example
 * const { knowledgeBaseId, dataSourceId } = await createFolderKnowledgeBase(agent, { name: 'company-kb', bucket: 'company-docs', dataSourceName: 'company-folder' });
 */
export async function createFolderKnowledgeBase(
  client: BedrockAgentClient,
  options: { name: string; bucket: string; dataSourceName: string; chunkingConfiguration?: ChunkingConfiguration },
): Promise<{ knowledgeBase: KnowledgeBase; knowledgeBaseId: string; dataSourceId: string }> {
  const knowledgeBase = await createKnowledgeBase(client, options.name);
  const { knowledgeBaseId } = knowledgeBase;
  const { dataSource } = await client.send(
    new CreateDataSourceCommand({
      knowledgeBaseId,
      name: options.dataSourceName,
      dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: `arn:aws:s3:::${options.bucket}` } },
      ...(options.chunkingConfiguration ? { vectorIngestionConfiguration: { chunkingConfiguration: options.chunkingConfiguration } } : {}),
    }),
  );
  assert.ok(dataSource?.dataSourceId);
  return { knowledgeBase, knowledgeBaseId, dataSourceId: dataSource.dataSourceId };
}

/**
 * Polls GetIngestionJob until the job has left STARTING, IN_PROGRESS and STOPPING (one minute at most).
 *
 * @example
 * const done = await waitForIngestionJob(agent, { knowledgeBaseId, dataSourceId, ingestionJobId });
 */
export async function waitForIngestionJob(client: BedrockAgentClient, job: { knowledgeBaseId: string; dataSourceId: string; ingestionJobId: string }): Promise<IngestionJob> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { ingestionJob } = await client.send(new GetIngestionJobCommand(job));
    if (ingestionJob && !['STARTING', 'IN_PROGRESS', 'STOPPING'].includes(ingestionJob.status ?? '')) return ingestionJob;
    await pause();
  }
  throw new Error(`ingestion job ${job.ingestionJobId} did not finish`);
}

/**
 * Bedrock's `IngestionJobStatistics` with the counts given and every other count 0, for `deepEqual`.
 *
 * @example
 * assert.deepEqual(done.statistics, ingestionStatistics({ numberOfDocumentsScanned: 2, numberOfNewDocumentsIndexed: 2 }));
 */
export function ingestionStatistics(counts: Partial<IngestionJobStatistics>): IngestionJobStatistics {
  return { ...emptyIngestionStatistics(), ...counts };
}

/**
 * StartIngestionJob (answered STARTING), then waits for the job to finish.
 *
 * @example
 * const done = await syncDataSource(agent, knowledgeBaseId, dataSourceId);
 */
export async function syncDataSource(client: BedrockAgentClient, knowledgeBaseId: string, dataSourceId: string): Promise<IngestionJob> {
  const { ingestionJob } = await client.send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId }));
  assert.equal(ingestionJob?.status, 'STARTING');
  return waitForIngestionJob(client, { knowledgeBaseId, dataSourceId, ingestionJobId: ingestionJob?.ingestionJobId as string });
}

/**
 * Polls GetKnowledgeBaseDocuments until every document is INDEXED or FAILED (one minute at most),
 * and returns their statuses in the order asked.
 *
 * @example
 * assert.deepEqual(await waitForDocuments(agent, { knowledgeBaseId, dataSourceId, documentIdentifiers }), ['INDEXED']);
 */
export async function waitForDocuments(
  client: BedrockAgentClient,
  documents: { knowledgeBaseId: string; dataSourceId: string; documentIdentifiers: DocumentIdentifier[] },
): Promise<(string | undefined)[]> {
  let statuses: (string | undefined)[] = [];
  for (let attempt = 0; attempt < 600; attempt++) {
    statuses = (await client.send(new GetKnowledgeBaseDocumentsCommand(documents))).documentDetails?.map((detail) => detail.status) ?? [];
    if (statuses.every((status) => status === 'INDEXED' || status === 'FAILED')) break;
    await pause();
  }
  return statuses;
}

/** One inline text document for a CUSTOM data source, with its attributes. */
export interface InlineTextDocument {
  id: string;
  text: string;
  metadata?: Record<string, string | number | boolean | string[]>;
}

/**
 * Attributes as IngestKnowledgeBaseDocuments' inline attributes.
 *
 * @example
 * inlineAttributes({ year: 2024 }); // [{ key: 'year', value: { type: 'NUMBER', numberValue: 2024 } }]
 */
export function inlineAttributes(metadata: Record<string, string | number | boolean | string[]>): MetadataAttribute[] {
  return Object.entries(metadata).map(([key, value]) => {
    if (Array.isArray(value)) return { key, value: { type: 'STRING_LIST', stringListValue: value } };
    if (typeof value === 'number') return { key, value: { type: 'NUMBER', numberValue: value } };
    if (typeof value === 'boolean') return { key, value: { type: 'BOOLEAN', booleanValue: value } };
    return { key, value: { type: 'STRING', stringValue: value } };
  });
}

/**
 * A knowledge base with a CUSTOM data source, the documents ingested inline through
 * IngestKnowledgeBaseDocuments, and waited for until every one is INDEXED (fails otherwise).
 *
 * @example
 * const { knowledgeBaseId } = await createCustomKnowledgeBase(agent, { name: 'rocks', dataSourceName: 'notes', documents: [{ id: 'granite', text: 'Granite is...' }] });
 */
export async function createCustomKnowledgeBase(
  client: BedrockAgentClient,
  options: { name: string; dataSourceName: string; documents: readonly InlineTextDocument[] },
): Promise<{ knowledgeBaseId: string; dataSourceId: string }> {
  const { knowledgeBaseId } = await createKnowledgeBase(client, options.name);
  const { dataSource } = await client.send(new CreateDataSourceCommand({ knowledgeBaseId, name: options.dataSourceName, dataSourceConfiguration: { type: 'CUSTOM' } }));
  const dataSourceId = dataSource?.dataSourceId as string;
  await client.send(
    new IngestKnowledgeBaseDocumentsCommand({
      knowledgeBaseId,
      dataSourceId,
      documents: options.documents.map((document) => ({
        content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id: document.id }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: document.text } } } },
        ...(document.metadata ? { metadata: { type: 'IN_LINE_ATTRIBUTE', inlineAttributes: inlineAttributes(document.metadata) } } : {}),
      })),
    }),
  );
  const documentIdentifiers: DocumentIdentifier[] = options.documents.map((document) => ({ dataSourceType: 'CUSTOM', custom: { id: document.id } }));
  const statuses = await waitForDocuments(client, { knowledgeBaseId, dataSourceId, documentIdentifiers });
  assert.deepEqual(statuses, Array(options.documents.length).fill('INDEXED'), 'every document is indexed');
  return { knowledgeBaseId, dataSourceId };
}

/**
 * Reads a RetrieveAndGenerateStream response to its end: the output text joined, how many output
 * events carried it, and the citation events in order.
 *
 * @example
 * const { text, pieces, citations } = await collectGenerationStream(response.stream);
 */
export async function collectGenerationStream(
  stream: AsyncIterable<RetrieveAndGenerateStreamResponseOutput> | undefined,
): Promise<{ text: string; pieces: number; citations: CitationEvent[] }> {
  let text = '';
  let pieces = 0;
  const citations: CitationEvent[] = [];
  for await (const event of stream ?? []) {
    if (event.output) {
      text += event.output.text;
      pieces++;
    }
    if (event.citation) citations.push(event.citation);
  }
  return { text, pieces, citations };
}
