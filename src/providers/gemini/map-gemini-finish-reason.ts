import type { FinishReason } from '../../core/inference/language-model.js';

/**
 * Gemini's `finishReason` to a neutral reason. Gemini reports `STOP` for a stop sequence too, and
 * for a turn that ends in function calls; the latter is told apart by `hasToolCalls`.
 */
export function mapGeminiFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'STOP':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content-filter';
    case 'MALFORMED_FUNCTION_CALL':
      return 'error';
    case undefined:
    case null:
      return hasToolCalls ? 'tool-calls' : 'stop';
    default:
      return 'other';
  }
}
