import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { ChunkingStrategy } from '../chunking/chunking-strategy.js';
import { type TokenCounter, cachedTokenCounter, loadTokenCounter } from '../chunking/token-counter.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import type { DataSourceRecord, DocumentRecord, KnowledgeBaseRecord, KnowledgeBaseRepository } from '../registry/knowledge-base-record.js';
import { chunkingStrategyOf, configurationHashOf } from '../registry/vector-ingestion-settings.js';
import type { DocumentRef } from '../sources/data-source-reader.js';
import type { DataSourceSettings } from '../sources/data-source-settings.js';
import type { ClosableReader } from '../sources/open-data-source-reader.js';
import type { CrawlEvent } from '../sources/web/web-crawler-reader.js';
import type { SourceKind } from './chunk-placement.js';
import type { DocumentIndexing, IndexOutcome } from './index-document.js';
import type { IngestionObserver } from './ingestion-observer.js';
import type { KeyedLock } from './keyed-lock.js';

/** What ingestion jobs and direct ingestion share: stores, models, the operator's settings, locks. */
export interface IngestionEnvironment {
  repository: KnowledgeBaseRepository;
  index: ChunkIndex;
  embeddingModelOf(record: KnowledgeBaseRecord): EmbeddingModel;
  settings: DataSourceSettings;
  openReader(dataSource: DataSourceRecord, settings: DataSourceSettings, hooks?: { onCrawlEvent?: (event: CrawlEvent) => void }): ClosableReader;
  tokenCounter(): Promise<TokenCounter>;
  now(): Date;
  /** per-document mutual exclusion, keyed by {@link documentKey} */
  locks: KeyedLock;
  /** told where ingestion time goes (stage timings, chunks per document) */
  observer?: IngestionObserver;
}

/** The lock key of one document. */
export function documentKey(knowledgeBaseId: string, dataSourceId: string, documentId: string): string {
  return `${knowledgeBaseId}\u0000${dataSourceId}\u0000${documentId}`;
}

/** A token counter loaded once and shared. */
export function sharedTokenCounter(): () => Promise<TokenCounter> {
  let counter: Promise<TokenCounter> | undefined;
  return () => {
    counter ??= loadTokenCounter().then((loaded) => cachedTokenCounter(loaded));
    counter.catch(() => {
      counter = undefined;
    });
    return counter;
  };
}

/** How a data source's documents are indexed, and the hash that tells when that changed. */
export async function indexingFor(
  environment: IngestionEnvironment,
  knowledgeBase: KnowledgeBaseRecord,
  dataSource: DataSourceRecord,
  abortSignal?: AbortSignal,
): Promise<DocumentIndexing & { configurationHash: string }> {
  const strategy: ChunkingStrategy = chunkingStrategyOf(dataSource.vectorIngestionConfiguration);
  const vector = knowledgeBase.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration as { embeddingModelArn: string };
  return {
    knowledgeBaseId: knowledgeBase.knowledgeBaseId,
    dataSourceId: dataSource.dataSourceId,
    sourceKind: sourceKindOf(dataSource),
    strategy,
    dimensions: knowledgeBase.dimensions,
    index: environment.index,
    embeddingModel: environment.embeddingModelOf(knowledgeBase),
    tokenCounter: await environment.tokenCounter(),
    ...(environment.settings.maxDocumentBytes === undefined ? {} : { maxDocumentBytes: environment.settings.maxDocumentBytes }),
    ...(abortSignal ? { abortSignal } : {}),
    ...(environment.observer ? { observer: environment.observer } : {}),
    configurationHash: configurationHashOf(strategy, vector.embeddingModelArn, knowledgeBase.dimensions),
  };
}

/** The kind of location a data source's chunks carry. */
export function sourceKindOf(dataSource: DataSourceRecord): SourceKind {
  const type = dataSource.dataSourceConfiguration.type;
  return type === 'S3' || type === 'WEB' ? type : 'CUSTOM';
}

/** The document record after an indexing attempt: INDEXED with its chunks, or FAILED with the reason. */
export function documentRecordOf(
  indexing: { knowledgeBaseId: string; dataSourceId: string; configurationHash: string },
  ref: DocumentRef,
  outcome: IndexOutcome,
  updatedAt: Date,
): DocumentRecord {
  const base = { knowledgeBaseId: indexing.knowledgeBaseId, dataSourceId: indexing.dataSourceId, id: ref.id, uri: ref.uri, updatedAt };
  if (outcome.ok) {
    return {
      ...base,
      status: 'INDEXED',
      contentHash: outcome.contentHash,
      metadataHash: outcome.metadataHash,
      fingerprint: ref.fingerprint,
      configurationHash: indexing.configurationHash,
      chunkIds: outcome.chunkIds,
    };
  }
  // no fingerprint: a failed document is read again by the next sync
  return { ...base, status: 'FAILED', statusReason: outcome.message.slice(0, 2048), contentHash: outcome.contentHash, metadataHash: outcome.metadataHash, chunkIds: [] };
}
