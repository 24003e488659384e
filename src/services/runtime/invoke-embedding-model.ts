import { embedMany } from '../../core/inference/embed-many.js';
import type { HandlerContext } from '../handler.js';
import { embeddingFamilyCodec } from './families/embedding/index.js';

/**
 * InvokeModel on an embedding model: the family's native body (Titan Text Embeddings v1/v2, Cohere
 * Embed) in, its native response out. Batches larger than the model takes are split.
 */
export async function invokeEmbeddingModel(body: unknown, modelId: string, context: HandlerContext): Promise<Record<string, unknown>> {
  const resolved = context.deps.catalog.resolveEmbedding(modelId);
  const codec = embeddingFamilyCodec(resolved.family);
  const call = codec.parseRequest(body, { modelId, model: resolved.model, signal: context.signal });
  const result = await embedMany(resolved.model, call.options);
  return { body: Buffer.from(JSON.stringify(call.toResponse(result))), contentType: 'application/json' };
}
