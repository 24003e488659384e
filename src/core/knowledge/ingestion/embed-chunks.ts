import type { EmbeddingModel } from '../../inference/embedding-model.js';
import { embedMany } from '../../inference/embed-many.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import type { DocumentMetadata } from '../metadata/document-metadata.js';
import { textToEmbed } from './chunk-placement.js';

/** Where a document's vectors come from: its knowledge base's model and index. */
export interface ChunkEmbedding {
  knowledgeBaseId: string;
  dataSourceId: string;
  dimensions: number;
  index: ChunkIndex;
  embeddingModel: EmbeddingModel;
  abortSignal?: AbortSignal;
}

/** Each chunk's vector, and how many of them the model computed (the rest were the stored ones). */
export interface ChunkVectors {
  vectors: Float32Array[];
  embedded: number;
}

/**
 * The vectors of a document's chunks. With `reuseStored` (the caller knows the stored chunks were
 * embedded by the same model and settings, with the same attributes prepended), a chunk whose text
 * the index already holds for this document keeps its stored vector, and only new texts go to the
 * model, in `embedMany`'s batches. An edit to one part of a long document then re-embeds the chunks
 * around the edit, not the whole document.
 *
 * @example
 * const { vectors, embedded } = await embedChunks(chunks.map((chunk) => chunk.text), metadata, indexing, documentId, { reuseStored: true });
 */
export async function embedChunks(
  texts: readonly string[],
  metadata: DocumentMetadata | undefined,
  indexing: ChunkEmbedding,
  documentId: string,
  options: { reuseStored?: boolean } = {},
): Promise<ChunkVectors> {
  const stored = new Map<string, Float32Array>();
  if (options.reuseStored && indexing.index.documentEmbeddings) {
    for (const entry of await indexing.index.documentEmbeddings(indexing.knowledgeBaseId, indexing.dataSourceId, documentId)) {
      if (entry.embedding.length === indexing.dimensions) stored.set(entry.text, entry.embedding);
    }
  }
  const vectors: (Float32Array | undefined)[] = texts.map((text) => stored.get(text));
  const missing = texts.flatMap((_, position) => (vectors[position] ? [] : [position]));
  if (missing.length > 0) {
    const { embeddings } = await embedMany(indexing.embeddingModel, {
      values: missing.map((position) => textToEmbed(texts[position] as string, metadata)),
      purpose: 'document',
      ...(indexing.abortSignal ? { abortSignal: indexing.abortSignal } : {}),
    });
    missing.forEach((position, row) => {
      vectors[position] = Float32Array.from(embeddings[row] as number[]);
    });
  }
  return { vectors: vectors as Float32Array[], embedded: missing.length };
}
