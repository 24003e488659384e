import type { StoredChunk } from '../../core/knowledge/index/chunk-index.js';

/** A knowledge base's chunk storage: its table number and vector size. */
export interface IndexInfo {
  number: number;
  dimensions: number;
}

/** The columns of a stored chunk that both the SQLite and the PostgreSQL chunk tables hold as they are. */
export interface ChunkColumns {
  data_source_id: string;
  document_id: string;
  chunk_id: string;
  text: string;
  parent_id: string | null;
  parent_text: string | null;
}

/**
 * A chunk as the index returns it, from its row and its decoded location and attributes.
 *
 * @example
 * const chunk = storedChunkOf(row, 'KB00000001', row.location, row.metadata);
 */
export function storedChunkOf(row: ChunkColumns, knowledgeBaseId: string, location: Record<string, unknown>, metadata: StoredChunk['metadata']): StoredChunk {
  return {
    id: row.chunk_id,
    knowledgeBaseId,
    dataSourceId: row.data_source_id,
    documentId: row.document_id,
    text: row.text,
    ...(row.parent_id === null ? {} : { parent: { id: row.parent_id, text: row.parent_text ?? '' } }),
    location,
    metadata,
  };
}
