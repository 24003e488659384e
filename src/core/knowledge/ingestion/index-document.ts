import { createHash } from 'node:crypto';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import { embedMany } from '../../inference/embed-many.js';
import { chunkDocument } from '../chunking/chunk-document.js';
import type { ChunkingStrategy } from '../chunking/chunking-strategy.js';
import type { TokenCounter } from '../chunking/token-counter.js';
import type { ChunkIndex, ChunkToIndex } from '../index/chunk-index.js';
import { type DocumentMetadata, hashMetadata } from '../metadata/document-metadata.js';
import { parseDocument } from '../parsing/parse-document.js';
import type { DocumentRef } from '../sources/data-source-reader.js';
import { type SourceKind, chunkMetadata, locationOf, parentOf, storedChunkId, textToEmbed } from './chunk-placement.js';

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
}

/** The document's new state, or why it could not be indexed (the caller records it and moves on). */
export type IndexOutcome = { ok: true; chunkIds: string[]; contentHash: string; metadataHash: string } | { ok: false; message: string; contentHash: string; metadataHash: string };

/**
 * Parses, chunks, embeds and indexes one document, replacing whatever the index held for it in one
 * atomic `replaceDocument`, so a crash or a stop never leaves part of it indexed. A document that
 * cannot be parsed, has no text, or cannot be embedded comes back as `{ ok: false, message }` and its
 * old chunks are removed; only an aborted signal throws.
 *
 * @example
 * const outcome = await indexDocument(ref, bytes, metadata, { knowledgeBaseId, dataSourceId, sourceKind: 'S3', strategy, dimensions, index, embeddingModel, tokenCounter });
 */
export async function indexDocument(ref: DocumentRef, bytes: Uint8Array, metadata: DocumentMetadata | undefined, indexing: DocumentIndexing): Promise<IndexOutcome> {
  const signal = indexing.abortSignal;
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const metadataHash = hashMetadata(metadata);
  const failed = async (message: string): Promise<IndexOutcome> => {
    signal?.throwIfAborted();
    await indexing.index.replaceDocument(indexing.knowledgeBaseId, indexing.dataSourceId, ref.id, []);
    return { ok: false, message, contentHash, metadataHash };
  };

  const parsed = await parseDocument(
    { bytes, fileName: ref.fileName, ...(ref.contentType ? { contentType: ref.contentType } : {}), ...(signal ? { abortSignal: signal } : {}) },
    indexing.maxDocumentBytes === undefined ? {} : { maxBytes: indexing.maxDocumentBytes },
  );
  if (!parsed.ok) return failed(parsed.message);

  let chunks: Awaited<ReturnType<typeof chunkDocument>>;
  let vectors: number[][];
  try {
    chunks = await chunkDocument({ documentId: ref.id, ...parsed.document }, indexing.strategy, {
      tokenCounter: indexing.tokenCounter,
      embeddingModel: indexing.embeddingModel,
      ...(signal ? { abortSignal: signal } : {}),
    });
    if (chunks.length === 0) return failed(`${ref.fileName} has no text to index.`);
    const { embeddings } = await embedMany(indexing.embeddingModel, {
      values: chunks.map((chunk) => textToEmbed(chunk.text, metadata)),
      purpose: 'document',
      ...(signal ? { abortSignal: signal } : {}),
    });
    vectors = embeddings;
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
      embedding: Float32Array.from(vectors[position] as number[]),
    };
  });
  signal?.throwIfAborted();
  await indexing.index.replaceDocument(indexing.knowledgeBaseId, indexing.dataSourceId, ref.id, toIndex);
  return { ok: true, chunkIds: toIndex.map((chunk) => chunk.id), contentHash, metadataHash };
}
