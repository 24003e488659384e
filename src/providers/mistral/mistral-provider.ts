import type { Provider } from '../../core/models/provider.js';
import { createOpenAICompatibleProvider } from '../openai-compatible/openai-compatible-provider.js';
import { mistralDialect } from './mistral-chat-model.js';

export interface MistralProviderOptions {
  name: string;
  /** default `https://api.mistral.ai/v1` */
  baseUrl?: string;
  /** default: the MISTRAL_API_KEY environment variable */
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  connections?: number;
  /** where `MISTRAL_API_KEY` is read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
}

/**
 * Mistral La Plateforme: chat (`/v1/chat/completions`, Mistral's dialect) and embeddings
 * (`/v1/embeddings`, e.g. `mistral-embed`) on the openai-compatible base.
 *
 * @example
 * const mistral = createMistralProvider({ name: 'mistral' });   // key from MISTRAL_API_KEY
 * const model = mistral.languageModel!('mistral-large-latest', capabilities);
 */
export function createMistralProvider(options: MistralProviderOptions): Provider {
  const apiKey = options.apiKey || (options.env ?? process.env).MISTRAL_API_KEY;
  return createOpenAICompatibleProvider({
    name: options.name,
    baseUrl: options.baseUrl ?? 'https://api.mistral.ai/v1',
    ...(apiKey ? { apiKey } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    type: 'mistral',
    dialect: mistralDialect,
  });
}
