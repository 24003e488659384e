import { type ReasoningEffort, reasoningEfforts, type Warning } from '../../core/inference/language-model.js';

/**
 * The level of a backend's own effort scale that stands for a neutral reasoning effort: the effort
 * itself when the backend has it, else the highest level it has below it (the lowest above, when it
 * has none below), with a warning that names both. `levels` are the backend's, lowest first;
 * `control` names the backend's setting in the warning.
 *
 * @example
 * clampReasoningEffort('max', ['low', 'medium', 'high'], "Ollama's think", warnings);
 * // 'high', and the warning "Ollama's think has no effort level max; it was sent as high."
 */
export function clampReasoningEffort<Level extends ReasoningEffort>(effort: ReasoningEffort, levels: readonly Level[], control: string, warnings: Warning[]): Level {
  if ((levels as readonly ReasoningEffort[]).includes(effort)) return effort as Level;
  const rank = reasoningEfforts.indexOf(effort);
  const below = levels.filter((level) => reasoningEfforts.indexOf(level) < rank);
  const level = below.at(-1) ?? (levels[0] as Level);
  warnings.push({ setting: 'reasoningEffort', details: `${control} has no effort level ${effort}; it was sent as ${level}.` });
  return level;
}

/**
 * The share of the output tokens a reasoning effort may spend thinking, for backends whose only
 * control is a budget of thought tokens: low an eighth, medium a quarter, high a half; xhigh and
 * max set no limit.
 */
const thoughtShares: Record<ReasoningEffort, number | undefined> = { low: 1 / 8, medium: 1 / 4, high: 1 / 2, xhigh: undefined, max: undefined };

/**
 * The thought-token budget for a reasoning effort, relative to the tokens the answer may take in all
 * (at least 1, since a budget of 0 turns thinking off); `undefined` means no limit (xhigh and max,
 * or no known output limit to take a share of).
 *
 * @example
 * reasoningTokenBudget('medium', 1000); // 250
 * reasoningTokenBudget('max', 1000);    // undefined
 */
export function reasoningTokenBudget(effort: ReasoningEffort, maxOutputTokens: number | undefined): number | undefined {
  const share = thoughtShares[effort];
  if (share === undefined || maxOutputTokens === undefined || !Number.isFinite(maxOutputTokens)) return undefined;
  return Math.max(1, Math.floor(maxOutputTokens * share));
}
