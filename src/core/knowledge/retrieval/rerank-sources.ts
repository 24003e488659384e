import { OutcropError } from '../../errors.js';
import type { RerankingModel } from '../../inference/reranking-model.js';

/** A document to rerank: text, or a JSON value scored by its serialized form. */
export type RerankSourceDocument = { type: 'TEXT'; text: string } | { type: 'JSON'; json: unknown };

/**
 * Bedrock's Rerank: scores every source against the query with a reranking model and returns the
 * best `numberOfResults` (default: all), best first, each with its index in `sources`.
 *
 * @example
 * const results = await rerankSources(model, 'igneous rocks', [{ type: 'TEXT', text: 'granite' }, { type: 'TEXT', text: 'shale' }], { numberOfResults: 1 });
 * // [{ index: 0, relevanceScore: 0.93 }]
 */
export async function rerankSources(
  model: RerankingModel,
  query: string,
  sources: readonly RerankSourceDocument[],
  options: { numberOfResults?: number; abortSignal?: AbortSignal } = {},
): Promise<{ index: number; relevanceScore: number }[]> {
  if (!query.trim()) throw new OutcropError('ValidationException', 'The query text must not be empty.');
  const numberOfResults = options.numberOfResults ?? sources.length;
  if (numberOfResults > sources.length) {
    throw new OutcropError('ValidationException', `numberOfResults (${numberOfResults}) must not exceed the number of sources (${sources.length}).`);
  }
  const documents = sources.map((source) => (source.type === 'TEXT' ? source.text : JSON.stringify(source.json)));
  const { results } = await model.rerank({ query, documents, topN: numberOfResults, ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
  const seen = new Set<number>();
  return results
    .filter((result) => result.index >= 0 && result.index < sources.length && !seen.has(result.index) && seen.add(result.index))
    .sort((left, right) => right.relevanceScore - left.relevanceScore)
    .slice(0, numberOfResults);
}
