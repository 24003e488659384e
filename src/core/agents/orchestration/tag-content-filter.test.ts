import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePostProcessingResponse } from './processing-parsers.js';
import { TagContentFilter } from './tag-content-filter.js';

function run(text: string, size: number): { pieces: string[]; whole: string } {
  const filter = new TagContentFilter('final_response');
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(filter.push(text.slice(index, index + size)));
  pieces.push(filter.end());
  return { pieces: pieces.filter(Boolean), whole: pieces.join('') };
}

describe('TagContentFilter', () => {
  it('lets through only the tag content, as it arrives, whatever the delta size', () => {
    const text = 'Preamble that must not show.\n<final_response>\nOslo will be sunny. Take a hat.\n</final_response> trailing words';
    for (const size of [1, 2, 3, 5, 8, 13, 200]) {
      const { whole } = run(text, size);
      assert.equal(whole, parsePostProcessingResponse(text), `delta size ${size}`);
    }
    assert.ok(run(text, 4).pieces.length > 3, 'released in several pieces');
  });

  it('holds back what could be the closing tag and trailing whitespace, and releases a lone "<" that is not', () => {
    const filter = new TagContentFilter('final_response');
    assert.equal(filter.push('<final_response>a <'), 'a');
    assert.equal(filter.push('b and </final'), ' <b and');
    assert.equal(filter.push('_response>'), '');
    assert.equal(filter.end(), '');
  });

  it('releases the whole text at the end when there is no tag, and the content when the closing tag is missing', () => {
    assert.equal(run('  No tags here.  ', 3).whole, 'No tags here.');
    assert.equal(run('<final_response>Cut short', 3).whole, 'Cut short');
  });
});
