import type { CallOptions } from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';
import type { CountTokensRequest } from '../../protocol/generated/bedrock-runtime-types.js';
import type { HandlerContext } from '../handler.js';
import { convertConverseRequest } from './convert-converse-request.js';
import { familyCodec } from './families/index.js';

/** CountTokens: the input tokens the model's own tokenizer counts for a Converse or InvokeModel input. */
export async function countTokens(input: CountTokensRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const resolved = context.deps.catalog.resolve(input.modelId);
  let options: CallOptions;
  if ('converse' in input.input) {
    options = convertConverseRequest(input.input.converse, context.signal);
  } else {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(input.input.invokeModel.body).toString('utf8'));
    } catch {
      throw new OutcropError('ValidationException', 'Malformed input request: input.invokeModel.body is not valid JSON.');
    }
    options = familyCodec(resolved.family).parseRequest(body, { modelId: input.modelId, signal: context.signal, started: performance.now() });
  }
  return { inputTokens: await resolved.model.countTokens(options) };
}
