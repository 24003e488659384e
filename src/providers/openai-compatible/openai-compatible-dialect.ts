import type { OutcropError } from '../../core/errors.js';
import type { CallOptions, FinishReason, Message, ModelCapabilities, ReasoningEffort, Warning } from '../../core/inference/language-model.js';

/**
 * What one backend changes about OpenAI's Chat Completions protocol. Backends that speak it (OpenAI
 * itself, Mistral, ...) are configurations of the openai-compatible base: each hook replaces one
 * step, and a dialect with no hooks is plain OpenAI-compatible.
 *
 * @example
 * const dialect: OpenAICompatibleDialect = {
 *   prepareBody(body) {
 *     if (body.top_k === undefined) return [];
 *     delete body.top_k;
 *     return [{ setting: 'topK', details: 'This backend has no top-k sampling; topK was ignored.' }];
 *   },
 * };
 */
export interface OpenAICompatibleDialect {
  /** the neutral prompt as `messages` (default: `convertToOpenAIMessages`) */
  convertMessages?(prompt: Message[], capabilities: ModelCapabilities): unknown[];
  /** `tools` and `tool_choice` (default: `prepareOpenAITools`) */
  prepareTools?(options: CallOptions): Record<string, unknown>;
  /**
   * The levels the backend's `reasoning_effort` takes, lowest first (default low, medium, high, as
   * vLLM and most OpenAI-compatible servers take them): a neutral effort past them is sent as the
   * highest one below it, with a warning.
   */
  reasoningEfforts?: readonly ReasoningEffort[];
  /**
   * Adjusts the request body in place before `extraBody` is merged over it: renames settings or
   * drops the ones the backend lacks, returning a warning for each one dropped.
   */
  prepareBody?(body: Record<string, unknown>, context: { modelId: string; options: CallOptions; stream: boolean }): Warning[];
  /** the backend's finish reasons (default: `mapOpenAIFinishReason`) */
  mapFinishReason?(reason: string | null | undefined, stopReason: string | number | null | undefined): FinishReason;
  /** the backend's HTTP errors, for chat and embeddings (default: `mapOpenAICompatibleError`) */
  mapError?(statusCode: number, bodyText: string, headers: Record<string, string | string[] | undefined>): OutcropError;
}
