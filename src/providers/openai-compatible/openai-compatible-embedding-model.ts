import type { Agent } from 'undici';
import { OutcropError } from '../../core/errors.js';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/inference/embedding-model.js';
import { postJson } from '../shared/post-json.js';
import { embeddingResponseSchema } from './openai-compatible-api.js';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.js';
import { mapOpenAICompatibleError } from './openai-compatible-error.js';

export interface OpenAICompatibleEmbeddingSettings {
  /** provider instance name */
  name: string;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** the model's native vector size from the configuration; learned from the first response otherwise */
  dimensions?: number;
  maxBatchSize: number;
  dispatcher: Agent;
  /** the backend's HTTP errors (default: `mapOpenAICompatibleError`) */
  mapError?: OpenAICompatibleDialect['mapError'];
}

/**
 * An embedding model behind any server that speaks OpenAI's `/v1/embeddings` (vLLM, Ollama,
 * llama.cpp server, LM Studio, OpenAI, text-embeddings-inference). The API has no query/document
 * distinction, so `purpose` is not sent.
 *
 * @example
 * const model = provider.embeddingModel!('nomic-embed-text', { dimensions: 768 });
 * const { embeddings } = await model.embed({ values: ['granite'] });
 */
export class OpenAICompatibleEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly maxBatchSize: number;
  private learnedDimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly settings: OpenAICompatibleEmbeddingSettings,
  ) {
    this.provider = settings.name;
    this.maxBatchSize = settings.maxBatchSize;
  }

  /** The configured size, else the size of the vectors seen so far (0 before the first call). */
  get dimensions(): number {
    return this.settings.dimensions ?? this.learnedDimensions ?? 0;
  }

  async embed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 } };
    const headers: Record<string, string> = { ...this.settings.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const response = await postJson({
      url: `${this.settings.baseUrl}/embeddings`,
      headers,
      body: { model: this.modelId, input: options.values, encoding_format: 'float' },
      timeoutMs: this.settings.timeoutMs,
      idleTimeoutMs: this.settings.idleTimeoutMs,
      ...(options.abortSignal ? { signal: options.abortSignal } : {}),
      dispatcher: this.settings.dispatcher,
    });
    const text = await response.text().catch((error: unknown) => {
      throw new OutcropError('ModelTimeoutException', 'The embedding backend stopped sending its response.', { cause: error });
    });
    if (response.statusCode >= 400) throw (this.settings.mapError ?? mapOpenAICompatibleError)(response.statusCode, text, response.headers);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OutcropError('ModelErrorException', 'The embedding backend returned a response that is not JSON.');
    }
    const parsed = embeddingResponseSchema.safeParse(json);
    if (!parsed.success) throw new OutcropError('ModelErrorException', `The embedding backend returned an unexpected response: ${parsed.error.issues[0]?.message}`);
    const rows = [...parsed.data.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    if (rows.length !== options.values.length) {
      throw new OutcropError('ModelErrorException', `The embedding backend returned ${rows.length} vectors for ${options.values.length} inputs.`);
    }
    const embeddings = rows.map((row) => row.embedding);
    const size = embeddings[0]?.length ?? 0;
    if (embeddings.some((vector) => vector.length !== size)) throw new OutcropError('ModelErrorException', 'The embedding backend returned vectors of different sizes.');
    if (this.settings.dimensions !== undefined && size !== this.settings.dimensions) {
      throw new OutcropError('ModelErrorException', `The embedding backend returned ${size}-dimension vectors, but the model is configured with dimensions: ${this.settings.dimensions}.`);
    }
    this.learnedDimensions = size;
    return { embeddings, usage: { inputTokens: parsed.data.usage?.prompt_tokens ?? 0 } };
  }
}
