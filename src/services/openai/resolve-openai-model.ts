import type { EmbeddingModel } from '../../core/inference/embedding-model.js';
import { OutcropError } from '../../core/errors.js';
import type { ModelCatalog, ResolvedModel } from '../../core/models/catalog.js';
import { modelNotFound } from './openai-error.js';

/**
 * Resolves a model through the same catalog as the Bedrock surfaces (IDs, aliases, ARNs, inference
 * profiles), turning "not in the catalog" into OpenAI's 404 `model_not_found`. Other failures
 * (an embedding model asked to chat) keep their own error.
 *
 * @example
 * const { model } = resolveOpenAIModel(catalog, 'anthropic.claude-3-haiku-20240307-v1:0', 'text');
 */
export function resolveOpenAIModel(catalog: ModelCatalog, id: string, kind: 'text'): ResolvedModel;
export function resolveOpenAIModel(catalog: ModelCatalog, id: string, kind: 'embedding'): ResolvedModel<EmbeddingModel>;
export function resolveOpenAIModel(catalog: ModelCatalog, id: string, kind: 'text' | 'embedding'): ResolvedModel | ResolvedModel<EmbeddingModel> {
  try {
    return kind === 'text' ? catalog.resolve(id) : catalog.resolveEmbedding(id);
  } catch (error) {
    if (OutcropError.isInstance(error) && (error.code === 'ResourceNotFoundException' || (error.code === 'ValidationException' && !catalog.find(id)))) {
      throw modelNotFound(id);
    }
    throw error;
  }
}
