import { OutcropError } from '../../core/errors.js';
import type { EmbedOptions, EmbedResult, EmbeddingModel, EmbeddingPurpose } from '../../core/inference/embedding-model.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { cohereEmbedResponseSchema } from './cohere-api.js';
import { type CohereSettings, postToCohere } from './post-to-cohere.js';

const inputTypes: Record<EmbeddingPurpose, string> = {
  query: 'search_query',
  document: 'search_document',
  classification: 'classification',
  clustering: 'clustering',
};

/**
 * An Embed model behind Cohere's `POST /v2/embed` (float vectors). The neutral purpose becomes
 * Cohere's `input_type`; with none given, texts are embedded as `search_query`.
 *
 * @example
 * const model = cohere.embeddingModel!('embed-english-v3.0', { dimensions: 1024 });
 * const { embeddings } = await model.embed({ values: ['granite'], purpose: 'document' });
 */
export class CohereEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  /** Cohere takes at most 96 texts per call */
  readonly maxBatchSize = 96;
  private learnedDimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly settings: CohereSettings,
    private readonly configuredDimensions: number | undefined,
  ) {
    this.provider = settings.name;
  }

  /** The configured size, else the size of the vectors seen so far (0 before the first call). */
  get dimensions(): number {
    return this.configuredDimensions ?? this.learnedDimensions ?? 0;
  }

  async embed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 } };
    const body = { model: this.modelId, texts: options.values, input_type: inputTypes[options.purpose ?? 'query'], embedding_types: ['float'] };
    const response = await postToCohere(this.settings, '/embed', body, options.abortSignal);
    const { value } = await readUpstreamJson(response, cohereEmbedResponseSchema(), 'Cohere');
    const embeddings = value.embeddings.float;
    if (embeddings.length !== options.values.length) {
      throw new OutcropError('ModelErrorException', `Cohere returned ${embeddings.length} vectors for ${options.values.length} inputs.`);
    }
    const size = embeddings[0]?.length ?? 0;
    if (embeddings.some((vector) => vector.length !== size)) throw new OutcropError('ModelErrorException', 'Cohere returned vectors of different sizes.');
    if (this.configuredDimensions !== undefined && size !== this.configuredDimensions) {
      throw new OutcropError('ModelErrorException', `Cohere returned ${size}-dimension vectors, but the model is configured with dimensions: ${this.configuredDimensions}.`);
    }
    this.learnedDimensions = size;
    return { embeddings, usage: { inputTokens: value.meta?.billed_units?.input_tokens ?? 0 } };
  }
}
