import { OutcropError } from '../../errors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import { type IngestionEnvironment, sharedTokenCounter } from '../ingestion/ingestion-environment.js';
import { IngestionJobs, type IngestionJobsOptions } from '../ingestion/ingestion-jobs.js';
import type { IngestionObserver } from '../ingestion/ingestion-observer.js';
import { KeyedLock } from '../ingestion/keyed-lock.js';
import { KnowledgeBaseDocuments } from '../ingestion/knowledge-base-documents.js';
import { validateDataSourceConfiguration } from '../sources/data-source-configuration.js';
import type { DataSourceSettings } from '../sources/data-source-settings.js';
import { openDataSourceReader } from '../sources/open-data-source-reader.js';
import { type EmbeddingModelResolver, checkKnowledgeBaseConfiguration } from './knowledge-base-configuration.js';
import type { KnowledgeBaseLookup } from './knowledge-base-lookup.js';
import type { DataSourceRecord, JsonObject, KnowledgeBaseRecord, KnowledgeBaseRepository } from './knowledge-base-record.js';
import { knowledgeBaseArn, knowledgeBaseIdOfArn, newResourceId, pageOf } from './resource-ids.js';
import { chunkingStrategyOf } from './vector-ingestion-settings.js';

export interface KnowledgeBasesOptions {
  repository: KnowledgeBaseRepository;
  index: ChunkIndex;
  catalog: EmbeddingModelResolver;
  region: string;
  accountId: string;
  /** the operator's data-source settings (S3 endpoint, local buckets, crawler address policy) */
  settings?: DataSourceSettings;
  ingestion?: IngestionJobsOptions;
  /** told where ingestion time goes (stage timings, chunks per document), e.g. for metrics */
  observer?: IngestionObserver;
  now?: () => Date;
  newId?: () => string;
  /** told of background failures (a job that failed as a whole, a direct ingestion that threw) */
  onError?: (error: unknown, context: string) => void;
}

export interface KnowledgeBaseInput {
  name: string;
  description?: string;
  roleArn: string;
  knowledgeBaseConfiguration: JsonObject;
  storageConfiguration?: JsonObject;
}

export interface DataSourceInput {
  name: string;
  description?: string;
  dataSourceConfiguration: JsonObject;
  vectorIngestionConfiguration?: JsonObject;
  dataDeletionPolicy?: 'RETAIN' | 'DELETE';
  serverSideEncryptionConfiguration?: JsonObject;
}

/** Most tags one knowledge base holds. */
export const maxTagsPerKnowledgeBase = 50;

/**
 * Bedrock knowledge bases and their data sources: create, get, list, update and delete with
 * Bedrock's validation, ingestion jobs (`jobs`) and direct ingestion (`documents`) over the same
 * stores. Records persist in the repository; chunks in the chunk index. Deleting a knowledge base
 * stops its jobs and drops its chunks; deleting a data source stops its job and, under the default
 * `dataDeletionPolicy` DELETE, removes its chunks (RETAIN leaves them searchable). Implements
 * `KnowledgeBaseLookup` for retrieval.
 *
 * @example
 * const knowledgeBases = new KnowledgeBases({ repository, index, catalog, region: 'us-east-1', accountId: '000000000000' });
 * await knowledgeBases.start();
 * const kb = await knowledgeBases.create({ name: 'docs', roleArn, knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'amazon.titan-embed-text-v2:0' } } });
 */
export class KnowledgeBases implements KnowledgeBaseLookup {
  readonly index: ChunkIndex;
  readonly jobs: IngestionJobs;
  readonly documents: KnowledgeBaseDocuments;
  readonly settings: DataSourceSettings;
  private readonly repository: KnowledgeBaseRepository;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KnowledgeBasesOptions) {
    this.repository = options.repository;
    this.index = options.index;
    this.settings = options.settings ?? {};
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? newResourceId;
    const environment: IngestionEnvironment = {
      repository: options.repository,
      index: options.index,
      embeddingModelOf: (record) => this.embeddingModel(record),
      settings: this.settings,
      openReader: openDataSourceReader,
      tokenCounter: sharedTokenCounter(),
      now: this.now,
      locks: new KeyedLock(),
      ...(options.observer ? { observer: options.observer } : {}),
    };
    this.jobs = new IngestionJobs(environment, {
      ...options.ingestion,
      onError: (error, job) => {
        options.ingestion?.onError?.(error, job);
        options.onError?.(error, `ingestion job ${job.ingestionJobId}`);
      },
    });
    this.documents = new KnowledgeBaseDocuments(environment, { onError: (error, document) => options.onError?.(error, `document ${document}`) });
  }

  /** At start: finishes what a restart interrupted (direct ingestions, deletions) and resumes unfinished jobs. */
  async start(): Promise<void> {
    await this.documents.recover(await this.repository.listKnowledgeBases());
    await this.jobs.resume();
  }

  /** At shutdown: interrupts jobs (they resume at the next start) and lets direct ingestions finish. */
  async close(): Promise<void> {
    await this.jobs.close();
    await this.documents.settle();
  }

  /** CreateKnowledgeBase. */
  async create(input: KnowledgeBaseInput & { tags?: Record<string, string>; clientToken?: string }): Promise<KnowledgeBaseRecord> {
    return this.exclusive(async () => {
      // a retried request (same clientToken) gets what the first created, also after a restart or on another instance
      const existing = input.clientToken ? (await this.repository.listKnowledgeBases()).find((record) => record.clientToken === input.clientToken) : undefined;
      if (existing) return existing;
      const { dimensions } = checkKnowledgeBaseConfiguration(input.knowledgeBaseConfiguration, input.storageConfiguration, this.options.catalog);
      await this.assertKnowledgeBaseNameFree(input.name);
      checkTags(input.tags ?? {}, input.name);
      let id = this.newId();
      while (await this.repository.getKnowledgeBase(id)) id = this.newId();
      const now = this.now();
      const record: KnowledgeBaseRecord = {
        knowledgeBaseId: id,
        ...knowledgeBaseFields(input),
        dimensions,
        status: 'ACTIVE',
        tags: { ...input.tags },
        ...(input.clientToken ? { clientToken: input.clientToken } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await this.index.createKnowledgeBase(id, dimensions);
      await this.repository.putKnowledgeBase(record);
      return record;
    });
  }

  /** GetKnowledgeBase (and `KnowledgeBaseLookup.get`). */
  async get(knowledgeBaseId: string): Promise<KnowledgeBaseRecord> {
    const record = await this.repository.getKnowledgeBase(knowledgeBaseId);
    if (!record) throw new OutcropError('ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} was not found.`);
    return record;
  }

  /** The ARN of a knowledge base. */
  arnOf(knowledgeBaseId: string): string {
    return knowledgeBaseArn(this.options.region, this.options.accountId, knowledgeBaseId);
  }

  /** ListKnowledgeBases: one page in creation order. */
  async list(input: { maxResults?: number; nextToken?: string } = {}): Promise<{ items: KnowledgeBaseRecord[]; nextToken?: string }> {
    return pageOf(await this.repository.listKnowledgeBases(), input);
  }

  /** UpdateKnowledgeBase: name, description and role; the embedding model and vector size cannot change. */
  async update(knowledgeBaseId: string, input: KnowledgeBaseInput): Promise<KnowledgeBaseRecord> {
    return this.exclusive(async () => {
      const current = await this.get(knowledgeBaseId);
      const { dimensions } = checkKnowledgeBaseConfiguration(input.knowledgeBaseConfiguration, input.storageConfiguration, this.options.catalog);
      const before = embeddingModelArnOf(current);
      const after = embeddingModelArnOf({ knowledgeBaseConfiguration: input.knowledgeBaseConfiguration });
      if (before !== after && this.embeddingModel(current).modelId !== this.options.catalog.resolveEmbedding(after).model.modelId) {
        throw new OutcropError('ValidationException', `The embedding model of knowledge base ${knowledgeBaseId} cannot be changed (it is ${before}); create a new knowledge base instead.`);
      }
      if (dimensions !== current.dimensions) {
        throw new OutcropError('ValidationException', `The vector dimensions of knowledge base ${knowledgeBaseId} cannot be changed (they are ${current.dimensions}).`);
      }
      if (input.storageConfiguration?.type !== undefined && current.storageConfiguration?.type !== undefined && input.storageConfiguration.type !== current.storageConfiguration.type) {
        throw new OutcropError('ValidationException', `The storage type of knowledge base ${knowledgeBaseId} cannot be changed.`);
      }
      await this.assertKnowledgeBaseNameFree(input.name, knowledgeBaseId);
      const record: KnowledgeBaseRecord = { ...current, ...knowledgeBaseFields(input), updatedAt: this.now() };
      if (input.description === undefined) delete record.description;
      if (input.storageConfiguration === undefined) delete record.storageConfiguration;
      await this.repository.putKnowledgeBase(record);
      return record;
    });
  }

  /** DeleteKnowledgeBase: stops its jobs, drops its chunks, removes it and everything under it. */
  async delete(knowledgeBaseId: string): Promise<KnowledgeBaseRecord> {
    return this.exclusive(async () => {
      const record = await this.get(knowledgeBaseId);
      await this.jobs.cancel(knowledgeBaseId);
      await this.documents.settle();
      await this.index.dropKnowledgeBase(knowledgeBaseId);
      await this.repository.deleteKnowledgeBase(knowledgeBaseId);
      return { ...record, status: 'DELETING' };
    });
  }

  /** CreateDataSource. */
  async createDataSource(knowledgeBaseId: string, input: DataSourceInput & { clientToken?: string }): Promise<DataSourceRecord> {
    return this.exclusive(async () => {
      await this.get(knowledgeBaseId);
      const existing = input.clientToken ? (await this.repository.listDataSources(knowledgeBaseId)).find((record) => record.clientToken === input.clientToken) : undefined;
      if (existing) return existing;
      validateDataSourceConfiguration(input.dataSourceConfiguration, this.settings);
      chunkingStrategyOf(input.vectorIngestionConfiguration);
      await this.assertDataSourceNameFree(knowledgeBaseId, input.name);
      let id = this.newId();
      while (await this.repository.getDataSource(knowledgeBaseId, id)) id = this.newId();
      const now = this.now();
      const record: DataSourceRecord = {
        knowledgeBaseId,
        dataSourceId: id,
        ...dataSourceFields(input),
        status: 'AVAILABLE',
        ...(input.clientToken ? { clientToken: input.clientToken } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await this.repository.putDataSource(record);
      return record;
    });
  }

  /** GetDataSource. */
  async getDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<DataSourceRecord> {
    await this.get(knowledgeBaseId);
    const record = await this.repository.getDataSource(knowledgeBaseId, dataSourceId);
    if (!record) throw new OutcropError('ResourceNotFoundException', `Data source ${dataSourceId} was not found in knowledge base ${knowledgeBaseId}.`);
    return record;
  }

  /** ListDataSources: one page in creation order. */
  async listDataSources(knowledgeBaseId: string, input: { maxResults?: number; nextToken?: string } = {}): Promise<{ items: DataSourceRecord[]; nextToken?: string }> {
    await this.get(knowledgeBaseId);
    return pageOf(await this.repository.listDataSources(knowledgeBaseId), input);
  }

  /**
   * UpdateDataSource: everything but its type and chunking, which Bedrock fixes at creation. A new
   * source location or settings take effect at the next ingestion job.
   */
  async updateDataSource(knowledgeBaseId: string, dataSourceId: string, input: DataSourceInput): Promise<DataSourceRecord> {
    return this.exclusive(async () => {
      const current = await this.getDataSource(knowledgeBaseId, dataSourceId);
      validateDataSourceConfiguration(input.dataSourceConfiguration, this.settings);
      if (input.dataSourceConfiguration.type !== current.dataSourceConfiguration.type) {
        throw new OutcropError('ValidationException', `The type of data source ${dataSourceId} cannot be changed from ${String(current.dataSourceConfiguration.type)}.`);
      }
      const chunking = chunkingStrategyOf(input.vectorIngestionConfiguration);
      if (JSON.stringify(chunking) !== JSON.stringify(chunkingStrategyOf(current.vectorIngestionConfiguration))) {
        throw new OutcropError('ValidationException', `The chunking configuration of data source ${dataSourceId} cannot be changed after it is created.`);
      }
      await this.assertDataSourceNameFree(knowledgeBaseId, input.name, dataSourceId);
      const record: DataSourceRecord = { knowledgeBaseId, dataSourceId, ...dataSourceFields(input), status: 'AVAILABLE', createdAt: current.createdAt, updatedAt: this.now() };
      await this.repository.putDataSource(record);
      return record;
    });
  }

  /** DeleteDataSource: stops its job; its chunks go too unless its `dataDeletionPolicy` is RETAIN. */
  async deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<DataSourceRecord> {
    return this.exclusive(async () => {
      const record = await this.getDataSource(knowledgeBaseId, dataSourceId);
      await this.jobs.cancel(knowledgeBaseId, dataSourceId);
      await this.documents.settle();
      if ((record.dataDeletionPolicy ?? 'DELETE') === 'DELETE') await this.index.deleteDataSource(knowledgeBaseId, dataSourceId);
      await this.repository.deleteDataSource(knowledgeBaseId, dataSourceId);
      return { ...record, status: 'DELETING' };
    });
  }

  /** The embedding model a knowledge base was configured with. */
  embeddingModel(record: KnowledgeBaseRecord): EmbeddingModel {
    return this.options.catalog.resolveEmbedding(embeddingModelArnOf(record)).model;
  }

  /** ListTagsForResource on a knowledge-base ARN. */
  async tagsOf(arn: string): Promise<Record<string, string>> {
    return { ...(await this.byArn(arn)).tags };
  }

  /** TagResource on a knowledge-base ARN: adds or replaces tags. */
  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    await this.exclusive(async () => {
      const record = await this.byArn(arn);
      const merged = { ...record.tags, ...tags };
      checkTags(merged, arn);
      await this.repository.putKnowledgeBase({ ...record, tags: merged });
    });
  }

  /** UntagResource on a knowledge-base ARN. */
  async untag(arn: string, keys: readonly string[]): Promise<void> {
    await this.exclusive(async () => {
      const record = await this.byArn(arn);
      const remaining = { ...record.tags };
      for (const key of keys) delete remaining[key];
      await this.repository.putKnowledgeBase({ ...record, tags: remaining });
    });
  }

  private async byArn(arn: string): Promise<KnowledgeBaseRecord> {
    const id = knowledgeBaseIdOfArn(arn);
    const record = id === undefined ? undefined : await this.repository.getKnowledgeBase(id);
    if (!record || arn !== this.arnOf(record.knowledgeBaseId)) throw new OutcropError('ResourceNotFoundException', `The resource ${arn} was not found.`);
    return record;
  }

  private async assertKnowledgeBaseNameFree(name: string, except?: string): Promise<void> {
    for (const record of await this.repository.listKnowledgeBases()) {
      if (record.name === name && record.knowledgeBaseId !== except) throw new OutcropError('ConflictException', `KnowledgeBase with name ${name} already exists.`);
    }
  }

  private async assertDataSourceNameFree(knowledgeBaseId: string, name: string, except?: string): Promise<void> {
    for (const record of await this.repository.listDataSources(knowledgeBaseId)) {
      if (record.name === name && record.dataSourceId !== except) throw new OutcropError('ConflictException', `DataSource with name ${name} already exists in knowledge base ${knowledgeBaseId}.`);
    }
  }

  /** Control-plane writes run one at a time, so name checks and writes do not race. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work, work);
    this.writes = result.catch(() => undefined);
    return result;
  }
}

function embeddingModelArnOf(record: Pick<KnowledgeBaseRecord, 'knowledgeBaseConfiguration'>): string {
  return (record.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration as { embeddingModelArn: string }).embeddingModelArn;
}

function knowledgeBaseFields(input: KnowledgeBaseInput): Pick<KnowledgeBaseRecord, 'name' | 'description' | 'roleArn' | 'knowledgeBaseConfiguration' | 'storageConfiguration'> {
  return {
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    roleArn: input.roleArn,
    knowledgeBaseConfiguration: input.knowledgeBaseConfiguration,
    ...(input.storageConfiguration === undefined ? {} : { storageConfiguration: input.storageConfiguration }),
  };
}

function dataSourceFields(input: DataSourceInput): Omit<DataSourceRecord, 'knowledgeBaseId' | 'dataSourceId' | 'status' | 'createdAt' | 'updatedAt'> {
  return {
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    dataSourceConfiguration: input.dataSourceConfiguration,
    ...(input.vectorIngestionConfiguration === undefined ? {} : { vectorIngestionConfiguration: input.vectorIngestionConfiguration }),
    dataDeletionPolicy: input.dataDeletionPolicy ?? 'DELETE',
    ...(input.serverSideEncryptionConfiguration === undefined ? {} : { serverSideEncryptionConfiguration: input.serverSideEncryptionConfiguration }),
  };
}

function checkTags(tags: Record<string, string>, resource: string): void {
  if (Object.keys(tags).length > maxTagsPerKnowledgeBase) {
    throw new OutcropError('ValidationException', `${resource} would have ${Object.keys(tags).length} tags; a resource may have at most ${maxTagsPerKnowledgeBase}.`);
  }
}
