import type { Agent } from 'undici';
import { OutcropError } from '../../core/errors.js';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/inference/embedding-model.js';
import { postToUpstream } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { embedResponseSchema } from './ollama-api.js';
import { mapOllamaError } from './ollama-error.js';

export interface OllamaEmbeddingSettings {
  name: string;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** the model's native size from the configuration; learned from the first response otherwise */
  dimensions?: number;
  dispatcher: Agent;
}

/**
 * An embedding model behind Ollama's `POST /api/embed` (many inputs a call, `prompt_eval_count` as
 * usage). Ollama has no query/document distinction, so `purpose` is not sent.
 *
 * @example
 * const { embeddings } = await provider.embeddingModel!('nomic-embed-text', { dimensions: 768 }).embed({ values: ['granite'] });
 */
export class OllamaEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly maxBatchSize = 128;
  private learnedDimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly settings: OllamaEmbeddingSettings,
  ) {
    this.provider = settings.name;
  }

  get dimensions(): number {
    return this.settings.dimensions ?? this.learnedDimensions ?? 0;
  }

  async embed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 } };
    const headers: Record<string, string> = { ...this.settings.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const response = await postToUpstream(this.settings, { url: `${this.settings.baseUrl}/api/embed`, headers, body: { model: this.modelId, input: options.values }, signal: options.abortSignal }, mapOllamaError);
    const { value: data } = await readUpstreamJson(response, embedResponseSchema(), 'Ollama');
    if (data.embeddings.length !== options.values.length) {
      throw new OutcropError('ModelErrorException', `Ollama returned ${data.embeddings.length} embeddings for ${options.values.length} inputs.`);
    }
    const size = data.embeddings[0]?.length ?? 0;
    if (this.settings.dimensions !== undefined && size !== this.settings.dimensions) {
      throw new OutcropError('ModelErrorException', `Ollama returned ${size}-dimension vectors, but the model is configured with dimensions: ${this.settings.dimensions}.`);
    }
    this.learnedDimensions = size;
    return { embeddings: data.embeddings, usage: { inputTokens: data.prompt_eval_count ?? 0 } };
  }
}
