import type { FinishReason } from '../../core/inference/language-model.js';

/** Mistral's `finish_reason` (`stop`, `length`, `model_length`, `tool_calls`, `error`) to a neutral reason. */
export function mapMistralFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case null:
    case undefined:
      return 'stop';
    case 'length':
    case 'model_length':
      return 'length';
    case 'tool_calls':
      return 'tool-calls';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}
