import type { ProviderConfig } from '../config/config.js';
import type { Provider } from '../core/models/provider.js';
import { createAnthropicProvider } from './anthropic/anthropic-provider.js';
import { createBedrockProvider } from './bedrock/bedrock-provider.js';
import { createCohereProvider } from './cohere/cohere-provider.js';
import { createGeminiProvider } from './gemini/gemini-provider.js';
import { createLlamaCppProvider } from './llama-cpp/llama-cpp-provider.js';
import { createMistralProvider } from './mistral/mistral-provider.js';
import { createOllamaProvider } from './ollama/ollama-provider.js';
import { createOpenAIProvider } from './openai/openai-provider.js';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible-provider.js';
import { createUniversalSentenceEncoderProvider } from './universal-sentence-encoder/universal-sentence-encoder-provider.js';

/** What the server tells providers about its own state. */
export interface ProviderHints {
  /** requests the server is still receiving (read by the llama-cpp provider before it starts a decode) */
  pendingRequests?: () => number;
}

/** Builds a provider instance from its configuration. */
export function createProvider(name: string, config: ProviderConfig, hints: ProviderHints = {}): Provider {
  switch (config.type) {
    case 'openai-compatible':
      return createOpenAICompatibleProvider({ name, ...config });
    case 'openai':
      return createOpenAIProvider({ name, ...config });
    case 'mistral':
      return createMistralProvider({ name, ...config });
    case 'cohere':
      return createCohereProvider({ name, ...config });
    case 'anthropic':
      return createAnthropicProvider({ name, ...config });
    case 'gemini':
      return createGeminiProvider({ name, ...config });
    case 'ollama':
      return createOllamaProvider({ name, ...config });
    case 'bedrock':
      return createBedrockProvider({ name, ...config });
    case 'llama-cpp':
      return createLlamaCppProvider({ name, ...config, ...(hints.pendingRequests ? { pendingRequests: hints.pendingRequests } : {}) });
    case 'universal-sentence-encoder':
      return createUniversalSentenceEncoderProvider({ name, ...config });
  }
}
