import { Agent } from 'undici';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { RerankingModel } from '../../core/inference/reranking-model.js';
import type { Provider } from '../../core/models/provider.js';
import { CohereChatModel } from './cohere-chat-model.js';
import { CohereEmbeddingModel } from './cohere-embedding-model.js';
import { CohereRerankingModel } from './cohere-reranking-model.js';
import type { CohereSettings } from './post-to-cohere.js';

export interface CohereProviderOptions {
  name: string;
  /** default `https://api.cohere.com/v2` */
  baseUrl?: string;
  /** default: the CO_API_KEY environment variable */
  apiKey?: string;
  headers?: Record<string, string>;
  /** time allowed until Cohere's response headers arrive (default 60 s) */
  timeoutMs?: number;
  /** time allowed between two streamed chunks (default 60 s) */
  idleTimeoutMs?: number;
  connections?: number;
  /** where `CO_API_KEY` is read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
}

/**
 * Cohere's API v2: Command chat models (`/v2/chat`), Embed models (`/v2/embed`) and Rerank models
 * (`/v2/rerank`).
 *
 * @example
 * const cohere = createCohereProvider({ name: 'cohere' });   // key from CO_API_KEY
 * const reranker = cohere.rerankingModel!('rerank-v3.5');
 */
export function createCohereProvider(options: CohereProviderOptions): Provider {
  const apiKey = options.apiKey || (options.env ?? process.env).CO_API_KEY;
  const dispatcher = new Agent({ connections: options.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  const settings: CohereSettings = {
    name: options.name,
    baseUrl: (options.baseUrl ?? 'https://api.cohere.com/v2').replace(/\/+$/, ''),
    headers: { ...options.headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    timeoutMs: options.timeoutMs ?? 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    dispatcher,
  };
  return {
    name: options.name,
    type: 'cohere',
    languageModel: (modelId: string, capabilities: ModelCapabilities): LanguageModel => new CohereChatModel(modelId, capabilities, settings),
    embeddingModel: (modelId: string, embedding: EmbeddingModelSettings = {}): EmbeddingModel => new CohereEmbeddingModel(modelId, settings, embedding.dimensions),
    rerankingModel: (modelId: string): RerankingModel => new CohereRerankingModel(modelId, settings),
    close: () => dispatcher.close(),
  };
}
