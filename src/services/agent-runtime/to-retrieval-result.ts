import type { RetrievedChunk } from '../../core/knowledge/retrieval/collapse-to-parents.js';
import type { SearchResult } from '../../core/knowledge/generation/search-result.js';

/** Bedrock's `KnowledgeBaseRetrievalResult` for a retrieved chunk. */
export function toRetrievalResult(chunk: RetrievedChunk): Record<string, unknown> {
  return { ...toRetrievedReference(chunk), score: chunk.score };
}

/** Bedrock's `RetrievedReference`: content, location and metadata (metadata only when there is some). */
export function toRetrievedReference(result: SearchResult): Record<string, unknown> {
  const reference: Record<string, unknown> = { content: { type: 'TEXT', text: result.text } };
  if (result.location) reference.location = result.location;
  if (result.metadata && Object.keys(result.metadata).length > 0) reference.metadata = result.metadata;
  return reference;
}
