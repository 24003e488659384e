import type { FinishReason } from '../../core/inference/language-model.js';

/**
 * A Responses API outcome to a neutral finish reason: the response `status`, the reason of an
 * `incomplete` one, and whether the output called tools (the API has no `tool_calls` reason).
 */
export function mapOpenAIFinishReason(outcome: { status: string | null | undefined; incompleteReason: string | null | undefined; hasToolCalls: boolean }): FinishReason {
  if (outcome.status === 'incomplete') {
    if (outcome.incompleteReason === 'max_output_tokens') return 'length';
    if (outcome.incompleteReason === 'content_filter') return 'content-filter';
    return 'other';
  }
  if (outcome.status === 'failed') return 'error';
  return outcome.hasToolCalls ? 'tool-calls' : 'stop';
}
