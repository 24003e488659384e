import type { ProviderConfig } from '../config/config.js';
import type { Provider } from '../core/models/provider.js';
import { createLlamaCppProvider } from './llama-cpp/llama-cpp-provider.js';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible-provider.js';
import { createUniversalSentenceEncoderProvider } from './universal-sentence-encoder/universal-sentence-encoder-provider.js';

/** Builds a provider instance from its configuration. */
export function createProvider(name: string, config: ProviderConfig): Provider {
  switch (config.type) {
    case 'openai-compatible':
      return createOpenAICompatibleProvider({ name, ...config });
    case 'llama-cpp':
      return createLlamaCppProvider({ name, ...config });
    case 'universal-sentence-encoder':
      return createUniversalSentenceEncoderProvider({ name, ...config });
  }
}
