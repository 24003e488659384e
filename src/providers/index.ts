import type { ProviderConfig } from '../config/config.js';
import type { Provider } from '../core/models/provider.js';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible-provider.js';

/** Builds a provider instance from its configuration. */
export function createProvider(name: string, config: ProviderConfig): Provider {
  switch (config.type) {
    case 'openai-compatible':
      return createOpenAICompatibleProvider({ name, ...config });
  }
}
