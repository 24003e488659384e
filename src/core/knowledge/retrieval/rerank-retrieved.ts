import type { RerankingModel } from '../../inference/reranking-model.js';
import type { RetrievedChunk } from './collapse-to-parents.js';

/** Which metadata attributes go to the reranker with each chunk (Bedrock's `metadataConfiguration`). */
export type RerankingMetadataSelection = { mode: 'ALL' } | { mode: 'SELECTIVE'; include?: readonly string[]; exclude?: readonly string[] };

/** Reranking of retrieved chunks (Bedrock's `BEDROCK_RERANKING_MODEL` configuration). */
export interface RetrievalReranking {
  model: RerankingModel;
  /** how many results remain after reranking (default: all that were retrieved) */
  numberOfRerankedResults?: number;
  /** metadata passed along with the text; without it only the text is scored */
  metadata?: RerankingMetadataSelection;
}

/**
 * Reorders retrieved chunks by a reranking model's relevance to the query and keeps the best
 * `numberOfRerankedResults`; each result's score becomes the model's relevance score.
 *
 * @example
 * const best = await rerankRetrieved('igneous rocks', retrieved, { model, numberOfRerankedResults: 3 });
 */
export async function rerankRetrieved(query: string, chunks: readonly RetrievedChunk[], reranking: RetrievalReranking, abortSignal?: AbortSignal): Promise<RetrievedChunk[]> {
  if (chunks.length === 0) return [];
  const topN = Math.min(reranking.numberOfRerankedResults ?? chunks.length, chunks.length);
  const documents = chunks.map((chunk) => rerankingText(chunk, reranking.metadata));
  const { results } = await reranking.model.rerank({ query, documents, topN, ...(abortSignal ? { abortSignal } : {}) });
  const out: RetrievedChunk[] = [];
  for (const result of [...results].sort((left, right) => right.relevanceScore - left.relevanceScore)) {
    const chunk = chunks[result.index];
    if (chunk && out.length < topN && !out.some((kept) => kept.id === chunk.id)) out.push({ ...chunk, score: result.relevanceScore });
  }
  return out;
}

/** The chunk's text, followed by the selected metadata attributes as `key: value` lines. */
export function rerankingText(chunk: RetrievedChunk, selection: RerankingMetadataSelection | undefined): string {
  if (!selection) return chunk.text;
  const entries = Object.entries(chunk.metadata).filter(([key]) => {
    if (selection.mode === 'ALL') return true;
    if (selection.include) return selection.include.includes(key);
    if (selection.exclude) return !selection.exclude.includes(key);
    return true;
  });
  if (entries.length === 0) return chunk.text;
  const lines = entries.map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return `${chunk.text}\n\n${lines.join('\n')}`;
}
