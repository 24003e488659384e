import type { EmbeddingModel, EmbeddingModelSettings } from '../inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../inference/language-model.js';
import type { RerankingModel } from '../inference/reranking-model.js';

/**
 * A configured backend instance that hands out models. Each provider folder exports a factory of
 * these. A provider offers text models, embedding models, reranking models, or several.
 */
export interface Provider {
  readonly name: string;
  readonly type: string;
  languageModel?(modelId: string, capabilities: ModelCapabilities): LanguageModel;
  embeddingModel?(modelId: string, settings?: EmbeddingModelSettings): EmbeddingModel;
  rerankingModel?(modelId: string): RerankingModel;
  /**
   * A cheap call that tells whether the backend is up (active health checks of routed models);
   * rejects when it is unreachable, times out or fails with a server error.
   */
  healthCheck?(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
