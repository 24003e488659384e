import { reasoningEfforts, type Warning } from '../../core/inference/language-model.js';
import type { OpenAICompatibleDialect } from '../openai-compatible/openai-compatible-dialect.js';
import { mapOpenAIError } from './openai-error.js';

/** o-series and GPT-5 reasoning models (not `gpt-5-chat`), which take no sampling settings. */
export function isOpenAIReasoningModel(modelId: string): boolean {
  return /^(o\d|gpt-5)/.test(modelId) && !modelId.startsWith('gpt-5-chat');
}

/**
 * OpenAI's Chat Completions as a configuration of the openai-compatible base: `max_completion_tokens`
 * (the only limit reasoning models take), no `top_k`, every reasoning effort as `reasoning_effort`,
 * and for reasoning models a `developer` message in place of `system` and no `temperature` / `top_p`.
 * Dropped settings become warnings.
 *
 * @example
 * createOpenAICompatibleProvider({ name: 'openai', baseUrl: 'https://api.openai.com/v1', type: 'openai', dialect: openAIChatDialect });
 */
export const openAIChatDialect: OpenAICompatibleDialect = {
  // OpenAI's `reasoning_effort` takes every Bedrock level, low to max (which ones a model has varies)
  reasoningEfforts,
  prepareBody(body, { modelId }) {
    const warnings: Warning[] = [];
    if (body.max_tokens !== undefined) {
      body.max_completion_tokens = body.max_tokens;
      delete body.max_tokens;
    }
    dropSetting(body, 'top_k', 'topK', 'OpenAI has no top-k sampling', warnings);
    if (isOpenAIReasoningModel(modelId)) {
      dropSetting(body, 'temperature', 'temperature', `${modelId} is a reasoning model and takes no temperature`, warnings);
      dropSetting(body, 'top_p', 'topP', `${modelId} is a reasoning model and takes no top_p`, warnings);
      body.messages = (body.messages as { role: string }[]).map((message) => (message.role === 'system' ? { ...message, role: 'developer' } : message));
    }
    return warnings;
  },
  mapError: mapOpenAIError,
};

/** Removes a setting the backend lacks, with a warning (Bedrock accepts it, so it is not an error). */
export function dropSetting(body: Record<string, unknown>, field: string, setting: string, reason: string, warnings: Warning[]): void {
  if (body[field] === undefined) return;
  delete body[field];
  warnings.push({ setting, details: `${reason}; ${setting} was ignored.` });
}
