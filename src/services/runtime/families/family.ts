import type { CallOptions, GenerateResult, StreamPart } from '../../../core/inference/language-model.js';

/** Context a family codec needs to write its native bodies. */
export interface FamilyContext {
  /** the model ID the client called */
  modelId: string;
  signal?: AbortSignal;
  /** when the request arrived (performance.now()) */
  started: number;
}

/**
 * A model family's native InvokeModel body: request JSON to a neutral call, and the neutral result
 * back to the family's response JSON and stream chunks.
 */
export interface FamilyCodec {
  readonly family: string;
  parseRequest(body: unknown, context: FamilyContext): CallOptions;
  toResponse(result: GenerateResult, context: FamilyContext): unknown;
  /** Chunk JSON objects for InvokeModelWithResponseStream; the last carries `amazon-bedrock-invocationMetrics`. */
  toChunks(stream: ReadableStream<StreamPart>, context: FamilyContext): AsyncGenerator<unknown>;
}
