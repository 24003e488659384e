import type { CallOptions, GenerateResult, StreamPart } from '../../../core/inference/language-model.js';

/** Context a family codec needs to write its native bodies. */
export interface FamilyContext {
  /** the model ID the client called */
  modelId: string;
  signal?: AbortSignal;
  /** when the request arrived (performance.now()) */
  started: number;
  /** true for InvokeModelWithResponseStream, false for InvokeModel, absent for CountTokens */
  stream?: boolean;
}

/**
 * A model family's native InvokeModel body: request JSON to a neutral call, and the neutral result
 * back to the family's response JSON and stream chunks. One call passes the same context object to
 * `parseRequest` and then to `toResponse` or `toChunks`, so a codec whose response echoes its request
 * (Cohere's `chat_history`) may key what it keeps on it.
 */
export interface FamilyCodec {
  readonly family: string;
  parseRequest(body: unknown, context: FamilyContext): CallOptions;
  toResponse(result: GenerateResult, context: FamilyContext): unknown;
  /** Chunk JSON objects for InvokeModelWithResponseStream; the last carries `amazon-bedrock-invocationMetrics`. */
  toChunks(stream: ReadableStream<StreamPart>, context: FamilyContext): AsyncGenerator<unknown>;
}
