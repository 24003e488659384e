import type { IndexedDocumentState } from '../sync/plan-sync.js';

/** A JSON value as stored: Bedrock's configuration structures are kept in their wire form. */
export type JsonObject = { [key: string]: unknown };

export type KnowledgeBaseStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING' | 'FAILED' | 'DELETE_UNSUCCESSFUL' | 'UPDATE_UNSUCCESSFUL';
export type DataSourceStatus = 'AVAILABLE' | 'DELETING' | 'DELETE_UNSUCCESSFUL' | 'CREATING' | 'UPDATING' | 'FAILED';
export type IngestionJobStatus = 'STARTING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED' | 'STOPPING' | 'STOPPED';
export type DocumentStatus =
  | 'INDEXED'
  | 'PARTIALLY_INDEXED'
  | 'PENDING'
  | 'FAILED'
  | 'METADATA_PARTIALLY_INDEXED'
  | 'METADATA_UPDATE_FAILED'
  | 'IGNORED'
  | 'NOT_FOUND'
  | 'STARTING'
  | 'IN_PROGRESS'
  | 'DELETING'
  | 'DELETE_IN_PROGRESS';

/** Bedrock's `KnowledgeBase`, with the configurations in their wire form. */
export interface KnowledgeBaseRecord {
  knowledgeBaseId: string;
  name: string;
  description?: string;
  roleArn: string;
  /** `{ type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn, embeddingModelConfiguration? } }` */
  knowledgeBaseConfiguration: JsonObject;
  storageConfiguration?: JsonObject;
  /** vector dimensions of the KB's embedding model, fixed at creation */
  dimensions: number;
  status: KnowledgeBaseStatus;
  failureReasons?: string[];
  tags?: Record<string, string>;
  /** the CreateKnowledgeBase request's idempotency token: a retry with it gets this record */
  clientToken?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Bedrock's `DataSource`. */
export interface DataSourceRecord {
  knowledgeBaseId: string;
  dataSourceId: string;
  name: string;
  description?: string;
  status: DataSourceStatus;
  /** `{ type: 'S3' | 'WEB' | 'CUSTOM' | 'LOCAL'?, s3Configuration?, webConfiguration?, ... }` */
  dataSourceConfiguration: JsonObject;
  vectorIngestionConfiguration?: JsonObject;
  dataDeletionPolicy?: 'RETAIN' | 'DELETE';
  serverSideEncryptionConfiguration?: JsonObject;
  failureReasons?: string[];
  /** the CreateDataSource request's idempotency token: a retry with it gets this record */
  clientToken?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Bedrock's `IngestionJobStatistics`. */
export interface IngestionJobStatistics {
  numberOfDocumentsScanned: number;
  numberOfMetadataDocumentsScanned: number;
  numberOfNewDocumentsIndexed: number;
  numberOfModifiedDocumentsIndexed: number;
  numberOfMetadataDocumentsModified: number;
  numberOfDocumentsDeleted: number;
  numberOfDocumentsFailed: number;
  numberOfDocumentsSkipped: number;
}

/** Statistics of a job that has not counted anything yet. */
export function emptyIngestionStatistics(): IngestionJobStatistics {
  return {
    numberOfDocumentsScanned: 0,
    numberOfMetadataDocumentsScanned: 0,
    numberOfNewDocumentsIndexed: 0,
    numberOfModifiedDocumentsIndexed: 0,
    numberOfMetadataDocumentsModified: 0,
    numberOfDocumentsDeleted: 0,
    numberOfDocumentsFailed: 0,
    numberOfDocumentsSkipped: 0,
  };
}

/** Bedrock's `IngestionJob`. */
export interface IngestionJobRecord {
  knowledgeBaseId: string;
  dataSourceId: string;
  ingestionJobId: string;
  description?: string;
  status: IngestionJobStatus;
  statistics: IngestionJobStatistics;
  failureReasons: string[];
  startedAt: Date;
  updatedAt: Date;
}

/**
 * One document of a data source: what sync planning needs (`IndexedDocumentState`) plus what
 * Get/ListKnowledgeBaseDocuments report. `id` is the document's stable id in its source.
 */
export interface DocumentRecord extends IndexedDocumentState {
  knowledgeBaseId: string;
  dataSourceId: string;
  /** where it lives: a file path, `s3://` URI, URL, or a custom document id */
  uri: string;
  status: DocumentStatus;
  statusReason?: string;
  updatedAt: Date;
}

export interface PageRequest {
  /** the `nextToken` a previous page returned */
  after?: string;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** opaque; absent on the last page */
  nextToken?: string;
}

/**
 * Where knowledge bases, data sources, ingestion jobs and per-document state persist. Implemented
 * for SQLite and PostgreSQL in `src/storage/knowledge/`, checked by one conformance suite. Every
 * `put` is an upsert of the whole record; lists are in creation order unless stated.
 */
export interface KnowledgeBaseRepository {
  putKnowledgeBase(record: KnowledgeBaseRecord): Promise<void>;
  getKnowledgeBase(knowledgeBaseId: string): Promise<KnowledgeBaseRecord | undefined>;
  listKnowledgeBases(): Promise<KnowledgeBaseRecord[]>;
  /** removes the knowledge base and everything under it (data sources, jobs, documents) */
  deleteKnowledgeBase(knowledgeBaseId: string): Promise<void>;

  putDataSource(record: DataSourceRecord): Promise<void>;
  getDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<DataSourceRecord | undefined>;
  listDataSources(knowledgeBaseId: string): Promise<DataSourceRecord[]>;
  /** removes the data source, its jobs and its document records */
  deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<void>;

  putIngestionJob(record: IngestionJobRecord): Promise<void>;
  getIngestionJob(knowledgeBaseId: string, dataSourceId: string, ingestionJobId: string): Promise<IngestionJobRecord | undefined>;
  listIngestionJobs(knowledgeBaseId: string, dataSourceId: string): Promise<IngestionJobRecord[]>;
  /** jobs left STARTING, IN_PROGRESS or STOPPING, across all knowledge bases (to resume after a restart) */
  listUnfinishedIngestionJobs(): Promise<IngestionJobRecord[]>;

  putDocument(record: DocumentRecord): Promise<void>;
  getDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<DocumentRecord | undefined>;
  /** ordered by document id */
  listDocuments(knowledgeBaseId: string, dataSourceId: string, page: PageRequest): Promise<Page<DocumentRecord>>;
  /** every document record of the data source, for sync planning */
  allDocuments(knowledgeBaseId: string, dataSourceId: string): Promise<DocumentRecord[]>;
  deleteDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<void>;
}
