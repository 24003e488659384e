import type { ConfidenceLevel, ContentFilterType, GuardrailSource } from '../guardrail-definition.js';

export interface JudgeContentRequest {
  text: string;
  source: GuardrailSource;
  categories: ContentFilterType[];
  abortSignal?: AbortSignal;
}

export interface JudgeTopicRequest {
  text: string;
  source: GuardrailSource;
  topics: Array<{ name: string; definition: string; examples: string[] }>;
  abortSignal?: AbortSignal;
}

/**
 * A guard model asked for the classification instead of the built-in classifiers. Categories it
 * leaves out of its answer (`undefined`) stay with the built-in classifier; a judge that fails throws,
 * and the guardrail check fails with it.
 */
export interface GuardJudge {
  /** what the judge covers; the engine asks only for these */
  readonly contentCategories: readonly ContentFilterType[];
  readonly topics: boolean;
  classifyContent(request: JudgeContentRequest): Promise<Partial<Record<ContentFilterType, ConfidenceLevel>>>;
  /** names of the topics the text belongs to */
  matchTopics(request: JudgeTopicRequest): Promise<string[]>;
}
