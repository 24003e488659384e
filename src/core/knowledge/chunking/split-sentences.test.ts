import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSentences } from './split-sentences.js';

describe('splitSentences', () => {
  it('splits on sentence ends and line breaks, keeping abbreviations and initials inside sentences', () => {
    const text = '  Granite is igneous. Is basalt? Yes! Dr. Smith saw it, e.g. Hawaii has lava. J. R. R. Tolkien wrote.\n# Heading\nSee Fig. 3 for more';
    assert.deepEqual(
      splitSentences(text).map((span) => text.slice(span.start, span.end)),
      ['Granite is igneous.', 'Is basalt?', 'Yes!', 'Dr. Smith saw it, e.g. Hawaii has lava.', 'J. R. R. Tolkien wrote.', '# Heading', 'See Fig. 3 for more'],
    );
  });

  it('reports offsets within a range of a larger text', () => {
    const text = 'ignored. First one. Second one. ignored';
    assert.deepEqual(splitSentences(text, { start: 9, end: 31 }), [
      { start: 9, end: 19 },
      { start: 20, end: 31 },
    ]);
  });
});
