import { OutcropError } from '../../core/errors.js';
import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../core/inference/embedding-model.js';
import { mapLlamaCppGenerationError } from './llama-cpp-error.js';
import type { LlamaModelPool } from './llama-cpp-model-pool.js';
import { readGgufMetadata } from './read-gguf-metadata.js';

export interface LlamaCppEmbeddingSettings {
  /** provider instance name */
  name: string;
  pool: LlamaModelPool;
  /** the configured vector size, checked against the model's */
  dimensions?: number;
}

/**
 * An embedding model running in-process on llama.cpp from a GGUF file: BERT-style sentence encoders
 * (nomic, bge, MiniLM) or any decoder model, pooled as its GGUF says. Values are embedded one after
 * another on the model's embedding context; token counts come from the model's tokenizer.
 *
 * @example
 * const model = provider.embeddingModel!('/models/bge-small-en-v1.5-f16.gguf');
 * const { embeddings } = await model.embed({ values: ['granite'] });
 */
export class LlamaCppEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly maxBatchSize = 32;
  private knownDimensions: number | undefined;

  constructor(
    /** the GGUF file's path */
    readonly modelId: string,
    private readonly settings: LlamaCppEmbeddingSettings,
  ) {
    this.provider = settings.name;
  }

  /** The vector size: configured, or read from the GGUF header (`<arch>.embedding_length`); 0 while unknown. */
  get dimensions(): number {
    if (this.settings.dimensions !== undefined) return this.settings.dimensions;
    if (this.knownDimensions === undefined) {
      try {
        const metadata = readGgufMetadata(this.modelId, ['general.architecture']);
        const architecture = metadata.get('general.architecture');
        const size = readGgufMetadata(this.modelId, [`${architecture}.embedding_length`]).get(`${architecture}.embedding_length`);
        if (typeof size === 'number') this.knownDimensions = size;
      } catch {
        return 0;
      }
    }
    return this.knownDimensions ?? 0;
  }

  async embed(options: EmbedOptions): Promise<EmbedResult> {
    if (options.values.length === 0) return { embeddings: [], usage: { inputTokens: 0 } };
    if (options.values.some((value) => value.length === 0)) throw new OutcropError('ValidationException', 'Texts to embed must not be empty.');
    const handle = await this.settings.pool.acquire(this.modelId);
    try {
      const { queue } = await handle.resident.embedding();
      const lease = await queue.acquire(options.abortSignal);
      try {
        const context = lease.slot;
        const size = handle.resident.model.embeddingVectorSize;
        if (this.settings.dimensions !== undefined && size !== this.settings.dimensions) {
          throw new OutcropError('ModelErrorException', `The model ${this.modelId} produces ${size}-dimension vectors, but it is configured with dimensions: ${this.settings.dimensions}.`);
        }
        this.knownDimensions = size;
        const embeddings: number[][] = [];
        let inputTokens = 0;
        for (const value of options.values) {
          options.abortSignal?.throwIfAborted();
          inputTokens += context.calculateInputLength(value);
          embeddings.push([...(await context.getEmbeddingFor(value)).vector]);
        }
        return { embeddings, usage: { inputTokens } };
      } catch (error) {
        throw mapLlamaCppGenerationError(error, options.abortSignal);
      } finally {
        lease.release();
      }
    } finally {
      handle.release();
    }
  }
}
