import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeCitations } from './attribute-citations.js';

const results = [
  'Granite is a coarse-grained igneous rock made of quartz and feldspar.',
  'Basalt is a fine-grained volcanic rock that forms from rapidly cooling lava.',
  'Shale is a sedimentary rock formed from compacted mud and clay.',
];

describe('attributeCitations', () => {
  it('cites each sentence to the results holding its words, with spans into the answer', () => {
    const answer = 'Basalt forms from cooling lava.  Granite contains quartz and feldspar. I like rocks a lot!';
    const citations = attributeCitations(answer, results);
    assert.deepEqual(
      citations.map((citation) => citation.sources),
      [[2], [1], []],
    );
    for (const citation of citations) assert.equal(answer.slice(citation.start, citation.end + 1), citation.text);
    assert.equal(citations[1]?.text, 'Granite contains quartz and feldspar.');
  });

  it('merges neighbouring sentences with the same sources', () => {
    const answer = 'Shale is sedimentary. It forms from compacted mud and clay.';
    const citations = attributeCitations(answer, results);
    assert.equal(citations.length, 1);
    assert.deepEqual(citations[0], { start: 0, end: answer.length - 1, text: answer, sources: [3] });
  });

  it('gives nothing for an empty answer', () => {
    assert.deepEqual(attributeCitations('', results), []);
  });
});
