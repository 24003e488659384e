import { Agent } from 'undici';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { generateToolCallId } from '../shared/tool-call-id.js';
import { OllamaChatModel } from './ollama-chat-model.js';
import { OllamaEmbeddingModel } from './ollama-embedding-model.js';

export interface OllamaProviderOptions {
  name: string;
  /** default `http://127.0.0.1:11434` */
  baseUrl?: string;
  /** sent as `Authorization: Bearer` (ollama.com, or Ollama behind an authenticating proxy); default `$OLLAMA_API_KEY` */
  apiKey?: string;
  headers?: Record<string, string>;
  /** time allowed until the response headers arrive, model loading included (default 300 s) */
  timeoutMs?: number;
  /** time allowed between two streamed chunks (default 60 s) */
  idleTimeoutMs?: number;
  /** concurrent connections kept to Ollama (default 64) */
  connections?: number;
  /** where `OLLAMA_API_KEY` is read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
  /** IDs for tool calls (default: Bedrock-style `tooluse_...`) */
  generateId?: () => string;
}

/**
 * Creates a provider for Ollama's native API: chat models and embedding models.
 *
 * @example
 * const ollama = createOllamaProvider({ name: 'ollama' });
 * const model = ollama.languageModel!('llama3.2', capabilities);
 */
export function createOllamaProvider(options: OllamaProviderOptions): Provider {
  const dispatcher = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  const baseUrl = (options.baseUrl ?? 'http://127.0.0.1:11434').replace(/\/+$/, '').replace(/\/api$/, '');
  const apiKey = options.apiKey || (options.env ?? process.env).OLLAMA_API_KEY;
  const common = {
    name: options.name,
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    timeoutMs: options.timeoutMs ?? 300_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    dispatcher,
  };
  return {
    name: options.name,
    type: 'ollama',
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      return new OllamaChatModel(modelId, { ...common, capabilities, generateId: options.generateId ?? generateToolCallId });
    },
    embeddingModel(modelId: string, settings: EmbeddingModelSettings = {}): EmbeddingModel {
      return new OllamaEmbeddingModel(modelId, { ...common, ...(settings.dimensions === undefined ? {} : { dimensions: settings.dimensions }) });
    },
    close: () => dispatcher.close(),
  };
}
