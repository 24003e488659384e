import { OutcropError } from '../../errors.js';

/**
 * How documents are cut into chunks: Bedrock's four strategies, with the same parameters as its
 * `ChunkingConfiguration` (the hierarchical levels named rather than listed).
 */
export type ChunkingStrategy =
  /** pieces of at most `maxTokens`, each repeating `overlapPercentage` % of `maxTokens` from the previous one */
  | { type: 'FIXED_SIZE'; maxTokens: number; overlapPercentage: number }
  /** parent chunks of `parentMaxTokens`, each cut into child chunks of `childMaxTokens`; children are embedded, parents returned */
  | { type: 'HIERARCHICAL'; parentMaxTokens: number; childMaxTokens: number; overlapTokens: number }
  /** sentences grouped where the embedding distance between neighbours stays under the percentile threshold */
  | { type: 'SEMANTIC'; maxTokens: number; bufferSize: number; breakpointPercentileThreshold: number }
  /** one chunk per document */
  | { type: 'NONE' };

/** Bedrock's default when a data source sets no chunking: 300 tokens with 20 % overlap. */
export const defaultChunkingStrategy: ChunkingStrategy = { type: 'FIXED_SIZE', maxTokens: 300, overlapPercentage: 20 };

/**
 * Checks a strategy's parameters against Bedrock's limits and the rules between them (a child no
 * larger than its parent, overlap smaller than the chunk), with `ValidationException`s that name the
 * field as Bedrock's API does.
 *
 * @example
 * validateChunkingStrategy({ type: 'FIXED_SIZE', maxTokens: 300, overlapPercentage: 20 });
 */
export function validateChunkingStrategy(strategy: ChunkingStrategy): void {
  const field = 'vectorIngestionConfiguration.chunkingConfiguration';
  switch (strategy.type) {
    case 'FIXED_SIZE':
      checkInteger(strategy.maxTokens, 1, 8192, `${field}.fixedSizeChunkingConfiguration.maxTokens`);
      checkInteger(strategy.overlapPercentage, 1, 99, `${field}.fixedSizeChunkingConfiguration.overlapPercentage`);
      return;
    case 'HIERARCHICAL': {
      const levels = `${field}.hierarchicalChunkingConfiguration.levelConfigurations`;
      checkInteger(strategy.parentMaxTokens, 1, 8192, `${levels}[0].maxTokens`);
      checkInteger(strategy.childMaxTokens, 1, 8192, `${levels}[1].maxTokens`);
      checkInteger(strategy.overlapTokens, 1, 8192, `${field}.hierarchicalChunkingConfiguration.overlapTokens`);
      if (strategy.childMaxTokens > strategy.parentMaxTokens) {
        throw new OutcropError('ValidationException', `The child chunk size (${strategy.childMaxTokens} tokens) must not exceed the parent chunk size (${strategy.parentMaxTokens} tokens).`);
      }
      if (strategy.overlapTokens >= strategy.childMaxTokens) {
        throw new OutcropError('ValidationException', `overlapTokens (${strategy.overlapTokens}) must be smaller than the child chunk size (${strategy.childMaxTokens} tokens).`);
      }
      return;
    }
    case 'SEMANTIC':
      checkInteger(strategy.maxTokens, 1, 8192, `${field}.semanticChunkingConfiguration.maxTokens`);
      checkInteger(strategy.bufferSize, 0, 1, `${field}.semanticChunkingConfiguration.bufferSize`);
      checkInteger(strategy.breakpointPercentileThreshold, 50, 99, `${field}.semanticChunkingConfiguration.breakpointPercentileThreshold`);
      return;
    case 'NONE':
      return;
  }
}

function checkInteger(value: number, minimum: number, maximum: number, path: string): void {
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new OutcropError('ValidationException', `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must be an integer between ${minimum} and ${maximum}`);
  }
}
