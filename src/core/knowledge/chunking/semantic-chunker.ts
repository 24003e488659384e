import { cosine } from '../../guardrails/vectors.js';
import { embedMany } from '../../inference/embed-many.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { Chunk, ChunkingInput } from './chunk.js';
import { makeChunkSpan } from './chunk.js';
import { type TokenSpan, splitByTokens } from './split-by-tokens.js';
import { splitSentences } from './split-sentences.js';
import type { TokenCounter } from './token-counter.js';

export interface SemanticChunkingOptions {
  maxTokens: number;
  /** sentences on each side embedded with each sentence (0 or 1), to smooth out short sentences */
  bufferSize: number;
  /** a chunk ends where the distance to the next sentence is above this percentile of all distances */
  breakpointPercentileThreshold: number;
}

export interface SemanticChunkingDependencies {
  counter: TokenCounter;
  embeddingModel: EmbeddingModel;
  abortSignal?: AbortSignal;
}

/**
 * SEMANTIC: splits the text into sentences, embeds each with `bufferSize` neighbours on each side,
 * and ends a chunk wherever the cosine distance between consecutive sentences is above the
 * `breakpointPercentileThreshold` percentile of the document's distances, i.e. where the topic
 * changes. A group larger than `maxTokens` is cut further at sentence boundaries.
 *
 * @example
 * const chunks = await chunkSemantically(input, { maxTokens: 300, bufferSize: 0, breakpointPercentileThreshold: 95 }, { counter, embeddingModel });
 */
export async function chunkSemantically(input: ChunkingInput, options: SemanticChunkingOptions, dependencies: SemanticChunkingDependencies): Promise<Chunk[]> {
  const { text } = input;
  const sentences = splitSentences(text);
  const groups: { first: number; last: number }[] = [];
  if (sentences.length <= 2) {
    if (sentences.length > 0) groups.push({ first: 0, last: sentences.length - 1 });
  } else {
    const buffer = Math.max(0, options.bufferSize);
    const windows = sentences.map((_, index) => {
      const from = sentences[Math.max(0, index - buffer)]!;
      const to = sentences[Math.min(sentences.length - 1, index + buffer)]!;
      return text.slice(from.start, to.end);
    });
    const { embeddings } = await embedMany(dependencies.embeddingModel, { values: windows, purpose: 'clustering', ...(dependencies.abortSignal ? { abortSignal: dependencies.abortSignal } : {}) });
    const distances = embeddings.slice(1).map((vector, index) => 1 - cosine(embeddings[index]!, vector));
    const threshold = percentile(distances, options.breakpointPercentileThreshold);
    let first = 0;
    distances.forEach((distance, index) => {
      if (distance > threshold) {
        groups.push({ first, last: index });
        first = index + 1;
      }
    });
    groups.push({ first, last: sentences.length - 1 });
  }

  const spans: TokenSpan[] = [];
  for (const group of groups) {
    const range = { start: sentences[group.first]!.start, end: sentences[group.last]!.end };
    const tokenCount = dependencies.counter.count(text.slice(range.start, range.end));
    if (tokenCount <= options.maxTokens) spans.push({ ...range, tokenCount });
    else spans.push(...splitByTokens(text, range, { maxTokens: options.maxTokens, overlapTokens: 0, counter: dependencies.counter }));
  }
  return spans.map((span) => makeChunkSpan(input, span, 'chunk'));
}

/** The p-th percentile with linear interpolation between closest ranks (NumPy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const fraction = rank - lower;
  const low = sorted[lower] ?? 0;
  return low + ((sorted[Math.min(lower + 1, sorted.length - 1)] ?? low) - low) * fraction;
}
