import { Agent } from 'undici';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { createOpenAICompatibleProvider } from '../openai-compatible/openai-compatible-provider.js';
import { openAIChatDialect } from './openai-chat-model.js';
import { OpenAIResponsesModel } from './openai-responses-model.js';

export interface OpenAIProviderOptions {
  name: string;
  /** `chat` (Chat Completions, default) or `responses` (the Responses API) for text models */
  api?: 'chat' | 'responses';
  /** default `https://api.openai.com/v1` */
  baseUrl?: string;
  /** default: the OPENAI_API_KEY environment variable */
  apiKey?: string;
  /** sent as `OpenAI-Organization` */
  organization?: string;
  /** sent as `OpenAI-Project` */
  project?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  connections?: number;
  /** where `OPENAI_API_KEY` is read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
}

/**
 * OpenAI: Chat Completions is the openai-compatible base with OpenAI's dialect; `api: responses`
 * serves text models through the Responses API instead. Embeddings use `/v1/embeddings` either way.
 *
 * @example
 * const openai = createOpenAIProvider({ name: 'openai', api: 'responses', apiKey: process.env.OPENAI_API_KEY });
 * const model = openai.languageModel!('gpt-4.1', capabilities);
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): Provider {
  const baseUrl = (options.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const apiKey = options.apiKey || (options.env ?? process.env).OPENAI_API_KEY;
  const headers: Record<string, string> = {
    ...(options.organization ? { 'openai-organization': options.organization } : {}),
    ...(options.project ? { 'openai-project': options.project } : {}),
    ...options.headers,
  };
  const base = createOpenAICompatibleProvider({
    name: options.name,
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    headers,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    type: 'openai',
    dialect: openAIChatDialect,
  });
  if (options.api !== 'responses') return base;

  const dispatcher = new Agent({ connections: options.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  return {
    ...base,
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      return new OpenAIResponsesModel(modelId, {
        name: options.name,
        baseUrl,
        headers: { ...headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        timeoutMs: options.timeoutMs ?? 60_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        capabilities,
        dispatcher,
      });
    },
    close: async () => {
      await Promise.all([base.close(), dispatcher.close()]);
    },
  };
}
