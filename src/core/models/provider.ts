import type { LanguageModel, ModelCapabilities } from '../inference/language-model.js';

/** A configured backend instance that hands out models. Each provider folder exports a factory of these. */
export interface Provider {
  readonly name: string;
  readonly type: string;
  languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel;
  close(): Promise<void>;
}
