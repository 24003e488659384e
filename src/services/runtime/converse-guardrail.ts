import { OutcropError } from '../../core/errors.js';
import type { ContentQualifier, GuardrailAssessment, GuardrailEvaluation, GuardrailInput, StreamGuardOutcome } from '../../core/guardrails/index.js';
import type { ConverseRequest, GuardrailConfiguration } from '../../protocol/generated/bedrock-runtime-types.js';
import { guardrailsOf } from '../control/guardrails.js';
import type { HandlerContext } from '../handler.js';

const missingGuardrail = 'The guardrail identifier or version provided in the request does not exist.';

/** One guardrail's checks on a model call: the resolved id and the engine evaluation per source. */
export interface GuardrailCheck {
  guardrailId: string;
  evaluation: GuardrailEvaluation;
}

/** A guardrail version a model call is guarded by, and the operation, for metrics and records. */
export interface CallGuard {
  identifier: string;
  version: string;
  operation: string;
}

/** Checks a Converse `guardrailConfig` names an existing guardrail version, as Bedrock does before any evaluation. */
export function requireGuardrail(config: GuardrailConfiguration, context: HandlerContext, operation = 'Converse'): CallGuard {
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
  return { identifier: guardrailIdentifier, version: guardrailVersion, operation };
}

/**
 * Evaluates text against the guardrail. Errors fail the call (never fail open); an unknown guardrail
 * or version answers Bedrock's ValidationException.
 */
export async function checkGuardrail(
  guard: CallGuard,
  source: GuardrailInput['source'],
  content: Array<{ text: string; qualifiers?: ContentQualifier[] }>,
  context: HandlerContext,
): Promise<GuardrailCheck> {
  try {
    const { evaluation, guardrail } = await guardrailsOf(context).apply(
      guard.identifier,
      guard.version,
      { source, content, abortSignal: context.signal },
      { operation: guard.operation, requestId: context.requestId },
    );
    return { guardrailId: guardrail.guardrailId, evaluation };
  } catch (error) {
    throw asCheckFailure(error, context.signal);
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

/**
 * The `grounding_source` and `query` guardContent blocks of a Converse input: the references an
 * output check scores contextual grounding against.
 */
export function converseGroundingReferences(input: Pick<ConverseRequest, 'messages' | 'system'>): Array<{ text: string; qualifiers: ContentQualifier[] }> {
  const references: Array<{ text: string; qualifiers: ContentQualifier[] }> = [];
  const blocks = [...(input.system ?? []), ...(input.messages ?? []).flatMap((message) => message.content)];
  for (const block of blocks) {
    if (!('guardContent' in block) || !('text' in block.guardContent)) continue;
    const qualifiers = (block.guardContent.text.qualifiers ?? []).filter((qualifier) => qualifier === 'grounding_source' || qualifier === 'query') as ContentQualifier[];
    if (qualifiers.length > 0) references.push({ text: block.guardContent.text.text, qualifiers });
  }
  return references;
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

/**
 * Bedrock's `metadata.trace.guardrail` for ConverseStream: the input assessment, one output
 * assessment per streamed batch, and with `enabled_full` the model's own text when it was changed.
 */
export function guardrailStreamTrace(input: GuardrailCheck, output: { guardrailId: string; outcome: StreamGuardOutcome } | undefined, full: boolean): Record<string, unknown> {
  const trace: Record<string, unknown> = {};
  if (full && output?.outcome.intervened) trace.modelOutput = [output.outcome.modelOutput.join('')];
  trace.inputAssessment = { [input.guardrailId]: input.evaluation.assessments[0] };
  if (output && output.outcome.evaluations.length > 0) trace.outputAssessments = { [output.guardrailId]: output.outcome.evaluations.map((evaluation) => evaluation.assessments[0]) };
  const reason = output?.outcome.evaluations.find((evaluation) => evaluation.blocked)?.actionReason ?? output?.outcome.evaluations.find((evaluation) => evaluation.actionReason)?.actionReason ?? input.evaluation.actionReason;
  if (reason) trace.actionReason = reason;
  return trace;
}

function asValidation(error: unknown): unknown {
  if (OutcropError.isInstance(error) && error.code === 'ResourceNotFoundException') return new OutcropError('ValidationException', missingGuardrail);
  return error;
}

/**
 * A check that could not run fails the call as an InternalServerException naming the cause (a
 * failing embedding model must not read as the called model's own error); an unknown guardrail
 * answers Bedrock's ValidationException.
 */
function asCheckFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return error;
  if (OutcropError.isInstance(error) && (error.code === 'ValidationException' || error.code === 'InternalServerException')) return error;
  if (OutcropError.isInstance(error) && error.code === 'ResourceNotFoundException') return asValidation(error);
  return new OutcropError('InternalServerException', `The guardrail check failed, so the content was not released: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
