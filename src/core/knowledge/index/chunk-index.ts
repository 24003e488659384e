import type { MetadataJson, RetrievalFilter } from './retrieval-filter.js';

/** A span of a document as retrieval returns it. */
export interface ChunkContent {
  id: string;
  text: string;
}

/** One chunk as the index stores it (the embedding aside). */
export interface StoredChunk {
  /** unique within the knowledge base */
  id: string;
  knowledgeBaseId: string;
  dataSourceId: string;
  documentId: string;
  /** the text that was embedded and is searched by keyword */
  text: string;
  /** hierarchical chunking: the parent span that retrieval returns in place of this child */
  parent?: ChunkContent;
  /** Bedrock's `RetrievalResultLocation` in wire form (`{ type: 'S3', s3Location: { uri } }`, ...) */
  location: Record<string, unknown>;
  /**
   * filterable attributes: the document's own plus `x-amz-bedrock-kb-source-uri`,
   * `x-amz-bedrock-kb-chunk-id` and `x-amz-bedrock-kb-data-source-id`
   */
  metadata: Record<string, MetadataJson>;
}

export interface ChunkToIndex extends StoredChunk {
  /** length equals the knowledge base's dimensions */
  embedding: Float32Array;
}

/** A stored chunk's own text and its vector. */
export interface EmbeddedText {
  text: string;
  embedding: Float32Array;
}

export interface ScoredChunk {
  chunk: StoredChunk;
  /** vector search: cosine similarity in [-1, 1]; keyword search: BM25 (higher is better) */
  score: number;
}

export interface SearchOptions {
  /** how many results at most */
  k: number;
  filter?: RetrievalFilter;
  /** restrict to these data sources (default: all of the knowledge base) */
  dataSourceIds?: readonly string[];
}

/**
 * The chunks of every knowledge base: vectors for semantic search, full text for keyword (BM25)
 * search, and attributes for Bedrock's metadata filters, evaluated inside the store. Embedded
 * default: SQLite with sqlite-vec and FTS5; at scale: PostgreSQL with pgvector (HNSW) and full-text
 * search. Both pass `src/storage/knowledge/chunk-index.conformance.ts`.
 *
 * A document's chunks change together: `replaceDocument` is atomic, so a crash never leaves half a
 * document indexed.
 */
export interface ChunkIndex {
  /** prepares storage for a knowledge base whose vectors have `dimensions` dimensions; idempotent */
  createKnowledgeBase(knowledgeBaseId: string, dimensions: number): Promise<void>;
  /** removes a knowledge base's chunks and storage */
  dropKnowledgeBase(knowledgeBaseId: string): Promise<void>;
  /** atomically replaces every chunk of one document with `chunks` (empty: removes the document) */
  replaceDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string, chunks: readonly ChunkToIndex[]): Promise<void>;
  /** removes the chunks of these documents */
  deleteDocuments(knowledgeBaseId: string, dataSourceId: string, documentIds: readonly string[]): Promise<void>;
  /** removes every chunk of a data source */
  deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<void>;
  /** nearest chunks by cosine similarity, best first, the filter applied before `k` is counted */
  searchVector(knowledgeBaseId: string, query: Float32Array, options: SearchOptions): Promise<ScoredChunk[]>;
  /** best BM25 matches for the query's words, best first, the filter applied before `k` is counted */
  searchKeyword(knowledgeBaseId: string, query: string, options: SearchOptions): Promise<ScoredChunk[]>;
  /** how many chunks the knowledge base (or one document) holds */
  countChunks(knowledgeBaseId: string, documentId?: { dataSourceId: string; documentId: string }): Promise<number>;
  /**
   * The text and vector of each chunk one document holds now, so a re-sync of a changed document
   * embeds only the chunks whose text is new. Optional: without it every chunk is embedded again.
   */
  documentEmbeddings?(knowledgeBaseId: string, dataSourceId: string, documentId: string): Promise<EmbeddedText[]>;
  close?(): Promise<void>;
}
