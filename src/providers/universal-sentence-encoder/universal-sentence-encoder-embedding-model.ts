import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/inference/embedding-model.js';
import type { SentenceEncoderRunner } from './sentence-encoder-runner.js';

export interface UniversalSentenceEncoderSettings {
  /** provider instance name */
  name: string;
  maxBatchSize: number;
  runner: SentenceEncoderRunner;
}

/**
 * Universal Sentence Encoder lite: 512-dimension, unit-length English sentence vectors computed on
 * the CPU. It has no notion of query versus document (`purpose` changes nothing) and no input limit
 * of its own; token counts come from its SentencePiece vocabulary.
 */
export class UniversalSentenceEncoderEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly dimensions = 512;
  readonly maxBatchSize: number;

  constructor(
    readonly modelId: string,
    private readonly settings: UniversalSentenceEncoderSettings,
  ) {
    this.provider = settings.name;
    this.maxBatchSize = settings.maxBatchSize;
  }

  async embed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 } };
    const batch = await this.settings.runner.encode(options.values, options.abortSignal);
    const embeddings: number[][] = [];
    for (let row = 0; row < options.values.length; row++) {
      embeddings.push(Array.from(batch.vectors.subarray(row * batch.dimensions, (row + 1) * batch.dimensions)));
    }
    return { embeddings, usage: { inputTokens: batch.tokenCounts.reduce((sum, count) => sum + count, 0) } };
  }
}
