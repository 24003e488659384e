import { Agent } from 'undici';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { OpenAICompatibleChatModel } from './openai-compatible-chat-model.js';
import { OpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.js';

export interface OpenAICompatibleProviderOptions {
  name: string;
  /** e.g. `http://127.0.0.1:8000/v1` */
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** time allowed until the backend's response headers arrive (default 60 s) */
  timeoutMs?: number;
  /** time allowed between two streamed chunks (default 60 s) */
  idleTimeoutMs?: number;
  /** concurrent connections kept to the backend (default 256) */
  connections?: number;
}

/**
 * Creates a provider for any OpenAI-compatible server.
 *
 * @example
 * const vllm = createOpenAICompatibleProvider({ name: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' });
 * const model = vllm.languageModel('meta-llama/Llama-3.1-8B-Instruct', capabilities);
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleProviderOptions): Provider {
  const dispatcher = new Agent({ connections: options.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  return {
    name: options.name,
    type: 'openai-compatible',
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      return new OpenAICompatibleChatModel(modelId, {
        name: options.name,
        baseUrl,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        timeoutMs: options.timeoutMs ?? 60_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        capabilities,
        dispatcher,
      });
    },
    embeddingModel(modelId: string, settings: EmbeddingModelSettings = {}): EmbeddingModel {
      return new OpenAICompatibleEmbeddingModel(modelId, {
        name: options.name,
        baseUrl,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        timeoutMs: options.timeoutMs ?? 60_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        ...(settings.dimensions === undefined ? {} : { dimensions: settings.dimensions }),
        maxBatchSize: 128,
        dispatcher,
      });
    },
    close: () => dispatcher.close(),
  };
}
