import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CitedAnswerParser, parseCitedAnswer } from './cited-answer-parser.js';

const formatted = `<answer>
<answer_part>
<text>
Basalt is a volcanic rock.
</text>
<sources>
<source>2</source>
</sources>
</answer_part>
<answer_part>
<text>
Granite  is igneous & coarse < fine? No.
</text>
<sources>
<source>1</source>
<source>3</source>
</sources>
</answer_part>
</answer>`;

describe('parseCitedAnswer', () => {
  it('keeps only the answer text and gives each part a span into it with its sources', () => {
    const parsed = parseCitedAnswer(formatted);
    assert.equal(parsed.structured, true);
    assert.equal(parsed.text, 'Basalt is a volcanic rock. Granite  is igneous & coarse < fine? No.');
    assert.deepEqual(
      parsed.citations.map((citation) => [citation.start, citation.end, citation.sources]),
      [
        [0, 25, [2]],
        [27, parsed.text.length - 1, [1, 3]],
      ],
    );
    for (const citation of parsed.citations) assert.equal(parsed.text.slice(citation.start, citation.end + 1), citation.text);
  });

  it('gives the same result however the stream is split', () => {
    const whole = parseCitedAnswer(formatted);
    for (let size = 1; size <= 12; size++) {
      const parser = new CitedAnswerParser();
      const events = [];
      for (let offset = 0; offset < formatted.length; offset += size) events.push(...parser.push(formatted.slice(offset, offset + size)));
      events.push(...parser.finish());
      const text = events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
      const citations = events.flatMap((event) => (event.type === 'citation' ? [event.citation] : []));
      assert.equal(text, whole.text, `chunks of ${size}`);
      assert.deepEqual(citations, whole.citations, `chunks of ${size}`);
    }
  });

  it('passes plain answers through unchanged and reports them unstructured', () => {
    const parsed = parseCitedAnswer('Granite is an igneous rock. 3 < 4 and <b>bold</b>.');
    assert.deepEqual(parsed, { text: 'Granite is an igneous rock. 3 < 4 and <b>bold</b>.', citations: [], structured: false });
  });

  it('closes a part the model left open, ignores bad source IDs, and drops text between tags', () => {
    const parsed = parseCitedAnswer('<answer><answer_part><text>Shale is soft.</text><sources><source>x</source><source>4</source></sources>');
    assert.equal(parsed.text, 'Shale is soft.');
    assert.deepEqual(parsed.citations, [{ start: 0, end: 13, text: 'Shale is soft.', sources: [4] }]);
  });
});
