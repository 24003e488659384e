import type { StoredChunk } from '../index/chunk-index.js';

/** A ranked chunk as retrieval returns it: the span to show, its attributes and its score. */
export interface RetrievedChunk {
  /** the id of the returned span: the parent's for hierarchical children, the chunk's otherwise */
  id: string;
  knowledgeBaseId: string;
  dataSourceId: string;
  documentId: string;
  text: string;
  /** Bedrock's `RetrievalResultLocation` in wire form */
  location: Record<string, unknown>;
  metadata: StoredChunk['metadata'];
  /** in [0, 1], higher is better (see `retrieveChunks` for how each search type scores) */
  score: number;
}

/**
 * Replaces hierarchical children by their parent, as Bedrock returns them, and merges results that
 * name the same span: the first (best) occurrence keeps its place and score. Input is best first.
 *
 * @example
 * collapseToParents([{ chunk: child1, score: 0.9 }, { chunk: child2, score: 0.8 }]) // one result: the shared parent, 0.9
 */
export function collapseToParents(ranked: readonly { chunk: StoredChunk; score: number }[]): RetrievedChunk[] {
  const seen = new Set<string>();
  const out: RetrievedChunk[] = [];
  for (const { chunk, score } of ranked) {
    const id = chunk.parent?.id ?? chunk.id;
    if (seen.has(id)) continue;
    seen.add(id);
    const metadata = chunk.parent && 'x-amz-bedrock-kb-chunk-id' in chunk.metadata ? { ...chunk.metadata, 'x-amz-bedrock-kb-chunk-id': chunk.parent.id } : chunk.metadata;
    out.push({
      id,
      knowledgeBaseId: chunk.knowledgeBaseId,
      dataSourceId: chunk.dataSourceId,
      documentId: chunk.documentId,
      text: chunk.parent?.text ?? chunk.text,
      location: chunk.location,
      metadata,
      score,
    });
  }
  return out;
}
