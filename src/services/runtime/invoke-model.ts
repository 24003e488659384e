import { OutcropError } from '../../core/errors.js';
import type { InvokeModelRequest, InvokeModelWithResponseStreamRequest } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { familyCodec } from './families/index.js';
import { invokeEmbeddingModel } from './invoke-embedding-model.js';

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

/** Guardrails on InvokeModel are refused rather than silently skipped (Converse applies them). */
function refuseGuardrail(input: { guardrailIdentifier?: string; guardrailVersion?: string }, operation: string): void {
  if (input.guardrailIdentifier || input.guardrailVersion) {
    throw new OutcropError('ValidationException', `Guardrails on ${operation} are not supported by this server yet; use Converse with guardrailConfig, or ApplyGuardrail.`);
  }
}

/** InvokeModel: the model family's native body in, its native body out. */
export async function invokeModel(input: InvokeModelRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  checkAccept(input.accept);
  refuseGuardrail(input, 'InvokeModel');
  if (context.deps.catalog.find(input.modelId)?.entry.kind === 'embedding') return invokeEmbeddingModel(parseBody(input), input.modelId, context);
  const resolved = context.deps.catalog.resolve(input.modelId);
  const codec = familyCodec(resolved.family);
  const familyContext = { modelId: input.modelId, signal: context.signal, started, stream: false };
  const options = codec.parseRequest(parseBody(input), familyContext);
  const result = await resolved.model.generate(options);
  const body = Buffer.from(JSON.stringify(codec.toResponse(result, familyContext)));
  return { body, contentType: 'application/json' };
}

/** InvokeModelWithResponseStream: the family's native chunks as `chunk` events. */
export async function invokeModelWithResponseStream(input: InvokeModelWithResponseStreamRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  checkAccept(input.accept);
  refuseGuardrail(input, 'InvokeModelWithResponseStream');
  const resolved = context.deps.catalog.resolve(input.modelId);
  if (!resolved.entry.streaming) throw new OutcropError('ValidationException', `The model ${input.modelId} does not support response streaming.`);
  const codec = familyCodec(resolved.family);
  const familyContext = { modelId: input.modelId, signal: context.signal, started, stream: true };
  const options = codec.parseRequest(parseBody(input), familyContext);
  const { stream } = await resolved.model.stream(options);
  return { body: toChunkEvents(codec.toChunks(stream, familyContext)), contentType: 'application/json' };
}

async function* toChunkEvents(chunks: AsyncGenerator<unknown>): AsyncGenerator<Record<string, unknown>> {
  for await (const chunk of chunks) yield { chunk: { bytes: Buffer.from(JSON.stringify(chunk)) } };
}
