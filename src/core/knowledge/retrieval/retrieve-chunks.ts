import { OutcropError } from '../../errors.js';
import type { StoredChunk } from '../index/chunk-index.js';
import type { RetrievalFilter } from '../index/retrieval-filter.js';
import { validateRetrievalFilter } from '../index/validate-retrieval-filter.js';
import type { KnowledgeBaseLookup } from '../registry/knowledge-base-lookup.js';
import { type RetrievedChunk, collapseToParents } from './collapse-to-parents.js';
import { fuseByReciprocalRank } from './reciprocal-rank-fusion.js';
import { type RetrievalReranking, rerankRetrieved } from './rerank-retrieved.js';

export type SearchType = 'HYBRID' | 'SEMANTIC';

/** Bedrock's default `numberOfResults`. */
export const defaultNumberOfResults = 5;
/** Bedrock's largest `numberOfResults`. */
export const maxNumberOfResults = 100;
/** The search type when the request names none (Bedrock picks one per vector store; ours support both). */
export const defaultSearchType: SearchType = 'HYBRID';

export interface RetrieveChunksOptions {
  knowledgeBaseId: string;
  query: string;
  /** 1 to 100, default 5 */
  numberOfResults?: number;
  searchType?: SearchType;
  /** Bedrock's metadata filter (checked here: a malformed one is a ValidationException) */
  filter?: RetrievalFilter;
  reranking?: RetrievalReranking;
  abortSignal?: AbortSignal;
}

/** How many candidates each search fetches per wanted result: room for fusion and for children sharing a parent. */
const oversampling = 3;
const minimumCandidates = 20;

/**
 * Retrieves the chunks of a knowledge base that best answer a query.
 *
 * - `SEMANTIC`: nearest chunks by cosine similarity of the query's embedding (purpose `query`);
 *   score `(1 + cosine) / 2`, in [0, 1].
 * - `HYBRID`: the same vector search and a BM25 keyword search, each fetching 3× the wanted results
 *   (at least 20), fused by reciprocal rank fusion (k = 60); score is the RRF sum over its largest
 *   possible value (first in both lists), in (0, 1].
 * - Hierarchical children are replaced by their parent; results naming the same span are merged,
 *   keeping the best. The filter is applied inside the store, before results are counted.
 * - With `reranking`, the `numberOfResults` retrieved are reordered by the reranking model, the best
 *   `numberOfRerankedResults` kept, and the score is the model's relevance score.
 *
 * @example
 * const chunks = await retrieveChunks(knowledgeBases, { knowledgeBaseId: 'KB12345678', query: 'What is basalt?', searchType: 'HYBRID' });
 */
export async function retrieveChunks(lookup: KnowledgeBaseLookup, options: RetrieveChunksOptions): Promise<RetrievedChunk[]> {
  const wanted = options.numberOfResults ?? defaultNumberOfResults;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > maxNumberOfResults) {
    throw new OutcropError('ValidationException', `numberOfResults must be between 1 and ${maxNumberOfResults}; got ${wanted}.`);
  }
  if (options.filter !== undefined) validateRetrievalFilter(options.filter, 'retrievalConfiguration.vectorSearchConfiguration.filter');
  const query = options.query.trim();
  if (!query) throw new OutcropError('ValidationException', 'The retrieval query text must not be empty.');
  const record = await lookup.get(options.knowledgeBaseId);
  const embeddingModel = lookup.embeddingModel(record);
  const { embeddings } = await embeddingModel.embed({ values: [query], purpose: 'query', ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
  const vector = embeddings[0];
  if (!vector) throw new OutcropError('InternalServerException', 'The embedding model returned no vector for the query.');
  const search = { k: Math.max(wanted * oversampling, minimumCandidates), ...(options.filter ? { filter: options.filter } : {}) };
  const knowledgeBaseId = record.knowledgeBaseId;
  let ranked: { chunk: StoredChunk; score: number }[];
  if ((options.searchType ?? defaultSearchType) === 'SEMANTIC') {
    const hits = await lookup.index.searchVector(knowledgeBaseId, Float32Array.from(vector), search);
    ranked = hits.map((hit) => ({ chunk: hit.chunk, score: clamp01((1 + hit.score) / 2) }));
  } else {
    const [semantic, keyword] = await Promise.all([
      lookup.index.searchVector(knowledgeBaseId, Float32Array.from(vector), search),
      lookup.index.searchKeyword(knowledgeBaseId, query, search),
    ]);
    ranked = fuseByReciprocalRank([semantic, keyword], (hit) => hit.chunk.id).map((fused) => ({ chunk: fused.item.chunk, score: fused.score }));
  }
  const results = collapseToParents(ranked).slice(0, wanted);
  if (!options.reranking) return results;
  return rerankRetrieved(query, results, options.reranking, options.abortSignal);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
