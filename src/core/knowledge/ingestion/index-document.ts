import { createHash } from 'node:crypto';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import { chunkDocument } from '../chunking/chunk-document.js';
import type { ChunkingStrategy } from '../chunking/chunking-strategy.js';
import type { TokenCounter } from '../chunking/token-counter.js';
import type { ChunkIndex, ChunkToIndex } from '../index/chunk-index.js';
import { type DocumentMetadata, hashMetadata } from '../metadata/document-metadata.js';
import { parseDocument } from '../parsing/parse-document.js';
import type { DocumentRef } from '../sources/data-source-reader.js';
import { type SourceKind, chunkMetadata, locationOf, parentOf, storedChunkId } from './chunk-placement.js';
import { embedChunks } from './embed-chunks.js';
import { type IngestionObserver, timedStage } from './ingestion-observer.js';

/** What indexing one document needs: the stores and models of its knowledge base. */
export interface DocumentIndexing {
  knowledgeBaseId: string;
  dataSourceId: string;
  sourceKind: SourceKind;
  strategy: ChunkingStrategy;
  dimensions: number;
  index: ChunkIndex;
  embeddingModel: EmbeddingModel;
  tokenCounter: TokenCounter;
  maxDocumentBytes?: number;
  abortSignal?: AbortSignal;
  /** told how long parsing, chunking, embedding and indexing took */
  observer?: IngestionObserver;
}

/** The document's new state, or why it could not be indexed (the caller records it and moves on). */
export type IndexOutcome = { ok: true; chunkIds: string[]; contentHash: string; metadataHash: string } | { ok: false; message: string; contentHash: string; metadataHash: string };

/**
 * Parses, chunks, embeds and indexes one document, replacing whatever the index held for it in one
 * atomic `replaceDocument`, so a crash or a stop never leaves part of it indexed. A document that
 * cannot be parsed, has no text, or cannot be embedded comes back as `{ ok: false, message }` and its
 * old chunks are removed; only an aborted signal throws. With `reuseStoredEmbeddings` (the caller
 * checked that the stored chunks were embedded under the same settings and attributes), chunks whose
 * text is already indexed for this document keep their vectors and only new text is embedded.
 *
 * @example
 * const outcome = await indexDocument(ref, bytes, metadata, { knowledgeBaseId, dataSourceId, sourceKind: 'S3', strategy, dimensions, index, embeddingModel, tokenCounter });
 */
export async function indexDocument(
  ref: DocumentRef,
  bytes: Uint8Array,
  metadata: DocumentMetadata | undefined,
  indexing: DocumentIndexing,
  options: { reuseStoredEmbeddings?: boolean } = {},
): Promise<IndexOutcome> {
  const signal = indexing.abortSignal;
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const metadataHash = hashMetadata(metadata);
  const failed = async (message: string): Promise<IndexOutcome> => {
    signal?.throwIfAborted();
    await indexing.index.replaceDocument(indexing.knowledgeBaseId, indexing.dataSourceId, ref.id, []);
    return { ok: false, message, contentHash, metadataHash };
  };

  const observer = indexing.observer;
  const parsed = await timedStage(observer, 'parse', () =>
    parseDocument(
      { bytes, fileName: ref.fileName, ...(ref.contentType ? { contentType: ref.contentType } : {}), ...(signal ? { abortSignal: signal } : {}) },
      indexing.maxDocumentBytes === undefined ? {} : { maxBytes: indexing.maxDocumentBytes },
    ),
  );
  if (!parsed.ok) return failed(parsed.message);

  let chunks: Awaited<ReturnType<typeof chunkDocument>>;
  let vectors: Float32Array[];
  let embedded: number;
  try {
    chunks = await timedStage(observer, 'chunk', () =>
      chunkDocument({ documentId: ref.id, ...parsed.document }, indexing.strategy, {
        tokenCounter: indexing.tokenCounter,
        embeddingModel: indexing.embeddingModel,
        ...(signal ? { abortSignal: signal } : {}),
      }),
    );
    if (chunks.length === 0) return failed(`${ref.fileName} has no text to index.`);
    const texts = chunks.map((chunk) => chunk.text);
    ({ vectors, embedded } = await timedStage(observer, 'embed', () =>
      embedChunks(texts, metadata, indexing, ref.id, options.reuseStoredEmbeddings ? { reuseStored: true } : {}),
    ));
  } catch (error) {
    signal?.throwIfAborted();
    return failed(`${ref.fileName} could not be embedded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const wrongSize = vectors.find((vector) => vector.length !== indexing.dimensions);
  if (wrongSize) return failed(`The embedding model returned ${wrongSize.length}-dimensional vectors; this knowledge base stores ${indexing.dimensions}.`);

  const toIndex: ChunkToIndex[] = chunks.map((chunk, position) => {
    const id = storedChunkId(indexing.dataSourceId, chunk);
    const parent = parentOf(chunk);
    return {
      id,
      knowledgeBaseId: indexing.knowledgeBaseId,
      dataSourceId: indexing.dataSourceId,
      documentId: ref.id,
      text: chunk.text,
      ...(parent ? { parent } : {}),
      location: locationOf(indexing.sourceKind, ref),
      metadata: chunkMetadata(metadata, {
        sourceUri: ref.uri,
        chunkId: id,
        dataSourceId: indexing.dataSourceId,
        ...(chunk.location.pageNumber === undefined ? {} : { pageNumber: chunk.location.pageNumber }),
      }),
      embedding: vectors[position] as Float32Array,
    };
  });
  signal?.throwIfAborted();
  await timedStage(observer, 'index', () => indexing.index.replaceDocument(indexing.knowledgeBaseId, indexing.dataSourceId, ref.id, toIndex));
  observer?.documentIndexed(toIndex.length, embedded);
  return { ok: true, chunkIds: toIndex.map((chunk) => chunk.id), contentHash, metadataHash };
}
