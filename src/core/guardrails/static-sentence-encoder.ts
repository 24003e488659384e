import { lazily, readGuardrailData } from './guardrail-data-files.js';
import { SubwordTokenizer } from './subword-tokenizer.js';

interface StaticEmbeddingTable {
  dimensions: number;
  pieces: string[];
  logProbabilities: number[];
  scales: number[];
  vectors: string;
}

/**
 * A sentence encoder with no model run: the built-in encoder distilled into one vector per subword
 * piece (`scripts/build-static-embeddings.ts`), pooled with SIF weights (rare pieces count more,
 * Arora et al. 2017) and normalized. Microseconds a sentence; guardrails use it to clear the bulk of
 * a text quickly and send only what it cannot clear to the real encoder.
 *
 * @example
 * const encoder = await loadStaticSentenceEncoder();
 * const vector = encoder.encode('granite is an igneous rock');
 */
export interface StaticSentenceEncoder {
  readonly dimensions: number;
  /** a unit vector; shared with later calls for the same text, so callers must not modify it */
  encode(text: string): Float32Array;
}

const smoothing = 1e-4;

export const loadStaticSentenceEncoder = lazily(async (): Promise<StaticSentenceEncoder> => {
  const table = await readGuardrailData<StaticEmbeddingTable>('static-embeddings.json');
  const { dimensions } = table;
  const quantized = new Int8Array(Buffer.from(table.vectors, 'base64').buffer.slice(0));
  const rows = new Float32Array(quantized.length);
  table.scales.forEach((scale, row) => {
    const weight = smoothing / (smoothing + Math.exp(table.logProbabilities[row] ?? -20));
    for (let column = 0; column < dimensions; column++) rows[row * dimensions + column] = quantized[row * dimensions + column]! * scale * weight;
  });
  const tokenizer = new SubwordTokenizer(table.pieces, table.logProbabilities);
  // Content filters and denied topics encode the same units in one evaluation; keep recent vectors.
  const recent = new Map<string, Float32Array>();
  return {
    dimensions,
    encode(text: string): Float32Array {
      const known = recent.get(text);
      if (known) return known;
      const vector = new Float32Array(dimensions);
      for (const id of tokenizer.encode(text)) {
        const offset = id * dimensions;
        for (let column = 0; column < dimensions; column++) vector[column]! += rows[offset + column]!;
      }
      let norm = 0;
      for (let column = 0; column < dimensions; column++) norm += vector[column]! * vector[column]!;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let column = 0; column < dimensions; column++) vector[column]! /= norm;
      if (recent.size >= 4096) recent.clear();
      recent.set(text, vector);
      return vector;
    },
  };
});
