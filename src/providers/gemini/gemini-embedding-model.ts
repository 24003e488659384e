import type { Agent } from 'undici';
import { OutcropError } from '../../core/errors.js';
import type { EmbeddingPurpose, EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/inference/embedding-model.js';
import { postToUpstream } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { geminiModelName } from './gemini-chat-model.js';
import { batchEmbedContentsResponseSchema } from './gemini-api.js';
import { mapGeminiError } from './gemini-error.js';

export interface GeminiEmbeddingSettings {
  name: string;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** sent as `outputDimensionality` when configured; learned from the first response otherwise */
  dimensions?: number;
  dispatcher: Agent;
}

const taskTypes: Record<EmbeddingPurpose, string> = {
  query: 'RETRIEVAL_QUERY',
  document: 'RETRIEVAL_DOCUMENT',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
};

/**
 * A Gemini embedding model (`:batchEmbedContents`, up to 100 texts a call). The purpose becomes
 * Gemini's `taskType`. The API reports no token counts, so usage is 0.
 *
 * @example
 * const { embeddings } = await provider.embeddingModel!('gemini-embedding-001', { dimensions: 768 }).embed({ values: ['granite'] });
 */
export class GeminiEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly maxBatchSize = 100;
  private learnedDimensions: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly settings: GeminiEmbeddingSettings,
  ) {
    this.provider = settings.name;
  }

  get dimensions(): number {
    return this.settings.dimensions ?? this.learnedDimensions ?? 0;
  }

  async embed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 } };
    const model = geminiModelName(this.modelId);
    const headers: Record<string, string> = { ...this.settings.headers };
    if (this.settings.apiKey) headers['x-goog-api-key'] = this.settings.apiKey;
    const requests = options.values.map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(options.purpose ? { taskType: taskTypes[options.purpose] } : {}),
      ...(this.settings.dimensions === undefined ? {} : { outputDimensionality: this.settings.dimensions }),
    }));
    const response = await postToUpstream(this.settings, { url: `${this.settings.baseUrl}/v1beta/${model}:batchEmbedContents`, headers, body: { requests }, signal: options.abortSignal }, mapGeminiError);
    const { value: data } = await readUpstreamJson(response, batchEmbedContentsResponseSchema(), 'Gemini');
    if (data.embeddings.length !== options.values.length) {
      throw new OutcropError('ModelErrorException', `Gemini returned ${data.embeddings.length} embeddings for ${options.values.length} inputs.`);
    }
    const embeddings = data.embeddings.map((item) => item.values);
    this.learnedDimensions = embeddings[0]?.length;
    return { embeddings, usage: { inputTokens: 0 } };
  }
}
