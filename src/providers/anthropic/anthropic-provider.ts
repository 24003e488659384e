import { Agent } from 'undici';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { AnthropicChatModel } from './anthropic-chat-model.js';

export interface AnthropicProviderOptions {
  name: string;
  /** default `https://api.anthropic.com` */
  baseUrl?: string;
  /** sent as `x-api-key`; default `$ANTHROPIC_API_KEY` */
  apiKey?: string;
  headers?: Record<string, string>;
  /** `max_tokens` when a request sets none (default 4096) */
  defaultMaxTokens?: number;
  /** time allowed until the response headers arrive (default 60 s) */
  timeoutMs?: number;
  /** time allowed between two streamed chunks (default 60 s) */
  idleTimeoutMs?: number;
  /** concurrent connections kept to the API (default 64) */
  connections?: number;
  /** where `ANTHROPIC_API_KEY` is read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
}

/**
 * Creates a provider for Anthropic's Messages API.
 *
 * @example
 * const anthropic = createAnthropicProvider({ name: 'anthropic', apiKey: process.env.ANTHROPIC_API_KEY });
 * const model = anthropic.languageModel!('claude-sonnet-4-20250514', capabilities);
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  const dispatcher = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  const baseUrl = (options.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '').replace(/\/v1$/, '');
  const apiKey = options.apiKey || (options.env ?? process.env).ANTHROPIC_API_KEY;
  return {
    name: options.name,
    type: 'anthropic',
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      return new AnthropicChatModel(modelId, {
        name: options.name,
        baseUrl,
        ...(apiKey ? { apiKey } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        defaultMaxTokens: options.defaultMaxTokens ?? 4096,
        timeoutMs: options.timeoutMs ?? 60_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        capabilities,
        dispatcher,
      });
    },
    close: () => dispatcher.close(),
  };
}
