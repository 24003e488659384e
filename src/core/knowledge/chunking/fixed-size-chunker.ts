import type { Chunk, ChunkingInput } from './chunk.js';
import { makeChunkSpan, sectionStarts } from './chunk.js';
import { splitByTokens } from './split-by-tokens.js';
import type { TokenCounter } from './token-counter.js';

/**
 * FIXED_SIZE: chunks of at most `maxTokens`, each beginning `overlapPercentage` % of `maxTokens`
 * before the previous one ended, cut at paragraph, line, sentence or word boundaries.
 *
 * @example
 * const chunks = chunkFixedSize(input, { maxTokens: 300, overlapPercentage: 20 }, counter);
 */
export function chunkFixedSize(input: ChunkingInput, options: { maxTokens: number; overlapPercentage: number }, counter: TokenCounter): Chunk[] {
  const overlapTokens = Math.floor((options.maxTokens * options.overlapPercentage) / 100);
  const preferredBreaks = sectionStarts(input);
  return splitByTokens(input.text, { start: 0, end: input.text.length }, { maxTokens: options.maxTokens, overlapTokens, counter, preferredBreaks }).map((span) =>
    makeChunkSpan(input, span, 'chunk'),
  );
}
