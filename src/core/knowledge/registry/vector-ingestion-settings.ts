import { createHash } from 'node:crypto';
import { OutcropError } from '../../errors.js';
import { type ChunkingStrategy, defaultChunkingStrategy, validateChunkingStrategy } from '../chunking/chunking-strategy.js';
import type { JsonObject } from './knowledge-base-record.js';

const field = 'vectorIngestionConfiguration';

/**
 * The chunking strategy of a data source's `vectorIngestionConfiguration` (Bedrock's wire form),
 * checked against Bedrock's limits; Bedrock's default (300 tokens, 20 % overlap) when none is set.
 * Settings Outcrop does not implement are refused with a `ValidationException` naming them rather
 * than silently ignored: `parsingConfiguration` (foundation-model, Data Automation and smart
 * parsing; Outcrop always uses its built-in parsers), `customTransformationConfiguration` (Lambda)
 * and `contextEnrichmentConfiguration`.
 *
 * @example
 * chunkingStrategyOf({ chunkingConfiguration: { chunkingStrategy: 'FIXED_SIZE', fixedSizeChunkingConfiguration: { maxTokens: 200, overlapPercentage: 10 } } });
 */
export function chunkingStrategyOf(configuration: JsonObject | undefined): ChunkingStrategy {
  if (!configuration) return defaultChunkingStrategy;
  for (const unsupported of ['customTransformationConfiguration', 'contextEnrichmentConfiguration'] as const) {
    if (configuration[unsupported] !== undefined) {
      throw new OutcropError('ValidationException', `${field}.${unsupported} is not supported by this server; remove it to ingest with the built-in pipeline.`);
    }
  }
  const parsing = configuration.parsingConfiguration as { parsingStrategy?: unknown } | undefined;
  if (parsing !== undefined) {
    throw new OutcropError(
      'ValidationException',
      `${field}.parsingConfiguration (parsingStrategy ${String(parsing?.parsingStrategy)}) is not supported by this server; remove it to use the built-in parsers for PDF, DOCX, HTML, Markdown, text, CSV and XLSX.`,
    );
  }
  const chunking = configuration.chunkingConfiguration as Record<string, unknown> | undefined;
  if (chunking === undefined) return defaultChunkingStrategy;
  const strategy = strategyFrom(chunking);
  validateChunkingStrategy(strategy);
  return strategy;
}

/**
 * A hash of everything that shapes a document's chunks and vectors: the chunking strategy and the
 * embedding model. A document indexed under another hash is re-indexed by the next sync.
 */
export function configurationHashOf(strategy: ChunkingStrategy, embeddingModelArn: string, dimensions: number): string {
  return createHash('sha256').update(JSON.stringify({ strategy, embeddingModelArn, dimensions })).digest('hex').slice(0, 32);
}

function strategyFrom(chunking: Record<string, unknown>): ChunkingStrategy {
  const path = `${field}.chunkingConfiguration`;
  const member = (name: string): Record<string, unknown> => {
    const value = chunking[name];
    if (typeof value !== 'object' || value === null) {
      throw new OutcropError('ValidationException', `${path}.${name} is required when chunkingStrategy is ${String(chunking.chunkingStrategy)}.`);
    }
    return value as Record<string, unknown>;
  };
  switch (chunking.chunkingStrategy) {
    case 'FIXED_SIZE': {
      const fixed = member('fixedSizeChunkingConfiguration');
      return { type: 'FIXED_SIZE', maxTokens: fixed.maxTokens as number, overlapPercentage: fixed.overlapPercentage as number };
    }
    case 'HIERARCHICAL': {
      const hierarchical = member('hierarchicalChunkingConfiguration');
      const levels = hierarchical.levelConfigurations;
      if (!Array.isArray(levels) || levels.length !== 2) {
        throw new OutcropError('ValidationException', `${path}.hierarchicalChunkingConfiguration.levelConfigurations must hold exactly 2 levels (parent, then child).`);
      }
      const [parent, child] = levels as { maxTokens?: number }[];
      return { type: 'HIERARCHICAL', parentMaxTokens: parent?.maxTokens as number, childMaxTokens: child?.maxTokens as number, overlapTokens: hierarchical.overlapTokens as number };
    }
    case 'SEMANTIC': {
      const semantic = member('semanticChunkingConfiguration');
      return {
        type: 'SEMANTIC',
        maxTokens: semantic.maxTokens as number,
        bufferSize: semantic.bufferSize as number,
        breakpointPercentileThreshold: semantic.breakpointPercentileThreshold as number,
      };
    }
    case 'NONE':
      return { type: 'NONE' };
    default:
      throw new OutcropError('ValidationException', `${path}.chunkingStrategy must be one of FIXED_SIZE, HIERARCHICAL, SEMANTIC, NONE; got ${String(chunking.chunkingStrategy)}.`);
  }
}
