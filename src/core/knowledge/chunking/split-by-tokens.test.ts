import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { splitByTokens } from './split-by-tokens.js';
import { type TokenCounter, cachedTokenCounter, loadTokenCounter } from './token-counter.js';

let counter: TokenCounter;
before(async () => {
  counter = cachedTokenCounter(await loadTokenCounter());
});

const paragraph = (topic: string, sentences: number) =>
  Array.from({ length: sentences }, (_, index) => `The ${topic} sample number ${index + 1} was examined, measured and logged by the field team.`).join(' ');

describe('splitByTokens', () => {
  it('keeps every span within maxTokens as the tokenizer counts the span itself', () => {
    const text = [paragraph('granite', 12), paragraph('basalt', 9), paragraph('marble', 15)].join('\n\n');
    const spans = splitByTokens(text, { start: 0, end: text.length }, { maxTokens: 64, overlapTokens: 12, counter });
    assert.ok(spans.length > 5);
    for (const span of spans) {
      const piece = text.slice(span.start, span.end);
      assert.ok(counter.count(piece) <= 64, `${counter.count(piece)} tokens: ${piece}`);
      assert.equal(piece, piece.trim());
    }
  });

  it('covers the whole text, each span starting within the previous one by about the overlap', () => {
    const text = paragraph('granite', 30);
    const spans = splitByTokens(text, { start: 0, end: text.length }, { maxTokens: 50, overlapTokens: 10, counter });
    assert.equal(spans[0]?.start, 0);
    assert.equal(spans.at(-1)?.end, text.length);
    for (let index = 1; index < spans.length; index++) {
      const previous = spans[index - 1]!;
      const span = spans[index]!;
      assert.ok(span.start > previous.start && span.start < previous.end, 'overlaps the previous span and moves forward');
      const repeated = counter.count(text.slice(span.start, previous.end));
      assert.ok(repeated >= 4 && repeated <= 11, `repeats ${repeated} tokens`);
    }
  });

  it('cuts at paragraph breaks, then sentence ends, rather than mid-sentence', () => {
    const text = `${paragraph('granite', 2)}\n\n${paragraph('basalt', 2)}`;
    const spans = splitByTokens(text, { start: 0, end: text.length }, { maxTokens: 45, overlapTokens: 0, counter });
    assert.deepEqual(
      spans.map((span) => text.slice(span.start, span.end)),
      [
        'The granite sample number 1 was examined, measured and logged by the field team. The granite sample number 2 was examined, measured and logged by the field team.',
        'The basalt sample number 1 was examined, measured and logged by the field team. The basalt sample number 2 was examined, measured and logged by the field team.',
      ],
    );
    const sentences = paragraph('granite', 5);
    for (const span of splitByTokens(sentences, { start: 0, end: sentences.length }, { maxTokens: 40, overlapTokens: 0, counter })) {
      assert.ok(sentences.slice(span.start, span.end).endsWith('team.'));
    }
  });

  it('cuts a word longer than maxTokens inside it, and stays within a range', () => {
    const blob = 'x9'.repeat(400);
    const text = `before ${blob} after`;
    const spans = splitByTokens(text, { start: 7, end: 7 + blob.length }, { maxTokens: 20, overlapTokens: 0, counter });
    assert.equal(spans.map((span) => text.slice(span.start, span.end)).join(''), blob);
    for (const span of spans) assert.ok(counter.count(text.slice(span.start, span.end)) <= 20);
  });
});
