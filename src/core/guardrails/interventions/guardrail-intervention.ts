import type { GuardrailAssessment, GuardrailEvaluation, GuardrailInput } from '../guardrail-assessment.js';

/** The policy of Bedrock's assessment a finding belongs to. */
export type GuardrailPolicyName = 'topicPolicy' | 'contentPolicy' | 'wordPolicy' | 'sensitiveInformationPolicy' | 'contextualGroundingPolicy';

/** What one policy did in an intervention: `BLOCKED` or `ANONYMIZED`, with how many findings did it. */
export interface InterventionPolicyAction {
  policy: GuardrailPolicyName;
  action: 'BLOCKED' | 'ANONYMIZED';
  /** findings of this policy that took this action */
  count: number;
}

/** Which call a guardrail evaluation served, for metrics and records. */
export interface GuardrailCall {
  /** the Bedrock operation: `ApplyGuardrail`, `Converse`, `ConverseStream`, `InvokeModel` ... */
  operation: string;
  requestId?: string;
}

/**
 * One intervention as kept in the guardrail store: which guardrail version acted, when, on what, and
 * what each policy did. `content` (the evaluated text) is present only when the operator enables
 * `guardrails.recordContent`.
 */
export interface GuardrailInterventionRecord {
  id: string;
  guardrailId: string;
  guardrailVersion: string;
  occurredAt: Date;
  source: GuardrailInput['source'];
  operation: string;
  requestId?: string;
  /** `BLOCKED` when any policy blocked, else `ANONYMIZED` */
  action: 'BLOCKED' | 'ANONYMIZED';
  policies: InterventionPolicyAction[];
  content?: string[];
}

/** Where intervention records persist (implemented in `storage/guardrails/`). */
export interface GuardrailInterventionRepository {
  insertIntervention(record: GuardrailInterventionRecord): Promise<void>;
  /** newest first; optionally one guardrail's, at most `limit` (default 100) */
  listInterventions(query?: { guardrailId?: string; limit?: number }): Promise<GuardrailInterventionRecord[]>;
}

/** One evaluation as the registry reports it to its observer. */
export interface GuardrailEvaluationEvent {
  guardrailId: string;
  guardrailVersion: string;
  source: GuardrailInput['source'];
  call: GuardrailCall;
  /** wall-clock milliseconds the evaluation took */
  latencyMs: number;
  evaluation: GuardrailEvaluation;
  /** the evaluated text blocks (guarded and reference), for records that keep content */
  content: GuardrailInput['content'];
}

/**
 * Told about every guardrail evaluation (and failure), so the server can count interventions, time
 * evaluations and keep records. An observer must not throw; the registry awaits it.
 */
export interface GuardrailObserver {
  evaluated(event: GuardrailEvaluationEvent): Promise<void> | void;
  failed?(event: Omit<GuardrailEvaluationEvent, 'evaluation' | 'content'> & { error: unknown }): void;
}

/**
 * The actions each policy took in one assessment, one entry per policy and action.
 *
 * @example
 * interventionActions(evaluation.assessments[0]); // [{ policy: 'wordPolicy', action: 'BLOCKED', count: 1 }]
 */
export function interventionActions(assessment: GuardrailAssessment): InterventionPolicyAction[] {
  const findings: Array<{ policy: GuardrailPolicyName; action: string }> = [
    ...(assessment.topicPolicy?.topics ?? []).map((finding) => ({ policy: 'topicPolicy' as const, action: finding.action })),
    ...(assessment.contentPolicy?.filters ?? []).map((finding) => ({ policy: 'contentPolicy' as const, action: finding.action })),
    ...(assessment.wordPolicy?.customWords ?? []).map((finding) => ({ policy: 'wordPolicy' as const, action: finding.action })),
    ...(assessment.wordPolicy?.managedWordLists ?? []).map((finding) => ({ policy: 'wordPolicy' as const, action: finding.action })),
    ...(assessment.sensitiveInformationPolicy?.piiEntities ?? []).map((finding) => ({ policy: 'sensitiveInformationPolicy' as const, action: finding.action })),
    ...(assessment.sensitiveInformationPolicy?.regexes ?? []).map((finding) => ({ policy: 'sensitiveInformationPolicy' as const, action: finding.action })),
    ...(assessment.contextualGroundingPolicy?.filters ?? []).map((finding) => ({ policy: 'contextualGroundingPolicy' as const, action: finding.action })),
  ];
  const counted = new Map<string, InterventionPolicyAction>();
  for (const finding of findings) {
    if (finding.action !== 'BLOCKED' && finding.action !== 'ANONYMIZED') continue;
    const key = `${finding.policy}:${finding.action}`;
    const entry = counted.get(key);
    if (entry) entry.count++;
    else counted.set(key, { policy: finding.policy, action: finding.action, count: 1 });
  }
  return [...counted.values()];
}

/**
 * The record of an evaluation that intervened, or undefined when it did not; the text is kept only
 * when `recordContent` is true.
 *
 * @example
 * const record = interventionRecordOf(event, { recordContent: false, id: randomUUID(), now: new Date() });
 */
export function interventionRecordOf(event: GuardrailEvaluationEvent, options: { recordContent: boolean; id: string; now: Date }): GuardrailInterventionRecord | undefined {
  if (event.evaluation.action !== 'GUARDRAIL_INTERVENED') return undefined;
  return {
    id: options.id,
    guardrailId: event.guardrailId,
    guardrailVersion: event.guardrailVersion,
    occurredAt: options.now,
    source: event.source,
    operation: event.call.operation,
    ...(event.call.requestId ? { requestId: event.call.requestId } : {}),
    action: event.evaluation.blocked ? 'BLOCKED' : 'ANONYMIZED',
    policies: interventionActions(event.evaluation.assessments[0]),
    ...(options.recordContent ? { content: event.content.map((block) => block.text) } : {}),
  };
}
