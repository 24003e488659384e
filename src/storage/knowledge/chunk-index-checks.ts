import { OutcropError } from '../../core/errors.js';
import type { ChunkToIndex, SearchOptions } from '../../core/knowledge/index/chunk-index.js';
import { validateRetrievalFilter } from '../../core/knowledge/index/validate-retrieval-filter.js';

/** The most dimensions a knowledge base's vectors may have. */
export const maximumDimensions = 16_000;

/** Throws a `ValidationException` unless `dimensions` is a whole number from 1 to `maximumDimensions`. */
export function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > maximumDimensions) {
    throw new OutcropError('ValidationException', `A knowledge base's vectors must have 1 to ${maximumDimensions} dimensions, but ${dimensions} was given.`);
  }
}

/** Throws a `ValidationException` unless the vector has the knowledge base's dimensions and finite values. */
export function checkVector(vector: Float32Array, dimensions: number, knowledgeBaseId: string, what: string): void {
  if (!(vector instanceof Float32Array)) throw new OutcropError('ValidationException', `The ${what} must be a Float32Array.`);
  if (vector.length !== dimensions) {
    throw new OutcropError('ValidationException', `The ${what} has ${vector.length} dimensions, but knowledge base ${knowledgeBaseId} stores vectors of ${dimensions} dimensions.`);
  }
  for (const value of vector) if (!Number.isFinite(value)) throw new OutcropError('ValidationException', `The ${what} holds a value that is not a finite number.`);
}

/** Checks the chunks of one document before anything is written. */
export function checkChunks(knowledgeBaseId: string, dataSourceId: string, documentId: string, chunks: readonly ChunkToIndex[], dimensions: number): void {
  const ids = new Set<string>();
  for (const chunk of chunks) {
    if (typeof chunk.id !== 'string' || chunk.id.length === 0) throw new OutcropError('ValidationException', `Every chunk of document ${documentId} needs a non-empty id.`);
    if (ids.has(chunk.id)) throw new OutcropError('ValidationException', `Document ${documentId} has two chunks with the id ${chunk.id}.`);
    ids.add(chunk.id);
    if (chunk.knowledgeBaseId !== knowledgeBaseId || chunk.dataSourceId !== dataSourceId || chunk.documentId !== documentId) {
      throw new OutcropError(
        'ValidationException',
        `Chunk ${chunk.id} belongs to ${chunk.knowledgeBaseId}/${chunk.dataSourceId}/${chunk.documentId}, not to ${knowledgeBaseId}/${dataSourceId}/${documentId}.`,
      );
    }
    checkVector(chunk.embedding, dimensions, knowledgeBaseId, `embedding of chunk ${chunk.id}`);
  }
}

/** Checks `k`, the filter and the data-source restriction of a search. */
export function checkSearchOptions(options: SearchOptions): void {
  if (!Number.isInteger(options.k) || options.k < 1) throw new OutcropError('ValidationException', `The number of results must be a whole number of at least 1, but ${options.k} was given.`);
  if (options.filter !== undefined) validateRetrievalFilter(options.filter);
  if (options.dataSourceIds !== undefined && !Array.isArray(options.dataSourceIds)) throw new OutcropError('ValidationException', 'dataSourceIds must be a list of data source ids.');
}

/** The words of a keyword query: runs of letters and digits (everything else separates them). */
export function keywordTerms(query: string): string[] {
  return [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 64);
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index]!;
    const y = b[index]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The unknown-knowledge-base error every index throws. */
export function knowledgeBaseNotFound(knowledgeBaseId: string): OutcropError {
  return new OutcropError('ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} has no chunk index. Create the knowledge base first.`);
}
