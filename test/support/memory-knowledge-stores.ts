import { createHash } from 'node:crypto';
import type { EmbeddingModel } from '../../src/core/inference/embedding-model.js';
import type { ChunkIndex, ChunkToIndex, ScoredChunk } from '../../src/core/knowledge/index/chunk-index.js';
import type {
  DataSourceRecord,
  DocumentRecord,
  IngestionJobRecord,
  KnowledgeBaseRecord,
  KnowledgeBaseRepository,
  Page,
  PageRequest,
} from '../../src/core/knowledge/registry/knowledge-base-record.js';
import { cosineSimilarity } from '../../src/storage/knowledge/chunk-index-checks.js';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The knowledge-base repository in memory, for unit tests of the registry and the ingestion jobs.
 * Records are cloned in and out, as a database would; `failWrites` makes puts throw.
 */
export class MemoryKnowledgeBaseRepository implements KnowledgeBaseRepository {
  readonly knowledgeBases = new Map<string, KnowledgeBaseRecord>();
  readonly dataSources = new Map<string, DataSourceRecord>();
  readonly jobs = new Map<string, IngestionJobRecord>();
  readonly documents = new Map<string, DocumentRecord>();
  /** every job status written, in order */
  readonly jobWrites: string[] = [];

  async putKnowledgeBase(record: KnowledgeBaseRecord) {
    this.knowledgeBases.set(record.knowledgeBaseId, clone(record));
  }
  async getKnowledgeBase(id: string) {
    const record = this.knowledgeBases.get(id);
    return record && clone(record);
  }
  async listKnowledgeBases() {
    return [...this.knowledgeBases.values()].map(clone);
  }
  async deleteKnowledgeBase(id: string) {
    this.knowledgeBases.delete(id);
    for (const map of [this.dataSources, this.jobs, this.documents]) for (const key of map.keys()) if (key.startsWith(`${id}/`)) map.delete(key);
  }
  async putDataSource(record: DataSourceRecord) {
    this.dataSources.set(`${record.knowledgeBaseId}/${record.dataSourceId}`, clone(record));
  }
  async getDataSource(kb: string, ds: string) {
    const record = this.dataSources.get(`${kb}/${ds}`);
    return record && clone(record);
  }
  async listDataSources(kb: string) {
    return [...this.dataSources.values()].filter((record) => record.knowledgeBaseId === kb).map(clone);
  }
  async deleteDataSource(kb: string, ds: string) {
    this.dataSources.delete(`${kb}/${ds}`);
    for (const map of [this.jobs, this.documents]) for (const key of map.keys()) if (key.startsWith(`${kb}/${ds}/`)) map.delete(key);
  }
  async putIngestionJob(record: IngestionJobRecord) {
    this.jobWrites.push(record.status);
    this.jobs.set(`${record.knowledgeBaseId}/${record.dataSourceId}/${record.ingestionJobId}`, clone(record));
  }
  async getIngestionJob(kb: string, ds: string, id: string) {
    const record = this.jobs.get(`${kb}/${ds}/${id}`);
    return record && clone(record);
  }
  async listIngestionJobs(kb: string, ds: string) {
    return [...this.jobs.values()].filter((job) => job.knowledgeBaseId === kb && job.dataSourceId === ds).map(clone);
  }
  async listUnfinishedIngestionJobs() {
    return [...this.jobs.values()].filter((job) => ['STARTING', 'IN_PROGRESS', 'STOPPING'].includes(job.status)).map(clone);
  }
  async putDocument(record: DocumentRecord) {
    this.documents.set(`${record.knowledgeBaseId}/${record.dataSourceId}/${record.id}`, clone(record));
  }
  async getDocument(kb: string, ds: string, id: string) {
    const record = this.documents.get(`${kb}/${ds}/${id}`);
    return record && clone(record);
  }
  async listDocuments(kb: string, ds: string, page: PageRequest): Promise<Page<DocumentRecord>> {
    const all = (await this.allDocuments(kb, ds)).sort((a, b) => (a.id < b.id ? -1 : 1)).filter((record) => page.after === undefined || record.id > page.after);
    const items = all.slice(0, page.limit);
    return all.length > page.limit ? { items, nextToken: items.at(-1)?.id as string } : { items };
  }
  async allDocuments(kb: string, ds: string) {
    return [...this.documents.values()].filter((record) => record.knowledgeBaseId === kb && record.dataSourceId === ds).map(clone);
  }
  async deleteDocument(kb: string, ds: string, id: string) {
    this.documents.delete(`${kb}/${ds}/${id}`);
  }
}

/** The chunk index in memory: cosine search, a naive keyword search, no filters. */
export class MemoryChunkIndex implements ChunkIndex {
  readonly dimensions = new Map<string, number>();
  readonly chunks = new Map<string, ChunkToIndex>();
  /** `replaceDocument` calls, as `documentId` */
  readonly replaced: string[] = [];

  async createKnowledgeBase(kb: string, dimensions: number) {
    this.dimensions.set(kb, dimensions);
  }
  async dropKnowledgeBase(kb: string) {
    this.dimensions.delete(kb);
    for (const [id, chunk] of this.chunks) if (chunk.knowledgeBaseId === kb) this.chunks.delete(id);
  }
  async replaceDocument(kb: string, ds: string, documentId: string, chunks: readonly ChunkToIndex[]) {
    this.replaced.push(documentId);
    await this.deleteDocuments(kb, ds, [documentId]);
    for (const chunk of chunks) {
      if (chunk.embedding.length !== this.dimensions.get(kb)) throw new Error(`wrong vector size ${chunk.embedding.length}`);
      this.chunks.set(`${kb}/${chunk.id}`, chunk);
    }
  }
  async deleteDocuments(kb: string, ds: string, documentIds: readonly string[]) {
    const ids = new Set(documentIds);
    for (const [key, chunk] of this.chunks) if (chunk.knowledgeBaseId === kb && chunk.dataSourceId === ds && ids.has(chunk.documentId)) this.chunks.delete(key);
  }
  async deleteDataSource(kb: string, ds: string) {
    for (const [key, chunk] of this.chunks) if (chunk.knowledgeBaseId === kb && chunk.dataSourceId === ds) this.chunks.delete(key);
  }
  async searchVector(kb: string, query: Float32Array, options: { k: number }): Promise<ScoredChunk[]> {
    const scored = [...this.chunks.values()].filter((chunk) => chunk.knowledgeBaseId === kb).map((chunk) => ({ chunk, score: cosineSimilarity(query, chunk.embedding) }));
    return scored.sort((a, b) => b.score - a.score).slice(0, options.k);
  }
  async searchKeyword(kb: string, query: string, options: { k: number }): Promise<ScoredChunk[]> {
    const words = query.toLowerCase().split(/\W+/).filter(Boolean);
    return [...this.chunks.values()]
      .filter((chunk) => chunk.knowledgeBaseId === kb)
      .map((chunk) => ({ chunk, score: words.filter((word) => chunk.text.toLowerCase().includes(word)).length }))
      .filter((entry) => entry.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.k);
  }
  async countChunks(kb: string, document?: { dataSourceId: string; documentId: string }) {
    return [...this.chunks.values()].filter((chunk) => chunk.knowledgeBaseId === kb && (!document || (chunk.dataSourceId === document.dataSourceId && chunk.documentId === document.documentId))).length;
  }
  async documentEmbeddings(kb: string, ds: string, documentId: string) {
    return [...this.chunks.values()]
      .filter((chunk) => chunk.knowledgeBaseId === kb && chunk.dataSourceId === ds && chunk.documentId === documentId)
      .map((chunk) => ({ text: chunk.text, embedding: chunk.embedding }));
  }
  textsOf(kb: string, documentId: string): string[] {
    return [...this.chunks.values()].filter((chunk) => chunk.knowledgeBaseId === kb && chunk.documentId === documentId).map((chunk) => chunk.text);
  }
}

/**
 * A deterministic embedding model (vectors from SHA-256 of the text) that counts what it embeds;
 * `delayMs` slows each call so a test can stop a job mid-way.
 */
export function hashEmbeddingModel(dimensions = 16, options: { delayMs?: number; failOn?: RegExp } = {}): EmbeddingModel & { embedded: string[] } {
  const embedded: string[] = [];
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'test',
    modelId: 'test.hash-embed',
    dimensions,
    maxBatchSize: 8,
    embedded,
    async embed({ values, abortSignal }) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      abortSignal?.throwIfAborted();
      if (options.failOn && values.some((value) => options.failOn?.test(value))) throw new Error('the embedding backend is unavailable');
      embedded.push(...values);
      return {
        embeddings: values.map((value) => {
          const digest = createHash('sha256').update(value).digest();
          return Array.from({ length: dimensions }, (_, i) => (digest[i % digest.length] as number) / 255 - 0.5);
        }),
        usage: { inputTokens: values.length },
      };
    },
  };
}
