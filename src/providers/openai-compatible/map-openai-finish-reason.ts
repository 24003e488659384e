import type { FinishReason } from '../../core/inference/language-model.js';

/** OpenAI's `finish_reason` (plus vLLM's `stop_reason`, the matched stop string) to a neutral reason. */
export function mapOpenAIFinishReason(reason: string | null | undefined, stopReason: string | number | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return typeof stopReason === 'string' ? 'stop-sequence' : 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return reason ? 'other' : 'stop';
  }
}
