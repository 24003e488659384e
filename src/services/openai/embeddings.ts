import { z } from 'zod';
import { embedMany } from '../../core/inference/embed-many.js';
import type { HandlerContext } from '../handler.js';
import { openAIRequestError } from './openai-error.js';
import type { OpenAIRequest, OpenAIResponse } from './openai-handler.js';
import { parseOpenAIRequest } from './parse-openai-request.js';
import { resolveOpenAIModel } from './resolve-openai-model.js';

/** OpenAI's limit on inputs per request. */
const maxInputs = 2048;

const embeddingRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()), z.array(z.number()), z.array(z.array(z.number()))]),
    encoding_format: z.enum(['float', 'base64']).nullish(),
    dimensions: z.number().int().min(1).nullish(),
    user: z.string().nullish(),
  })
  .loose();

/**
 * `POST /v1/embeddings`: a string or an array of strings through the catalog's embedding model, in
 * batches the model takes. `encoding_format: "base64"` gives little-endian float32 bytes, as OpenAI
 * does; `dimensions` must be the model's own size (vectors are never cut short, as on the Bedrock side).
 *
 * @example
 * await client.embeddings.create({ model: 'outcrop.use-lite-v1', input: ['granite', 'basalt'] });
 */
export async function createEmbeddings(request: OpenAIRequest, context: HandlerContext): Promise<OpenAIResponse> {
  const body = parseOpenAIRequest(embeddingRequestSchema, request.body);
  const values = typeof body.input === 'string' ? [body.input] : body.input;
  if (values.length === 0) throw openAIRequestError("Invalid 'input': empty array. Expected an array with at least one string.", 'input', 'empty_array');
  if (values.length > maxInputs) throw openAIRequestError(`Invalid 'input': at most ${maxInputs} inputs per request, got ${values.length}.`, 'input', 'array_above_max_length');
  if (!values.every((value): value is string => typeof value === 'string')) {
    throw openAIRequestError("Invalid 'input': token arrays are not supported by this server; send text.", 'input', 'invalid_type');
  }
  const emptyAt = values.findIndex((value) => value.length === 0);
  if (emptyAt !== -1) throw openAIRequestError(`Invalid 'input[${emptyAt}]': the input must not be an empty string.`, 'input', 'invalid_value');
  const { model } = resolveOpenAIModel(context.deps.catalog, body.model, 'embedding');
  const checkDimensions = (size: number) => {
    if (body.dimensions != null && size > 0 && body.dimensions !== size) {
      throw openAIRequestError(`Invalid 'dimensions': the model '${body.model}' produces ${size}-dimensional embeddings and does not shorten them.`, 'dimensions', 'invalid_value');
    }
  };
  checkDimensions(model.dimensions);
  const result = await embedMany(model, { values, abortSignal: context.signal });
  checkDimensions(result.embeddings[0]?.length ?? 0);
  const base64 = body.encoding_format === 'base64';
  return {
    json: {
      object: 'list',
      data: result.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding: base64 ? toBase64Float32(embedding) : embedding })),
      model: body.model,
      usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
    },
  };
}

/** A vector as little-endian float32 bytes in base64, OpenAI's `encoding_format: "base64"`. */
export function toBase64Float32(vector: number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index] as number, index * 4);
  return bytes.toString('base64');
}
