import type { ReasoningEffort } from '../../core/inference/language-model.js';
import { reasoningTokenBudget } from '../shared/reasoning-effort.js';

/**
 * A reasoning effort as node-llama-cpp's `budgets` for `LlamaChat.generateResponse`: the thought
 * tokens a model with thought segments in its chat template (Qwen3, DeepSeek-R1, gpt-oss, ...) may
 * spend, as a share of the tokens the answer may take (`maxTokens`): low an eighth, medium a quarter,
 * high a half, xhigh and max no limit (`Infinity`; node-llama-cpp's own default is 75% of the
 * context). Never 0, which would turn thinking off. No effort: node-llama-cpp's default (`undefined`).
 * Models without thought segments are not affected.
 *
 * @example
 * llamaThoughtBudget('medium', 1000); // { thoughtTokens: 250 }
 */
export function llamaThoughtBudget(effort: ReasoningEffort | undefined, maxTokens: number): { thoughtTokens: number } | undefined {
  if (!effort) return undefined;
  return { thoughtTokens: reasoningTokenBudget(effort, maxTokens) ?? Number.POSITIVE_INFINITY };
}
