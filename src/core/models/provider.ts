import type { EmbeddingModel, EmbeddingModelSettings } from '../inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../inference/language-model.js';

/**
 * A configured backend instance that hands out models. Each provider folder exports a factory of
 * these. A provider offers text models, embedding models, or both.
 */
export interface Provider {
  readonly name: string;
  readonly type: string;
  languageModel?(modelId: string, capabilities: ModelCapabilities): LanguageModel;
  embeddingModel?(modelId: string, settings?: EmbeddingModelSettings): EmbeddingModel;
  close(): Promise<void>;
}
