import { OutcropError } from '../../core/errors.js';
import type { ContentQualifier, GuardrailAssessment, GuardrailEvaluation, GuardrailInput } from '../../core/guardrails/index.js';
import type { ConverseRequest, GuardrailConfiguration } from '../../protocol/generated/bedrock-runtime-types.js';
import { guardrailsOf } from '../control/guardrails.js';
import type { HandlerContext } from '../handler.js';

const missingGuardrail = 'The guardrail identifier or version provided in the request does not exist.';

/** One guardrail's checks on a model call: the resolved id and the engine evaluation per source. */
export interface GuardrailCheck {
  guardrailId: string;
  evaluation: GuardrailEvaluation;
}

/** Checks a Converse `guardrailConfig` names an existing guardrail version, as Bedrock does before any evaluation. */
export function requireGuardrail(config: GuardrailConfiguration, context: HandlerContext): { identifier: string; version: string } {
  const { guardrailIdentifier, guardrailVersion } = config;
  if (!guardrailIdentifier || !guardrailVersion) {
    throw new OutcropError('ValidationException', 'guardrailConfig requires both guardrailIdentifier and guardrailVersion.');
  }
  const guardrails = guardrailsOf(context);
  try {
    guardrails.get(guardrailIdentifier, guardrailVersion);
  } catch (error) {
    throw asValidation(error);
  }
  return { identifier: guardrailIdentifier, version: guardrailVersion };
}

/**
 * Evaluates text against the guardrail. Errors fail the call (never fail open); an unknown guardrail
 * or version answers Bedrock's ValidationException.
 */
export async function checkGuardrail(
  guard: { identifier: string; version: string },
  source: GuardrailInput['source'],
  content: Array<{ text: string; qualifiers?: ContentQualifier[] }>,
  context: HandlerContext,
): Promise<GuardrailCheck> {
  try {
    const { evaluation, guardrail } = await guardrailsOf(context).apply(guard.identifier, guard.version, { source, content, abortSignal: context.signal });
    return { guardrailId: guardrail.guardrailId, evaluation };
  } catch (error) {
    throw asValidation(error);
  }
}

/**
 * The Converse input Bedrock guards: only `guardContent` blocks (messages and system) when any are
 * present, otherwise the text of the last user turn plus system `guardContent`.
 */
export function converseGuardedInput(input: Pick<ConverseRequest, 'messages' | 'system'>): Array<{ text: string; qualifiers?: ContentQualifier[] }> {
  const system: Array<{ text: string; qualifiers?: ContentQualifier[] }> = [];
  for (const block of input.system ?? []) {
    if ('guardContent' in block && 'text' in block.guardContent) system.push(guardBlock(block.guardContent.text));
  }
  const messages = input.messages ?? [];
  const guarded: Array<{ text: string; qualifiers?: ContentQualifier[] }> = [];
  for (const message of messages) {
    for (const block of message.content) {
      if ('guardContent' in block && 'text' in block.guardContent) guarded.push(guardBlock(block.guardContent.text));
    }
  }
  if (guarded.length > 0) return [...system, ...guarded];
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const texts: Array<{ text: string }> = [];
  for (const block of lastUser?.content ?? []) if ('text' in block) texts.push({ text: block.text });
  return [...system, ...texts];
}

function guardBlock(block: { text: string; qualifiers?: string[] }): { text: string; qualifiers?: ContentQualifier[] } {
  return block.qualifiers?.length ? { text: block.text, qualifiers: block.qualifiers as ContentQualifier[] } : { text: block.text };
}

/** Bedrock's `trace.guardrail` for a Converse response. */
export function guardrailTrace(input: GuardrailCheck | undefined, output: GuardrailCheck | undefined, modelOutput?: string[]): Record<string, unknown> {
  const trace: Record<string, unknown> = {};
  if (modelOutput?.length) trace.modelOutput = modelOutput;
  if (input) trace.inputAssessment = { [input.guardrailId]: input.evaluation.assessments[0] satisfies GuardrailAssessment };
  if (output) trace.outputAssessments = { [output.guardrailId]: output.evaluation.assessments };
  const reason = output?.evaluation.actionReason ?? input?.evaluation.actionReason;
  if (reason) trace.actionReason = reason;
  return trace;
}

function asValidation(error: unknown): unknown {
  if (error instanceof OutcropError && error.code === 'ResourceNotFoundException') return new OutcropError('ValidationException', missingGuardrail);
  return error;
}
