import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { markdownParser } from '../parsing/markdown-parser.js';
import type { Chunk, ChunkingInput } from './chunk.js';
import { chunkDocument } from './chunk-document.js';
import { type ChunkingStrategy, defaultChunkingStrategy, validateChunkingStrategy } from './chunking-strategy.js';
import { type TokenCounter, cachedTokenCounter, loadTokenCounter } from './token-counter.js';

let tokenCounter: TokenCounter;
let input: ChunkingInput;

const sentence = (topic: string, index: number) => `The ${topic} sample ${index} was examined, measured and logged by the field team on a cold morning.`;
const section = (title: string, topic: string, count: number) =>
  `## ${title}\n\n${Array.from({ length: count }, (_, index) => sentence(topic, index)).join(' ')}\n\n${Array.from({ length: count }, (_, index) => sentence(`${topic} core`, index)).join(' ')}`;

before(async () => {
  tokenCounter = cachedTokenCounter(await loadTokenCounter());
  const markdown = `# Field report\n\n${section('Granite', 'granite', 14)}\n\n${section('Basalt', 'basalt', 10)}\n\n${section('Marble', 'marble', 18)}`;
  const document = await markdownParser.parse({ bytes: new TextEncoder().encode(markdown), fileName: 'report.md' });
  input = { documentId: 'docs/report.md', text: document.text, sections: document.sections };
});

/** Every chunk is a verbatim slice, and together the chunks cover every non-whitespace character. */
function assertReconstructs(chunks: readonly Pick<Chunk, 'text' | 'start' | 'end'>[], text: string): void {
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) {
    assert.equal(chunk.text, text.slice(chunk.start, chunk.end));
    covered.fill(1, chunk.start, chunk.end);
  }
  for (let index = 0; index < text.length; index++) {
    if (!covered[index] && /\S/.test(text[index]!)) assert.fail(`character ${index} (${JSON.stringify(text.slice(index, index + 20))}) is in no chunk`);
  }
}

describe('chunkDocument', () => {
  it('FIXED_SIZE: chunks within maxTokens whose offsets reconstruct the text, overlapping by the percentage', async () => {
    const chunks = await chunkDocument(input, { type: 'FIXED_SIZE', maxTokens: 100, overlapPercentage: 20 }, { tokenCounter });
    const headingStarts = new Set(input.sections.map((section) => section.start));
    assert.ok(chunks.length >= 10, `${chunks.length} chunks`);
    assertReconstructs(chunks, input.text);
    for (const [index, chunk] of chunks.entries()) {
      assert.ok(tokenCounter.count(chunk.text) <= 100);
      assert.equal(chunk.tokenCount, tokenCounter.count(chunk.text));
      assert.match(chunk.contentHash, /^[0-9a-f]{64}$/);
      const previous = chunks[index - 1];
      if (!previous) continue;
      if (headingStarts.has(chunk.start)) assert.ok(chunk.start >= previous.end, 'a chunk that starts a section repeats nothing before it');
      else assert.ok(chunk.start < previous.end, 'consecutive chunks overlap');
    }
    assert.ok(chunks.filter((chunk) => headingStarts.has(chunk.start)).length >= 3, 'chunks end before headings');
    assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, chunks.length);
  });

  it('gives each chunk the headings it starts under', async () => {
    const chunks = await chunkDocument(input, { type: 'FIXED_SIZE', maxTokens: 100, overlapPercentage: 10 }, { tokenCounter });
    assert.deepEqual(chunks[0]?.location, { headings: ['Field report'] });
    const basaltHeading = input.text.indexOf('Basalt\n');
    const basalt = chunks.find((chunk) => chunk.start >= basaltHeading && chunk.text.includes('basalt sample 3 '));
    assert.deepEqual(basalt?.location, { headings: ['Field report', 'Basalt'] });
  });

  it('is deterministic: the same input gives the same ids and hashes', async () => {
    const first = await chunkDocument(input, defaultChunkingStrategy, { tokenCounter });
    const second = await chunkDocument(input, defaultChunkingStrategy, { tokenCounter });
    assert.deepEqual(first, second);
    const other = await chunkDocument({ ...input, documentId: 'other.md' }, defaultChunkingStrategy, { tokenCounter });
    assert.notEqual(other[0]?.id, first[0]?.id);
    assert.equal(other[0]?.contentHash, first[0]?.contentHash);
  });

  it('HIERARCHICAL: children within maxTokens, inside their parents, carrying the parent text', async () => {
    const chunks = await chunkDocument(input, { type: 'HIERARCHICAL', parentMaxTokens: 300, childMaxTokens: 60, overlapTokens: 10 }, { tokenCounter });
    const parents = new Map(chunks.map((chunk) => [chunk.parent!.id, chunk.parent!]));
    assert.ok(parents.size >= 3 && parents.size < chunks.length / 3, `${parents.size} parents, ${chunks.length} children`);
    assertReconstructs([...parents.values()], input.text);
    assertReconstructs(chunks, input.text);
    for (const child of chunks) {
      const parent = child.parent!;
      assert.ok(parent.start <= child.start && child.end <= parent.end, 'a child lies inside its parent');
      assert.ok(parent.text.includes(child.text));
      assert.equal(parent.text, input.text.slice(parent.start, parent.end));
      assert.ok(tokenCounter.count(child.text) <= 60);
      assert.ok(tokenCounter.count(parent.text) <= 300);
    }
    for (const parent of parents.values()) {
      const children = chunks.filter((chunk) => chunk.parent!.id === parent.id);
      assertReconstructs(
        children.map((child) => ({ ...child, start: child.start - parent.start, end: child.end - parent.start })),
        parent.text,
      );
    }
    assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, chunks.length);
  });

  it('NONE: one chunk with the whole text; an empty document gives none', async () => {
    const [only, ...rest] = await chunkDocument(input, { type: 'NONE' }, { tokenCounter });
    assert.equal(rest.length, 0);
    assert.equal(only?.text, input.text);
    assert.deepEqual([only?.start, only?.end], [0, input.text.length]);
    assert.deepEqual(await chunkDocument({ ...input, text: '  ', sections: [] }, { type: 'NONE' }, { tokenCounter }), []);
  });

  it('SEMANTIC needs an embedding model', async () => {
    await assert.rejects(chunkDocument(input, { type: 'SEMANTIC', maxTokens: 100, bufferSize: 0, breakpointPercentileThreshold: 95 }, { tokenCounter }), {
      name: 'ValidationException',
      message: /needs the knowledge base's embedding model/,
    });
  });
});

describe('validateChunkingStrategy', () => {
  const invalid = (strategy: ChunkingStrategy, message: RegExp) => assert.throws(() => validateChunkingStrategy(strategy), { name: 'ValidationException', message });

  it('accepts Bedrock\'s ranges and refuses values outside them, naming the field', () => {
    validateChunkingStrategy(defaultChunkingStrategy);
    validateChunkingStrategy({ type: 'SEMANTIC', maxTokens: 300, bufferSize: 1, breakpointPercentileThreshold: 95 });
    invalid({ type: 'FIXED_SIZE', maxTokens: 0, overlapPercentage: 20 }, /Value '0' at 'vectorIngestionConfiguration\.chunkingConfiguration\.fixedSizeChunkingConfiguration\.maxTokens' .* between 1 and 8192/);
    invalid({ type: 'FIXED_SIZE', maxTokens: 300, overlapPercentage: 100 }, /overlapPercentage/);
    invalid({ type: 'SEMANTIC', maxTokens: 300, bufferSize: 2, breakpointPercentileThreshold: 95 }, /bufferSize/);
    invalid({ type: 'SEMANTIC', maxTokens: 300, bufferSize: 0, breakpointPercentileThreshold: 40 }, /breakpointPercentileThreshold/);
  });

  it('checks the hierarchical levels against each other', () => {
    validateChunkingStrategy({ type: 'HIERARCHICAL', parentMaxTokens: 1500, childMaxTokens: 300, overlapTokens: 60 });
    invalid({ type: 'HIERARCHICAL', parentMaxTokens: 200, childMaxTokens: 300, overlapTokens: 60 }, /child chunk size \(300 tokens\) must not exceed the parent chunk size \(200 tokens\)/);
    invalid({ type: 'HIERARCHICAL', parentMaxTokens: 1500, childMaxTokens: 300, overlapTokens: 300 }, /overlapTokens \(300\) must be smaller/);
    invalid({ type: 'HIERARCHICAL', parentMaxTokens: 9000, childMaxTokens: 300, overlapTokens: 60 }, /levelConfigurations\[0\]\.maxTokens/);
  });
});
