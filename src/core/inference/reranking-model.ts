/**
 * The neutral reranking interface (`outcrop.v1`): scores documents by relevance to a query.
 * Knowledge-base retrieval and Bedrock's Rerank operation convert to and from it; providers
 * (Cohere's `/v2/rerank`, ...) implement it.
 *
 * @example
 * const { results } = await model.rerank({ query: 'igneous rocks', documents: ['granite', 'shale'], topN: 1 });
 * // [{ index: 0, relevanceScore: 0.93 }]
 */
export interface RerankingModel {
  readonly specificationVersion: 'outcrop.v1';
  readonly provider: string;
  readonly modelId: string;
  rerank(options: RerankOptions): Promise<RerankResult>;
}

export interface RerankOptions {
  query: string;
  documents: string[];
  /** how many of the best results to return (default: all) */
  topN?: number;
  abortSignal?: AbortSignal;
}

export interface RerankResult {
  /** the best first; `index` points into `documents` */
  results: { index: number; relevanceScore: number }[];
}
