import type { FinishReason } from '../../core/inference/language-model.js';

/**
 * Ollama's `done_reason` to a neutral reason. Ollama says `stop` for a stop sequence too, and for a
 * turn that ends in tool calls; the latter is told apart by `hasToolCalls`.
 */
export function mapOllamaFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'stop':
    case undefined:
    case null:
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}
