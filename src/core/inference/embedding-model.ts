/**
 * The neutral embedding interface (`outcrop.v1`). Families' native bodies (Titan Embeddings,
 * Cohere Embed) and the OpenAI-compatible `/v1/embeddings` surface convert to and from it.
 *
 * @example
 * const { embeddings } = await model.embed({ values: ['granite', 'basalt'] });
 */
export interface EmbeddingModel {
  readonly specificationVersion: 'outcrop.v1';
  readonly provider: string;
  readonly modelId: string;
  /** native output size */
  readonly dimensions: number;
  /** most values one `embed` call takes; callers split larger batches */
  readonly maxBatchSize: number;
  embed(options: EmbedOptions): Promise<EmbedResult>;
}

/** What the caller means the text to be used for (Cohere's `input_type`, retrieval asymmetry). */
export type EmbeddingPurpose = 'query' | 'document' | 'classification' | 'clustering';

export interface EmbedOptions {
  values: string[];
  purpose?: EmbeddingPurpose;
  abortSignal?: AbortSignal;
}

export interface EmbedResult {
  embeddings: number[][];
  usage: { inputTokens: number };
}

/** What the catalog knows about an embedding model beyond its upstream name. */
export interface EmbeddingModelSettings {
  /** native output size, when the configuration states it */
  dimensions?: number;
}
