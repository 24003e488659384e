import { OutcropError } from '../../core/errors.js';
import type { RerankOptions, RerankResult, RerankingModel } from '../../core/inference/reranking-model.js';
import { mapLlamaCppGenerationError } from './llama-cpp-error.js';
import type { LlamaModelPool } from './llama-cpp-model-pool.js';

export interface LlamaCppRerankingSettings {
  /** provider instance name */
  name: string;
  pool: LlamaModelPool;
}

/**
 * A reranker running in-process on llama.cpp from a GGUF file with a classification head (BERT or
 * XLM-RoBERTa rerankers such as bge-reranker, pooled with `rank`): each document is scored against
 * the query with node-llama-cpp's ranking context, as a probability from 0 to 1.
 *
 * @example
 * const model = provider.rerankingModel!('/models/bge-reranker-v2-m3-Q8_0.gguf');
 * const { results } = await model.rerank({ query: 'igneous rocks', documents: ['granite', 'shale'] });
 */
export class LlamaCppRerankingModel implements RerankingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;

  constructor(
    /** the GGUF file's path */
    readonly modelId: string,
    private readonly settings: LlamaCppRerankingSettings,
  ) {
    this.provider = settings.name;
  }

  async rerank(options: RerankOptions): Promise<RerankResult> {
    if (options.documents.length === 0) return { results: [] };
    if (!options.query) throw new OutcropError('ValidationException', 'The query to rerank against must not be empty.');
    const handle = await this.settings.pool.acquire(this.modelId);
    try {
      const { queue } = await handle.resident.ranking();
      const lease = await queue.acquire(options.abortSignal);
      try {
        const scores = await lease.slot.rankAll(options.query, options.documents);
        options.abortSignal?.throwIfAborted();
        const results = scores.map((relevanceScore, index) => ({ index, relevanceScore })).sort((a, b) => b.relevanceScore - a.relevanceScore);
        return { results: options.topN === undefined ? results : results.slice(0, options.topN) };
      } catch (error) {
        throw mapLlamaCppGenerationError(error, options.abortSignal);
      } finally {
        lease.release();
      }
    } finally {
      handle.release();
    }
  }
}
