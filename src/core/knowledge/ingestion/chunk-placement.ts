import { createHash } from 'node:crypto';
import type { Chunk } from '../chunking/chunk.js';
import type { StoredChunk } from '../index/chunk-index.js';
import type { MetadataJson } from '../index/retrieval-filter.js';
import type { DocumentMetadata } from '../metadata/document-metadata.js';
import type { DocumentRef } from '../sources/data-source-reader.js';

/** Where a data source's documents come from, as Bedrock's `RetrievalResultLocation` types them. */
export type SourceKind = 'S3' | 'WEB' | 'CUSTOM';

/**
 * Bedrock's `RetrievalResultLocation` of a document: `s3Location.uri` for S3 sources,
 * `webLocation.url` for crawled pages, `customDocumentLocation.id` for custom sources.
 *
 * @example
 * locationOf('S3', ref) // { type: 'S3', s3Location: { uri: 's3://docs/a.pdf' } }
 */
export function locationOf(kind: SourceKind, ref: DocumentRef): Record<string, unknown> {
  switch (kind) {
    case 'S3':
      return { type: 'S3', s3Location: { uri: ref.uri } };
    case 'WEB':
      return { type: 'WEB', webLocation: { url: ref.uri } };
    case 'CUSTOM':
      return { type: 'CUSTOM', customDocumentLocation: { id: ref.id } };
  }
}

/** A chunk's id in the index: unique within the knowledge base, stable across re-syncs of unchanged text. */
export function storedChunkId(dataSourceId: string, chunk: Chunk): string {
  return createHash('sha256').update(`${dataSourceId}\u0000${chunk.id}`).digest('hex').slice(0, 32);
}

/**
 * The filterable attributes of one chunk: the document's own attributes, plus the ones Bedrock sets
 * on every chunk (`x-amz-bedrock-kb-source-uri`, `x-amz-bedrock-kb-chunk-id`,
 * `x-amz-bedrock-kb-data-source-id`, and `x-amz-bedrock-kb-document-page-number` for paged documents).
 *
 * @example
 * chunkMetadata(metadata, { sourceUri: 's3://docs/a.pdf', chunkId, dataSourceId, pageNumber: 2 });
 */
export function chunkMetadata(
  metadata: DocumentMetadata | undefined,
  placement: { sourceUri: string; chunkId: string; dataSourceId: string; pageNumber?: number },
): Record<string, MetadataJson> {
  const attributes: Record<string, MetadataJson> = {};
  for (const [key, attribute] of Object.entries(metadata ?? {})) attributes[key] = attribute.value.value;
  attributes['x-amz-bedrock-kb-source-uri'] = placement.sourceUri;
  attributes['x-amz-bedrock-kb-chunk-id'] = placement.chunkId;
  attributes['x-amz-bedrock-kb-data-source-id'] = placement.dataSourceId;
  if (placement.pageNumber !== undefined) attributes['x-amz-bedrock-kb-document-page-number'] = placement.pageNumber;
  return attributes;
}

/**
 * The text embedded for a chunk: attributes marked `includeForEmbedding` first (`key: value` lines),
 * then the chunk, as Bedrock does. The index keeps the chunk's own text.
 */
export function textToEmbed(text: string, metadata: DocumentMetadata | undefined): string {
  const lines = Object.entries(metadata ?? {})
    .filter(([, attribute]) => attribute.includeForEmbedding)
    .map(([key, attribute]) => `${key}: ${Array.isArray(attribute.value.value) ? attribute.value.value.join(', ') : String(attribute.value.value)}`);
  return lines.length === 0 ? text : `${lines.join('\n')}\n\n${text}`;
}

/** Keeps only what the index stores of a chunk's parent. */
export function parentOf(chunk: Chunk): StoredChunk['parent'] {
  return chunk.parent ? { id: chunk.parent.id, text: chunk.parent.text } : undefined;
}
