import { OutcropError } from '../../core/errors.js';
import type { InvokeModelRequest, InvokeModelWithResponseStreamRequest } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { familyCodec } from './families/index.js';
import { invokeEmbeddingModel } from './invoke-embedding-model.js';
import { blockedParts, blockedResult, checkInvokeInput, guardInvokeResult, guardInvokeStream, guardrailResponseFields, readInvokeGuard } from './invoke-model-guardrail.js';

function parseBody(input: { body?: Uint8Array; contentType?: string }): unknown {
  if (!input.body || input.body.length === 0) {
    throw new OutcropError('ValidationException', '1 validation error detected: Value null at \'body\' failed to satisfy constraint: Member must not be null');
  }
  try {
    return JSON.parse(Buffer.from(input.body).toString('utf8'));
  } catch {
    throw new OutcropError('ValidationException', 'Malformed input request, please reformat your input and try again.');
  }
}

function checkAccept(accept: string | undefined): void {
  if (accept && !/application\/json|\*\/\*/i.test(accept)) {
    throw new OutcropError('ValidationException', `The accept type ${accept} is not supported; accept application/json.`);
  }
}

/**
 * InvokeModel: the model family's native body in, its native body out. With the guardrail headers,
 * the input is checked first (a blocked input answers with the blocked messaging in the family's
 * body, without calling the model), then the output, and the body carries
 * `amazon-bedrock-guardrailAction` (and `amazon-bedrock-trace` when traced).
 */
export async function invokeModel(input: InvokeModelRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  checkAccept(input.accept);
  if (context.deps.catalog.find(input.modelId)?.entry.kind === 'embedding') {
    if (input.guardrailIdentifier) throw new OutcropError('ValidationException', `Guardrails are not supported on the embedding model ${input.modelId}.`);
    return invokeEmbeddingModel(parseBody(input), input.modelId, context);
  }
  const resolved = context.deps.catalog.resolve(input.modelId);
  const codec = familyCodec(resolved.family);
  const familyContext = { modelId: input.modelId, signal: context.signal, started, stream: false };
  const { body: requestBody, guard } = readInvokeGuard(input, parseBody(input), context, 'InvokeModel');
  const options = codec.parseRequest(requestBody, familyContext);
  if (!guard) {
    const result = await resolved.model.generate(options);
    return { body: Buffer.from(JSON.stringify(codec.toResponse(result, familyContext))), contentType: 'application/json' };
  }
  const inputCheck = await checkInvokeInput(guard, options, context);
  if (inputCheck.evaluation.blocked) {
    const blocked = codec.toResponse(blockedResult(inputCheck.evaluation.outputs[0]?.text ?? ''), familyContext) as Record<string, unknown>;
    return jsonBody({ ...blocked, ...guardrailResponseFields(guard, inputCheck, [], undefined) });
  }
  const generated = await resolved.model.generate(options);
  const { result, check } = await guardInvokeResult(guard, generated, context);
  const modelOutput = generated.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  const response = codec.toResponse(result, familyContext) as Record<string, unknown>;
  return jsonBody({ ...response, ...guardrailResponseFields(guard, inputCheck, [check.evaluation], modelOutput) });
}

/**
 * InvokeModelWithResponseStream: the family's native chunks as `chunk` events. With a guardrail the
 * output is checked in batches (`amazon-bedrock-guardrailConfig.streamProcessingMode`: SYNCHRONOUS,
 * the default, or ASYNCHRONOUS) and the last chunk carries the guardrail members.
 */
export async function invokeModelWithResponseStream(input: InvokeModelWithResponseStreamRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  checkAccept(input.accept);
  const resolved = context.deps.catalog.resolve(input.modelId);
  if (!resolved.entry.streaming) throw new OutcropError('ValidationException', `The model ${input.modelId} does not support response streaming.`);
  const codec = familyCodec(resolved.family);
  const familyContext = { modelId: input.modelId, signal: context.signal, started, stream: true };
  const { body: requestBody, guard } = readInvokeGuard(input, parseBody(input), context, 'InvokeModelWithResponseStream');
  const options = codec.parseRequest(requestBody, familyContext);
  if (!guard) {
    const { stream } = await resolved.model.stream(options);
    return { body: toChunkEvents(codec.toChunks(stream, familyContext)), contentType: 'application/json' };
  }
  const inputCheck = await checkInvokeInput(guard, options, context);
  if (inputCheck.evaluation.blocked) {
    const chunks = codec.toChunks(blockedParts(inputCheck.evaluation.outputs[0]?.text ?? ''), familyContext);
    return { body: toChunkEvents(chunks, () => guardrailResponseFields(guard, inputCheck, [], undefined)), contentType: 'application/json' };
  }
  const { stream } = await resolved.model.stream(options);
  const guarded = guardInvokeStream(guard, stream, context);
  const fields = () => guardrailResponseFields(guard, inputCheck, guarded.outcome.evaluations, [guarded.outcome.modelOutput.join('')]);
  return { body: toChunkEvents(codec.toChunks(guarded.stream, familyContext), fields), contentType: 'application/json' };
}

function jsonBody(body: unknown): Record<string, unknown> {
  return { body: Buffer.from(JSON.stringify(body)), contentType: 'application/json' };
}

/** Chunks as events; with `lastFields`, the last chunk (the one with the invocation metrics) gets them too. */
async function* toChunkEvents(chunks: AsyncGenerator<unknown>, lastFields?: () => Record<string, unknown>): AsyncGenerator<Record<string, unknown>> {
  const event = (chunk: unknown) => ({ chunk: { bytes: Buffer.from(JSON.stringify(chunk)) } });
  if (!lastFields) {
    for await (const chunk of chunks) yield event(chunk);
    return;
  }
  let held: unknown;
  let holding = false;
  for await (const chunk of chunks) {
    if (holding) yield event(held);
    held = chunk;
    holding = true;
  }
  if (holding) yield event(typeof held === 'object' && held !== null ? { ...held, ...lastFields() } : held);
}
