import { Agent } from 'undici';
import type { EmbeddingModel, EmbeddingModelSettings } from '../../core/inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { generateToolCallId } from '../shared/tool-call-id.js';
import { GeminiChatModel } from './gemini-chat-model.js';
import { GeminiEmbeddingModel } from './gemini-embedding-model.js';

export interface GeminiProviderOptions {
  name: string;
  /** default `https://generativelanguage.googleapis.com` */
  baseUrl?: string;
  /** sent as `x-goog-api-key`; default `$GEMINI_API_KEY`, then `$GOOGLE_API_KEY` */
  apiKey?: string;
  headers?: Record<string, string>;
  /** time allowed until the response headers arrive (default 60 s) */
  timeoutMs?: number;
  /** time allowed between two streamed chunks (default 60 s) */
  idleTimeoutMs?: number;
  /** concurrent connections kept to the API (default 64) */
  connections?: number;
  /** where the API key variables are read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
  /** IDs for function calls (default: Bedrock-style `tooluse_...`) */
  generateId?: () => string;
}

/**
 * Creates a provider for Google's Gemini API: chat models and embedding models.
 *
 * @example
 * const gemini = createGeminiProvider({ name: 'gemini', apiKey: process.env.GEMINI_API_KEY });
 * const model = gemini.languageModel!('gemini-2.5-flash', capabilities);
 */
export function createGeminiProvider(options: GeminiProviderOptions): Provider {
  const dispatcher = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  const baseUrl = (options.baseUrl ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '').replace(/\/v1beta$/, '');
  const env = options.env ?? process.env;
  const apiKey = options.apiKey || env.GEMINI_API_KEY || env.GOOGLE_API_KEY;
  const common = {
    name: options.name,
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    timeoutMs: options.timeoutMs ?? 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    dispatcher,
  };
  return {
    name: options.name,
    type: 'gemini',
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      return new GeminiChatModel(modelId, { ...common, capabilities, generateId: options.generateId ?? generateToolCallId });
    },
    embeddingModel(modelId: string, settings: EmbeddingModelSettings = {}): EmbeddingModel {
      return new GeminiEmbeddingModel(modelId, { ...common, ...(settings.dimensions === undefined ? {} : { dimensions: settings.dimensions }) });
    },
    close: () => dispatcher.close(),
  };
}
