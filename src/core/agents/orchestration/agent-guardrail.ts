import type { Guardrails } from '../../guardrails/registry/guardrails.js';
import type { AgentTraceEvent } from './agent-events.js';
import { type TraceOrigin, traceEvent, traceMetadata } from './agent-trace.js';

export interface AgentGuardrailCheck {
  /** whether the guardrail blocked the text */
  intervened: boolean;
  /** the text to use: the blocked messaging when blocked, masked text when anything was masked */
  text: string;
  trace: AgentTraceEvent;
}

/**
 * Applies the agent's guardrail to the user's input or the final answer, as Bedrock agents do,
 * with a `guardrailTrace` (action, the assessments of the side checked).
 *
 * @example
 * const check = await checkAgentGuardrail(guardrails, definition.guardrailConfiguration, 'INPUT', inputText, origin, 'ab12cd34-g', signal);
 */
export async function checkAgentGuardrail(
  guardrails: Guardrails,
  configuration: { guardrailIdentifier: string; guardrailVersion: string },
  source: 'INPUT' | 'OUTPUT',
  text: string,
  origin: TraceOrigin,
  traceId: string,
  signal: AbortSignal,
): Promise<AgentGuardrailCheck> {
  const started = new Date();
  const { evaluation } = await guardrails.apply(configuration.guardrailIdentifier, configuration.guardrailVersion, { source, content: [{ text }], abortSignal: signal });
  const intervened = evaluation.action === 'GUARDRAIL_INTERVENED';
  const assessment = wireAssessment(evaluation.assessments[0] as unknown as Record<string, unknown>);
  const trace = traceEvent(origin, {
    guardrailTrace: {
      traceId,
      action: intervened ? 'INTERVENED' : 'NONE',
      [source === 'INPUT' ? 'inputAssessments' : 'outputAssessments']: [assessment],
      metadata: traceMetadata(started),
    },
  });
  let released = text;
  if (evaluation.blocked) released = evaluation.outputs.map((output) => output.text).join('\n');
  else if (intervened) released = evaluation.maskedContent.map((block) => block.text).join('\n');
  return { intervened: evaluation.blocked, text: released, trace };
}

/** The members Bedrock's agent `GuardrailAssessment` has. */
function wireAssessment(assessment: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['topicPolicy', 'contentPolicy', 'wordPolicy', 'sensitiveInformationPolicy']) if (assessment[key] !== undefined) out[key] = assessment[key];
  return out;
}
