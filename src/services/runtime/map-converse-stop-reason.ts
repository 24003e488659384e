import type { FinishReason } from '../../core/inference/language-model.js';

/** Neutral finish reason to Bedrock's `stopReason`. */
export function mapConverseStopReason(reason: FinishReason, hasToolCalls: boolean): string {
  if (hasToolCalls && (reason === 'stop' || reason === 'tool-calls' || reason === 'other')) return 'tool_use';
  switch (reason) {
    case 'stop-sequence':
      return 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'content_filtered';
    default:
      return 'end_turn';
  }
}
