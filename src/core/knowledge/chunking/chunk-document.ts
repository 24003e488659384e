import { OutcropError } from '../../errors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { Chunk, ChunkingInput } from './chunk.js';
import { makeChunkSpan } from './chunk.js';
import type { ChunkingStrategy } from './chunking-strategy.js';
import { chunkFixedSize } from './fixed-size-chunker.js';
import { chunkHierarchically } from './hierarchical-chunker.js';
import { chunkSemantically } from './semantic-chunker.js';
import type { TokenCounter } from './token-counter.js';

export interface ChunkingDependencies {
  tokenCounter: TokenCounter;
  /** needed by SEMANTIC only: the knowledge base's embedding model */
  embeddingModel?: EmbeddingModel;
  abortSignal?: AbortSignal;
}

/**
 * Cuts one parsed document into chunks with the data source's strategy. Every chunk's `text` is
 * exactly `input.text.slice(start, end)`; an empty document gives no chunks.
 *
 * @example
 * const chunks = await chunkDocument({ documentId, text, sections }, defaultChunkingStrategy, { tokenCounter });
 */
export async function chunkDocument(input: ChunkingInput, strategy: ChunkingStrategy, dependencies: ChunkingDependencies): Promise<Chunk[]> {
  if (!input.text.trim()) return [];
  switch (strategy.type) {
    case 'FIXED_SIZE':
      return chunkFixedSize(input, strategy, dependencies.tokenCounter);
    case 'HIERARCHICAL':
      return chunkHierarchically(input, strategy, dependencies.tokenCounter);
    case 'SEMANTIC': {
      if (!dependencies.embeddingModel) throw new OutcropError('ValidationException', 'SEMANTIC chunking needs the knowledge base\'s embedding model.');
      return chunkSemantically(input, strategy, {
        counter: dependencies.tokenCounter,
        embeddingModel: dependencies.embeddingModel,
        ...(dependencies.abortSignal ? { abortSignal: dependencies.abortSignal } : {}),
      });
    }
    case 'NONE': {
      const start = input.text.length - input.text.trimStart().length;
      const end = input.text.trimEnd().length;
      return [makeChunkSpan(input, { start, end, tokenCount: dependencies.tokenCounter.count(input.text.slice(start, end)) }, 'chunk')];
    }
  }
}
