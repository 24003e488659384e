import { Agent } from 'undici';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { OpenAICompatibleChatModel } from './openai-compatible-chat-model.js';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.js';
import { OpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.js';
import { checkOpenAICompatibleHealth } from './openai-compatible-health-check.js';

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
  /** the provider type reported to the catalog (default `openai-compatible`); set by backends built on this base */
  type?: string;
  /** what the backend changes about the protocol; none for plain OpenAI-compatible servers */
  dialect?: OpenAICompatibleDialect;
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
    type: options.type ?? 'openai-compatible',
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
        ...(options.dialect ? { dialect: options.dialect } : {}),
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
        ...(options.dialect?.mapError ? { mapError: options.dialect.mapError } : {}),
      });
    },
    healthCheck: (signal?: AbortSignal) =>
      checkOpenAICompatibleHealth({
        baseUrl,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        timeoutMs: options.timeoutMs ?? 60_000,
        dispatcher,
        ...(signal ? { signal } : {}),
      }),
    close: () => dispatcher.close(),
  };
}
