import type { FinishReason } from '../../core/inference/language-model.js';

/** node-llama-cpp's stop reason to a neutral finish reason. */
export function mapLlamaStopReason(reason: string): FinishReason {
  switch (reason) {
    case 'eogToken':
    case 'stopGenerationTrigger':
    case 'abort':
      return 'stop';
    case 'customStopTrigger':
      return 'stop-sequence';
    case 'maxTokens':
      return 'length';
    case 'functionCalls':
      return 'tool-calls';
    default:
      return 'other';
  }
}
