import { OutcropError } from '../../errors.js';
import { DocumentError } from '../document-error.js';
import { type DocumentMetadata, type InlineMetadataAttribute, metadataFromAttributes, parseMetadataSidecar } from '../metadata/document-metadata.js';
import type { DataSourceRecord, DocumentRecord, DocumentStatus, KnowledgeBaseRecord } from '../registry/knowledge-base-record.js';
import type { S3SourceConfiguration } from '../sources/data-source-configuration.js';
import type { DocumentRef } from '../sources/data-source-reader.js';
import { createCustomSourceReader } from '../sources/custom-source-reader.js';
import { openBucketReader } from '../sources/open-data-source-reader.js';
import { bucketNameFromArn } from '../sources/s3-reader.js';
import { indexDocument } from './index-document.js';
import { type IngestionEnvironment, documentKey, documentRecordOf, indexingFor } from './ingestion-environment.js';

/** Bedrock's `DocumentIdentifier`. */
export type DocumentIdentifier = { dataSourceType: 'CUSTOM'; custom: { id: string } } | { dataSourceType: 'S3'; s3: { uri: string } };

/** One document of `IngestKnowledgeBaseDocuments`, in neutral form. */
export interface DirectDocument {
  identifier: DocumentIdentifier;
  content: { type: 'TEXT'; text: string } | { type: 'BYTE'; bytes: Uint8Array; mimeType: string } | { type: 'S3'; uri: string };
  metadata?: { type: 'INLINE'; attributes: InlineMetadataAttribute[] } | { type: 'S3'; uri: string };
}

/** Bedrock's `KnowledgeBaseDocumentDetail`. */
export interface DocumentDetail {
  knowledgeBaseId: string;
  dataSourceId: string;
  status: DocumentStatus;
  identifier: DocumentIdentifier;
  statusReason?: string;
  updatedAt?: Date;
}

const s3UriPattern = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/**
 * Direct ingestion (`IngestKnowledgeBaseDocuments`, `GetKnowledgeBaseDocuments`,
 * `ListKnowledgeBaseDocuments`, `DeleteKnowledgeBaseDocuments`): documents added to or removed from
 * a CUSTOM data source (inline text or bytes, or an S3 object) or an S3 data source (objects of its
 * bucket) without a sync. Requests are checked at once; the work runs in the background and the call
 * answers STARTING / DELETING, as Bedrock does. Each document is replaced atomically under the same
 * per-document lock as ingestion jobs. Inline content lives only in memory until it is indexed: a
 * document a restart interrupted is marked FAILED by `recover()`, to be sent again.
 *
 * @example
 * const details = await documents.ingest('KB12345678', 'DS12345678', [{ identifier: { dataSourceType: 'CUSTOM', custom: { id: 'faq' } }, content: { type: 'TEXT', text: 'Open 9 to 5.' } }]);
 */
export class KnowledgeBaseDocuments {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly environment: IngestionEnvironment,
    private readonly options: { onError?: (error: unknown, document: string) => void } = {},
  ) {}

  /** IngestKnowledgeBaseDocuments: records each document as STARTING and indexes it in the background. */
  async ingest(knowledgeBaseId: string, dataSourceId: string, documents: readonly DirectDocument[]): Promise<DocumentDetail[]> {
    const { knowledgeBase, dataSource } = await this.resolve(knowledgeBaseId, dataSourceId);
    const prepared = documents.map((document, index) => this.prepare(dataSource, document, index));
    const ids = new Set<string>();
    for (const { id } of prepared) {
      if (ids.has(id)) throw new OutcropError('ValidationException', `The document ${id} appears more than once in the request.`);
      ids.add(id);
    }
    const details: DocumentDetail[] = [];
    for (const document of prepared) {
      const now = this.environment.now();
      const before = await this.environment.repository.getDocument(knowledgeBaseId, dataSourceId, document.id);
      const starting: DocumentRecord = {
        knowledgeBaseId,
        dataSourceId,
        id: document.id,
        uri: document.id,
        status: 'STARTING',
        contentHash: before?.contentHash ?? '',
        metadataHash: before?.metadataHash ?? '',
        chunkIds: before?.chunkIds ?? [],
        updatedAt: now,
      };
      await this.environment.repository.putDocument(starting);
      details.push(this.detailOf(dataSource, starting));
      this.background(document.id, () => this.indexOne(knowledgeBase, dataSource, document));
    }
    return details;
  }

  /** GetKnowledgeBaseDocuments: each document's status, NOT_FOUND for unknown ones. */
  async get(knowledgeBaseId: string, dataSourceId: string, identifiers: readonly DocumentIdentifier[]): Promise<DocumentDetail[]> {
    const { dataSource } = await this.resolve(knowledgeBaseId, dataSourceId);
    const details: DocumentDetail[] = [];
    for (const identifier of identifiers) {
      const id = this.idOf(dataSource, identifier);
      const record = await this.environment.repository.getDocument(knowledgeBaseId, dataSourceId, id);
      details.push(record ? this.detailOf(dataSource, record) : { knowledgeBaseId, dataSourceId, status: 'NOT_FOUND', identifier });
    }
    return details;
  }

  /** ListKnowledgeBaseDocuments: the data source's documents by id, one page. */
  async list(knowledgeBaseId: string, dataSourceId: string, input: { maxResults?: number; nextToken?: string } = {}): Promise<{ items: DocumentDetail[]; nextToken?: string }> {
    const { dataSource } = await this.resolve(knowledgeBaseId, dataSourceId);
    const page = await this.environment.repository.listDocuments(knowledgeBaseId, dataSourceId, {
      limit: input.maxResults ?? 100,
      ...(input.nextToken === undefined ? {} : { after: input.nextToken }),
    });
    return { items: page.items.map((record) => this.detailOf(dataSource, record)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /** DeleteKnowledgeBaseDocuments: DELETING now; chunks and record removed in the background. */
  async delete(knowledgeBaseId: string, dataSourceId: string, identifiers: readonly DocumentIdentifier[]): Promise<DocumentDetail[]> {
    const { dataSource } = await this.resolve(knowledgeBaseId, dataSourceId);
    const details: DocumentDetail[] = [];
    for (const identifier of identifiers) {
      const id = this.idOf(dataSource, identifier);
      const record = await this.environment.repository.getDocument(knowledgeBaseId, dataSourceId, id);
      if (!record) {
        details.push({ knowledgeBaseId, dataSourceId, status: 'NOT_FOUND', identifier });
        continue;
      }
      const deleting: DocumentRecord = { ...record, status: 'DELETING', updatedAt: this.environment.now() };
      await this.environment.repository.putDocument(deleting);
      details.push(this.detailOf(dataSource, deleting));
      this.background(id, () => this.deleteOne(knowledgeBaseId, dataSourceId, id));
    }
    return details;
  }

  /**
   * At start: documents a restart interrupted. Deletions are finished; ingestions (whose inline
   * content was only in memory) become FAILED with a reason asking to send them again.
   */
  async recover(knowledgeBases: readonly KnowledgeBaseRecord[]): Promise<void> {
    for (const knowledgeBase of knowledgeBases) {
      for (const dataSource of await this.environment.repository.listDataSources(knowledgeBase.knowledgeBaseId)) {
        for (const record of await this.environment.repository.allDocuments(knowledgeBase.knowledgeBaseId, dataSource.dataSourceId)) {
          if (record.status === 'DELETING' || record.status === 'DELETE_IN_PROGRESS') {
            await this.deleteOne(record.knowledgeBaseId, record.dataSourceId, record.id);
          } else if (record.status === 'STARTING' || record.status === 'IN_PROGRESS' || record.status === 'PENDING') {
            await this.environment.index.replaceDocument(record.knowledgeBaseId, record.dataSourceId, record.id, []);
            const { fingerprint: _dropped, ...rest } = record;
            await this.environment.repository.putDocument({
              ...rest,
              status: 'FAILED',
              statusReason: 'The server restarted before this document was indexed; ingest it again.',
              chunkIds: [],
              updatedAt: this.environment.now(),
            });
          }
        }
      }
    }
  }

  /** Resolves when every background ingestion and deletion started so far has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private background(id: string, work: () => Promise<void>): void {
    const task = work().catch((error: unknown) => this.options.onError?.(error, id));
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  private async indexOne(knowledgeBase: KnowledgeBaseRecord, dataSource: DataSourceRecord, document: PreparedDocument): Promise<void> {
    const { knowledgeBaseId } = knowledgeBase;
    const { dataSourceId } = dataSource;
    await this.environment.locks.run(documentKey(knowledgeBaseId, dataSourceId, document.id), async () => {
      const current = await this.environment.repository.getDocument(knowledgeBaseId, dataSourceId, document.id);
      if (!current) return; // deleted meanwhile
      await this.environment.repository.putDocument({ ...current, status: 'IN_PROGRESS', updatedAt: this.environment.now() });
      const indexing = await indexingFor(this.environment, knowledgeBase, dataSource);
      let ref: DocumentRef;
      let bytes: Uint8Array;
      let metadata: DocumentMetadata | undefined;
      try {
        ({ ref, bytes, metadata } = await document.load());
      } catch (error) {
        if (!DocumentError.isInstance(error)) throw error;
        const failedRef: DocumentRef = { id: document.id, uri: document.id, fileName: document.id, fingerprint: '' };
        await this.environment.index.replaceDocument(knowledgeBaseId, dataSourceId, document.id, []);
        await this.environment.repository.putDocument(documentRecordOf(indexing, failedRef, { ok: false, message: error.message, contentHash: '', metadataHash: '' }, this.environment.now()));
        return;
      }
      const outcome = await indexDocument(ref, bytes, metadata, indexing);
      await this.environment.repository.putDocument(documentRecordOf(indexing, ref, outcome, this.environment.now()));
    });
  }

  private async deleteOne(knowledgeBaseId: string, dataSourceId: string, id: string): Promise<void> {
    await this.environment.locks.run(documentKey(knowledgeBaseId, dataSourceId, id), async () => {
      await this.environment.index.deleteDocuments(knowledgeBaseId, dataSourceId, [id]);
      await this.environment.repository.deleteDocument(knowledgeBaseId, dataSourceId, id);
    });
  }

  /** Checks one document against its data source at request time; loading happens later. */
  private prepare(dataSource: DataSourceRecord, document: DirectDocument, index: number): PreparedDocument {
    const id = this.idOf(dataSource, document.identifier);
    const where = `documents[${index}]`;
    const inlineMetadata = document.metadata?.type === 'INLINE' ? metadataFromAttributes(document.metadata.attributes, id) : undefined;
    const metadataUri = document.metadata?.type === 'S3' ? this.checkS3Uri(document.metadata.uri, `${where}.metadata.s3Location.uri`) : undefined;
    const loadMetadata = async (): Promise<DocumentMetadata | undefined> => {
      if (inlineMetadata) return inlineMetadata;
      if (!metadataUri) return undefined;
      const bytes = await this.readS3(metadataUri);
      return parseMetadataSidecar(bytes, metadataUri.key.slice(metadataUri.key.lastIndexOf('/') + 1));
    };
    const content = document.content;
    if (dataSource.dataSourceConfiguration.type === 'S3') {
      if (content.type !== 'S3') throw new OutcropError('ValidationException', `${where}.content: an S3 data source takes S3 documents (dataSourceType S3), not inline content.`);
      const location = this.checkS3Uri(content.uri, `${where}.content.s3.s3Location.uri`);
      const bucket = bucketNameFromArn((dataSource.dataSourceConfiguration.s3Configuration as S3SourceConfiguration).bucketArn);
      if (location.bucket !== bucket) throw new OutcropError('ValidationException', `${where}: ${content.uri} is not in the data source's bucket ${bucket}.`);
      return {
        id,
        load: async () => {
          const ref: DocumentRef = { id, uri: id, fileName: location.key.slice(location.key.lastIndexOf('/') + 1), fingerprint: '' };
          const reader = openBucketReader(location.bucket, [], this.environment.settings);
          try {
            const bytes = await reader.read(ref);
            return { ref, bytes, metadata: metadataUri || inlineMetadata ? await loadMetadata() : await reader.metadata(ref) };
          } finally {
            await reader.close?.();
          }
        },
      };
    }
    if (content.type === 'S3') {
      const location = this.checkS3Uri(content.uri, `${where}.content.custom.s3Location.uri`);
      return {
        id,
        load: async () => {
          const bytes = await this.readS3(location);
          const fileName = location.key.slice(location.key.lastIndexOf('/') + 1);
          return { ref: { id, uri: id, fileName, fingerprint: '' }, bytes, metadata: await loadMetadata() };
        },
      };
    }
    const custom = createCustomSourceReader();
    return {
      id,
      load: async () => {
        const metadata = await loadMetadata();
        const ref = custom.put({ id, content: content.type === 'TEXT' ? content : { type: 'BYTE', bytes: content.bytes, mimeType: content.mimeType }, ...(metadata ? { metadata } : {}) });
        return { ref, bytes: await custom.read(ref), metadata };
      },
    };
  }

  private async readS3(location: { bucket: string; key: string; uri: string }): Promise<Uint8Array> {
    const reader = openBucketReader(location.bucket, [], this.environment.settings);
    try {
      return await reader.read({ id: location.uri, uri: location.uri, fileName: location.key, fingerprint: '' });
    } finally {
      await reader.close?.();
    }
  }

  private checkS3Uri(uri: string, path: string): { bucket: string; key: string; uri: string } {
    const match = s3UriPattern.exec(uri);
    if (!match?.[1] || !match[2]) throw new OutcropError('ValidationException', `${path} ${uri} is not an S3 object URI (s3://bucket/key).`);
    return { bucket: match[1], key: match[2], uri };
  }

  /** The document id an identifier names in this data source; a `ValidationException` when the kinds differ. */
  private idOf(dataSource: DataSourceRecord, identifier: DocumentIdentifier): string {
    const type = dataSource.dataSourceConfiguration.type;
    if (identifier.dataSourceType !== type) {
      throw new OutcropError('ValidationException', `Data source ${dataSource.dataSourceId} is of type ${String(type)}; its documents are identified with dataSourceType ${String(type)}, not ${identifier.dataSourceType}.`);
    }
    const id = identifier.dataSourceType === 'CUSTOM' ? identifier.custom?.id : identifier.s3?.uri;
    if (!id) throw new OutcropError('ValidationException', `A ${identifier.dataSourceType} document identifier needs ${identifier.dataSourceType === 'CUSTOM' ? 'custom.id' : 's3.uri'}.`);
    return id;
  }

  private detailOf(dataSource: DataSourceRecord, record: DocumentRecord): DocumentDetail {
    const identifier: DocumentIdentifier =
      dataSource.dataSourceConfiguration.type === 'S3' ? { dataSourceType: 'S3', s3: { uri: record.id } } : { dataSourceType: 'CUSTOM', custom: { id: record.id } };
    return {
      knowledgeBaseId: record.knowledgeBaseId,
      dataSourceId: record.dataSourceId,
      status: record.status,
      identifier,
      ...(record.statusReason ? { statusReason: record.statusReason } : {}),
      updatedAt: record.updatedAt,
    };
  }

  private async resolve(knowledgeBaseId: string, dataSourceId: string): Promise<{ knowledgeBase: KnowledgeBaseRecord; dataSource: DataSourceRecord }> {
    const knowledgeBase = await this.environment.repository.getKnowledgeBase(knowledgeBaseId);
    if (!knowledgeBase) throw new OutcropError('ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} was not found.`);
    const dataSource = await this.environment.repository.getDataSource(knowledgeBaseId, dataSourceId);
    if (!dataSource) throw new OutcropError('ResourceNotFoundException', `Data source ${dataSourceId} was not found in knowledge base ${knowledgeBaseId}.`);
    const type = dataSource.dataSourceConfiguration.type;
    if (type !== 'CUSTOM' && type !== 'S3') {
      throw new OutcropError('ValidationException', `Data source ${dataSourceId} is of type ${String(type)}; documents can be ingested directly only into CUSTOM and S3 data sources.`);
    }
    return { knowledgeBase, dataSource };
  }
}

interface PreparedDocument {
  id: string;
  load(): Promise<{ ref: DocumentRef; bytes: Uint8Array; metadata: DocumentMetadata | undefined }>;
}
