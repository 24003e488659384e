import { OutcropError } from '../../core/errors.js';
import type { RerankOptions, RerankResult, RerankingModel } from '../../core/inference/reranking-model.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { cohereRerankResponseSchema } from './cohere-api.js';
import { type CohereSettings, postToCohere } from './post-to-cohere.js';

/**
 * A Rerank model behind Cohere's `POST /v2/rerank`.
 *
 * @example
 * const model = cohere.rerankingModel!('rerank-v3.5');
 * const { results } = await model.rerank({ query: 'igneous rocks', documents: ['granite', 'shale'], topN: 1 });
 */
export class CohereRerankingModel implements RerankingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;

  constructor(
    readonly modelId: string,
    private readonly settings: CohereSettings,
  ) {
    this.provider = settings.name;
  }

  async rerank(options: RerankOptions): Promise<RerankResult> {
    if (options.documents.length === 0) return { results: [] };
    const body = { model: this.modelId, query: options.query, documents: options.documents, ...(options.topN === undefined ? {} : { top_n: options.topN }) };
    const response = await postToCohere(this.settings, '/rerank', body, options.abortSignal);
    const { value } = await readUpstreamJson(response, cohereRerankResponseSchema(), 'Cohere');
    if (value.results.some((result) => result.index >= options.documents.length)) {
      throw new OutcropError('ModelErrorException', 'Cohere ranked a document that was not sent.');
    }
    const results = value.results.map((result) => ({ index: result.index, relevanceScore: result.relevance_score }));
    return { results: results.sort((a, b) => b.relevanceScore - a.relevanceScore) };
  }
}
