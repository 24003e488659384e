import type { Chunk, ChunkingInput } from './chunk.js';
import { makeChunkSpan, sectionStarts } from './chunk.js';
import { splitByTokens } from './split-by-tokens.js';
import type { TokenCounter } from './token-counter.js';

/**
 * HIERARCHICAL: the document is cut into parent chunks of `parentMaxTokens`, and each parent into
 * child chunks of `childMaxTokens`, chunks of the same level repeating `overlapTokens`. The children
 * are what gets embedded and searched; each carries its parent, which retrieval returns instead, so
 * a precise match still brings back broad context. A child never crosses its parent's bounds.
 *
 * @example
 * const children = chunkHierarchically(input, { parentMaxTokens: 1500, childMaxTokens: 300, overlapTokens: 60 }, counter);
 * children[0].parent?.text // the 1,500-token passage the child came from
 */
export function chunkHierarchically(input: ChunkingInput, options: { parentMaxTokens: number; childMaxTokens: number; overlapTokens: number }, counter: TokenCounter): Chunk[] {
  const chunks: Chunk[] = [];
  const preferredBreaks = sectionStarts(input);
  const split = (range: { start: number; end: number }, maxTokens: number) => splitByTokens(input.text, range, { maxTokens, overlapTokens: options.overlapTokens, counter, preferredBreaks });
  const parents = split({ start: 0, end: input.text.length }, options.parentMaxTokens);
  for (const parentSpan of parents) {
    const parent = makeChunkSpan(input, parentSpan, 'parent');
    for (const childSpan of split(parentSpan, options.childMaxTokens)) {
      // the same text under two overlapping parents is two children: ids include the parent's range
      const child = makeChunkSpan(input, childSpan, 'child');
      chunks.push({ ...child, id: childId(child.id, parent.id), parent });
    }
  }
  return chunks;
}

function childId(spanId: string, parentId: string): string {
  return `${parentId.slice(0, 16)}${spanId.slice(0, 16)}`;
}
