import { embedMany } from '../inference/embed-many.js';
import type { EmbeddingModel } from '../inference/embedding-model.js';
import { loadStaticSentenceEncoder, type StaticSentenceEncoder } from './static-sentence-encoder.js';

/**
 * The two encoders guardrail policies use: the injected embedding model (precise, a model run per
 * batch) and the static distilled encoder (fast, synchronous). Precise embeddings are kept in an LRU
 * cache, so a stream re-checking its prefix or a reused grounding source costs nothing the second
 * time; pinned texts (denied-topic definitions and examples) stay for the engine's life.
 */
export class SentenceEmbedder {
  private readonly cache = new Map<string, Float32Array>();
  private readonly pinned = new Map<string, Float32Array>();

  constructor(
    readonly model: EmbeddingModel | undefined,
    /** unpinned embeddings kept for reuse; 0 keeps none */
    private readonly capacity = 4096,
  ) {}

  /** Whether the precise model is the one the shipped classifiers and thresholds were fitted on. */
  isModel(modelId: string, dimensions: number): boolean {
    return this.model?.modelId === modelId && this.model.dimensions === dimensions;
  }

  fast(): Promise<StaticSentenceEncoder> {
    return loadStaticSentenceEncoder();
  }

  /** How many of these texts the precise model would have to embed (the rest are cached). */
  uncached(texts: readonly string[]): number {
    return new Set(texts.filter((text) => !this.lookup(text))).size;
  }

  /** Embeds texts and keeps them for the engine's life (bounded by what definitions hold). */
  async pin(texts: readonly string[], abortSignal?: AbortSignal): Promise<void> {
    const vectors = await this.precise(texts, abortSignal);
    texts.forEach((text, index) => {
      this.pinned.set(text, vectors[index]!);
    });
  }

  /** Embeds texts with the precise model (one call for every text not cached). */
  async precise(texts: readonly string[], abortSignal?: AbortSignal): Promise<Float32Array[]> {
    const model = this.model;
    if (!model) throw new Error('no embedding model is configured for guardrails');
    const found = new Map<string, Float32Array>();
    for (const text of texts) {
      const vector = this.lookup(text);
      if (vector) found.set(text, vector);
    }
    const missing = [...new Set(texts.filter((text) => !found.has(text)))];
    if (missing.length > 0) {
      const { embeddings } = await embedMany(model, { values: missing, purpose: 'classification', ...(abortSignal ? { abortSignal } : {}) });
      missing.forEach((text, index) => {
        const vector = Float32Array.from(embeddings[index] ?? []);
        found.set(text, vector);
        this.remember(text, vector);
      });
    }
    return texts.map((text) => found.get(text)!);
  }

  private lookup(text: string): Float32Array | undefined {
    const pinned = this.pinned.get(text);
    if (pinned) return pinned;
    const vector = this.cache.get(text);
    if (vector) {
      this.cache.delete(text);
      this.cache.set(text, vector);
    }
    return vector;
  }

  private remember(text: string, vector: Float32Array): void {
    if (this.capacity <= 0) return;
    this.cache.set(text, vector);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
  }
}
