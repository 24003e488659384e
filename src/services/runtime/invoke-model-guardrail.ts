import { z } from 'zod';
import { OutcropError } from '../../core/errors.js';
import { guardStream, type GuardrailEvaluation, type StreamGuardOutcome } from '../../core/guardrails/index.js';
import type { CallOptions, GenerateResult, StreamPart } from '../../core/inference/language-model.js';
import type { Trace } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { type CallGuard, checkGuardrail, type GuardrailCheck, requireGuardrail } from './converse-guardrail.js';

const configKey = 'amazon-bedrock-guardrailConfig';
const tagPrefix = 'amazon-bedrock-guardrails-guardContent_';

/** The body's `amazon-bedrock-guardrailConfig`: the input tag suffix and, on streams, the processing mode. */
const bodyConfigSchema = z
  .object({
    tagSuffix: z.string().regex(/^[a-zA-Z0-9]{1,20}$/, 'tagSuffix must be 1 to 20 letters or digits').optional(),
    streamProcessingMode: z.enum(['SYNCHRONOUS', 'ASYNCHRONOUS']).optional(),
  })
  .strict();

/** A guardrail on one InvokeModel call, from the `X-Amzn-Bedrock-Guardrail*` headers and the body. */
export interface InvokeGuard {
  guard: CallGuard;
  trace: Trace;
  mode: 'sync' | 'async';
  /** the texts inside input tags, or undefined when the body has none (the whole prompt is guarded) */
  tagged: string[] | undefined;
}

/**
 * Reads the guardrail of an InvokeModel call and takes its markup out of the body: the
 * `amazon-bedrock-guardrailConfig` member is removed and input tags
 * (`<amazon-bedrock-guardrails-guardContent_{tagSuffix}>…</…>`) are replaced by the text they hold,
 * so the model never sees them. Answers Bedrock's ValidationExceptions for a config without a
 * guardrail, a guardrail without a version, and a non-JSON content type.
 *
 * @example
 * const { body, guard } = readInvokeGuard(input, JSON.parse(text), context, 'InvokeModel');
 */
export function readInvokeGuard(
  input: { guardrailIdentifier?: string; guardrailVersion?: string; trace?: Trace; contentType?: string },
  body: unknown,
  context: HandlerContext,
  operation: string,
): { body: unknown; guard: InvokeGuard | undefined } {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const hasConfig = record !== undefined && configKey in record;
  if (!input.guardrailIdentifier) {
    if (hasConfig) throw new OutcropError('ValidationException', `The request body has ${configKey}, but no guardrail is specified; send X-Amzn-Bedrock-GuardrailIdentifier and X-Amzn-Bedrock-GuardrailVersion.`);
    if (input.guardrailVersion) throw new OutcropError('ValidationException', 'A guardrail version was given without a guardrail identifier.');
    return { body, guard: undefined };
  }
  if (!input.guardrailVersion) throw new OutcropError('ValidationException', 'Guardrail version must be specified when a guardrail identifier is given.');
  // application/octet-stream is what SDKs send when the caller names no content type.
  if (input.contentType && !/^application\/(json|octet-stream)\b/i.test(input.contentType)) {
    throw new OutcropError('ValidationException', `Guardrails require the content type application/json, not ${input.contentType}.`);
  }
  const parsed = bodyConfigSchema.safeParse(hasConfig ? record[configKey] : {});
  if (!parsed.success) throw new OutcropError('ValidationException', `Invalid ${configKey}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ')}`);
  const guard = requireGuardrail({ guardrailIdentifier: input.guardrailIdentifier, guardrailVersion: input.guardrailVersion }, context, operation);
  let stripped: unknown = body;
  if (hasConfig) {
    const { [configKey]: _config, ...rest } = record;
    stripped = rest;
  }
  const tagged: string[] = [];
  if (parsed.data.tagSuffix) stripped = untag(stripped, parsed.data.tagSuffix, tagged);
  return {
    body: stripped,
    guard: { guard, trace: input.trace ?? 'DISABLED', mode: parsed.data.streamProcessingMode === 'ASYNCHRONOUS' ? 'async' : 'sync', tagged: tagged.length > 0 ? tagged : undefined },
  };
}

/** Every string in the body with its input tags replaced by their text, which `found` collects. */
function untag(value: unknown, suffix: string, found: string[]): unknown {
  if (typeof value === 'string') {
    const pattern = new RegExp(`<${tagPrefix}${suffix}>([\\s\\S]*?)</${tagPrefix}${suffix}>`, 'g');
    return value.replace(pattern, (_tag, text: string) => {
      found.push(text);
      return text;
    });
  }
  if (Array.isArray(value)) return value.map((item) => untag(item, suffix, found));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, untag(item, suffix, found)]));
  return value;
}

/** The input Bedrock guards on InvokeModel: the tagged texts, or every text of the prompt. */
export function invokeGuardedInput(invoke: InvokeGuard, options: CallOptions): Array<{ text: string }> {
  if (invoke.tagged) return invoke.tagged.map((text) => ({ text }));
  return options.prompt.flatMap((message) => message.content.flatMap((part) => (part.type === 'text' ? [{ text: part.text }] : [])));
}

/** Checks the input; a blocked input is the answer itself (the model is not called). */
export function checkInvokeInput(invoke: InvokeGuard, options: CallOptions, context: HandlerContext): Promise<GuardrailCheck> {
  return checkGuardrail(invoke.guard, 'INPUT', invokeGuardedInput(invoke, options), context);
}

/** A neutral result holding only the blocked messaging, for the family codec to write natively. */
export function blockedResult(messaging: string): GenerateResult {
  return { content: [{ type: 'text', text: messaging }], finishReason: 'content-filter', usage: { inputTokens: 0, outputTokens: 0 }, warnings: [] };
}

/** The same as a part stream. */
export function blockedParts(messaging: string): ReadableStream<StreamPart> {
  const parts: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 'guardrail-intervention' },
    { type: 'text-delta', id: 'guardrail-intervention', delta: messaging },
    { type: 'text-end', id: 'guardrail-intervention' },
    { type: 'finish', finishReason: 'content-filter', usage: { inputTokens: 0, outputTokens: 0 } },
  ];
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

/** Checks a whole model result: blocked text becomes the blocked messaging, masked text is masked. */
export async function guardInvokeResult(invoke: InvokeGuard, result: GenerateResult, context: HandlerContext): Promise<{ result: GenerateResult; check: GuardrailCheck }> {
  const texts = result.content.flatMap((part) => (part.type === 'text' ? [{ text: part.text }] : []));
  const check = await checkGuardrail(invoke.guard, 'OUTPUT', texts, context);
  const { evaluation } = check;
  if (evaluation.blocked) return { result: { ...result, content: [{ type: 'text', text: evaluation.outputs[0]?.text ?? '' }], finishReason: 'content-filter' }, check };
  if (evaluation.action === 'GUARDRAIL_INTERVENED') {
    let index = 0;
    const content = result.content.map((part) => (part.type === 'text' ? { ...part, text: evaluation.maskedContent[index++]?.text ?? part.text } : part));
    return { result: { ...result, content }, check };
  }
  return { result, check };
}

/** The model's stream guarded in the body's processing mode. */
export function guardInvokeStream(invoke: InvokeGuard, stream: ReadableStream<StreamPart>, context: HandlerContext): { stream: ReadableStream<StreamPart>; outcome: StreamGuardOutcome } {
  return guardStream(stream, { mode: invoke.mode, check: async (text) => (await checkGuardrail(invoke.guard, 'OUTPUT', [{ text }], context)).evaluation });
}

/**
 * Bedrock's guardrail members of an InvokeModel response body (or last stream chunk):
 * `amazon-bedrock-guardrailAction` always, `amazon-bedrock-trace` when the trace header enables it.
 */
export function guardrailResponseFields(invoke: InvokeGuard, input: GuardrailCheck, outputs: GuardrailEvaluation[], modelOutput: string[] | undefined): Record<string, unknown> {
  const all = [input.evaluation, ...outputs];
  const intervened = all.some((evaluation) => evaluation.action === 'GUARDRAIL_INTERVENED');
  const fields: Record<string, unknown> = { 'amazon-bedrock-guardrailAction': intervened ? 'INTERVENED' : 'NONE' };
  if (invoke.trace === 'DISABLED') return fields;
  const guardrail: Record<string, unknown> = { input: { [input.guardrailId]: input.evaluation.assessments[0] } };
  if (outputs.length > 0) guardrail.outputs = outputs.map((evaluation) => ({ [input.guardrailId]: evaluation.assessments[0] }));
  if (invoke.trace === 'ENABLED_FULL' && modelOutput && intervened) guardrail.modelOutput = modelOutput;
  const reason = all.find((evaluation) => evaluation.blocked)?.actionReason ?? all.find((evaluation) => evaluation.actionReason)?.actionReason;
  if (reason) guardrail.actionReason = reason;
  fields['amazon-bedrock-trace'] = { guardrail };
  return fields;
}
