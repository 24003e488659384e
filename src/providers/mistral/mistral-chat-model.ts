import type { Warning } from '../../core/inference/language-model.js';
import type { OpenAICompatibleDialect } from '../openai-compatible/openai-compatible-dialect.js';
import { convertToMistralMessages, prepareMistralTools } from './convert-to-mistral-messages.js';
import { mapMistralError } from './mistral-error.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';

/**
 * Mistral's chat completions as a configuration of the openai-compatible base. What differs from
 * OpenAI: its messages and tool call IDs, `tool_choice: any`, no `top_k` (a warning), no
 * `stream_options` (usage comes with the last chunk anyway), `reasoning_effort` up to `xhigh` (`max`
 * is sent as `xhigh`, with a warning), and its finish reasons and errors.
 * `random_seed`, `safe_prompt` and other Mistral settings pass through `extraBody`.
 *
 * @example
 * createOpenAICompatibleProvider({ name: 'mistral', baseUrl: 'https://api.mistral.ai/v1', type: 'mistral', dialect: mistralDialect });
 */
export const mistralDialect: OpenAICompatibleDialect = {
  convertMessages: convertToMistralMessages,
  prepareTools: prepareMistralTools,
  reasoningEfforts: ['low', 'medium', 'high', 'xhigh'],
  prepareBody(body) {
    const warnings: Warning[] = [];
    delete body.stream_options;
    if (body.top_k !== undefined) {
      delete body.top_k;
      warnings.push({ setting: 'topK', details: 'Mistral has no top-k sampling; topK was ignored.' });
    }
    return warnings;
  },
  mapFinishReason: mapMistralFinishReason,
  mapError: mapMistralError,
};
