import { createHash } from 'node:crypto';
import type { DocumentSection } from '../parsing/parsed-document.js';
import { type ChunkLocation, locateSpan } from './locate-span.js';

export type { ChunkLocation } from './locate-span.js';

/** A span of a document's text, without its parent. */
export interface ChunkSpan {
  /** deterministic: the same document, strategy and text give the same id */
  id: string;
  text: string;
  /** UTF-16 offsets in the parsed document's text; `text === documentText.slice(start, end)` */
  start: number;
  end: number;
  tokenCount: number;
  /** SHA-256 (hex) of `text` */
  contentHash: string;
  location: ChunkLocation;
}

/**
 * One chunk to embed and index. Hierarchical chunking sets `parent`: the larger span that retrieval
 * returns in place of the child that matched.
 */
export interface Chunk extends ChunkSpan {
  parent?: ChunkSpan;
}

/** The text of one document to chunk, as the parser produced it. */
export interface ChunkingInput {
  /** the document's stable id in its data source (chunk ids derive from it) */
  documentId: string;
  text: string;
  sections: readonly DocumentSection[];
}

/**
 * Builds a chunk span over `[start, end)` of the input: its text, hash, location and id.
 *
 * @example
 * const span = makeChunkSpan(input, { start: 0, end: 120, tokenCount: 27 }, 'chunk');
 */
export function makeChunkSpan(input: ChunkingInput, range: { start: number; end: number; tokenCount: number }, role: 'chunk' | 'parent' | 'child'): ChunkSpan {
  const text = input.text.slice(range.start, range.end);
  return {
    id: createHash('sha256').update(`${input.documentId}\u0000${role}\u0000${range.start}\u0000${range.end}`).digest('hex').slice(0, 32),
    text,
    start: range.start,
    end: range.end,
    tokenCount: range.tokenCount,
    contentHash: createHash('sha256').update(text).digest('hex'),
    location: locateSpan(input.sections, range.start, range.end),
  };
}

/** Where headings, pages and sheets start: the best places to end a chunk. */
export function sectionStarts(input: ChunkingInput): Set<number> {
  return new Set(input.sections.filter((section) => section.kind !== 'row').map((section) => section.start));
}
