import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../../../core/inference/embedding-model.js';

/** What an embedding codec needs to read a body and write its response. */
export interface EmbeddingFamilyContext {
  /** the model ID the client called */
  modelId: string;
  /** the model that will run the call: codecs check requested sizes against it */
  model: EmbeddingModel;
  signal?: AbortSignal;
}

/** One parsed request: the neutral call, and how to write its result in the family's shape. */
export interface EmbeddingCall {
  options: EmbedOptions;
  toResponse(result: EmbedResult): unknown;
}

/**
 * A model family's native embedding body for InvokeModel (Titan Text Embeddings, Cohere Embed).
 * Bedrock streams no embedding model, so there is no chunk form.
 */
export interface EmbeddingFamilyCodec {
  readonly family: string;
  parseRequest(body: unknown, context: EmbeddingFamilyContext): EmbeddingCall;
}
