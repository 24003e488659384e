import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePostProcessingResponse, parsePreProcessingResponse } from './processing-parsers.js';

describe('parsePreProcessingResponse', () => {
  it('accepts categories D and E, with the thinking as rationale', () => {
    assert.deepEqual(parsePreProcessingResponse('<thinking>A forecast question.</thinking>\n<category>D</category>'), { isValid: true, rationale: 'A forecast question.', category: 'D' });
    assert.deepEqual(parsePreProcessingResponse('<thinking>Answers the question asked.</thinking><category> e </category>'), { isValid: true, rationale: 'Answers the question asked.', category: 'E' });
  });

  it('rejects categories A, B and C', () => {
    for (const letter of ['A', 'B', 'C']) {
      const parsed = parsePreProcessingResponse(`<thinking>why</thinking><category>${letter}</category>`);
      assert.equal(parsed.isValid, false, letter);
      assert.equal(parsed.category, letter);
    }
  });

  it('reads the first category tag only, and tolerates spaces inside tags', () => {
    assert.equal(parsePreProcessingResponse('< category >C</ category > then <category>D</category>').isValid, false);
  });

  it('reads an answer that is only the category letter', () => {
    assert.equal(parsePreProcessingResponse('D').isValid, true);
    assert.equal(parsePreProcessingResponse(' Category: E. ').isValid, true);
    assert.equal(parsePreProcessingResponse('category b').isValid, false);
  });

  it('treats an answer without a readable category as invalid', () => {
    assert.deepEqual(parsePreProcessingResponse('I think this is fine.'), { isValid: false });
    assert.deepEqual(parsePreProcessingResponse('Definitely category D because it asks about weather.'), { isValid: false });
  });

  it('falls back to the text around the category tag for the rationale', () => {
    assert.deepEqual(parsePreProcessingResponse('It asks about the weather.\n<category>D</category>'), { isValid: true, rationale: 'It asks about the weather.', category: 'D' });
  });
});

describe('parsePostProcessingResponse', () => {
  it('takes the text inside final_response', () => {
    assert.equal(parsePostProcessingResponse('Sure.\n<final_response>\nIt is sunny.\n</final_response> trailing'), 'It is sunny.');
    assert.equal(parsePostProcessingResponse('< final_response >Spaced tags.</ final_response >'), 'Spaced tags.');
  });

  it('reads to the end when the closing tag is missing (a stop sequence cut it)', () => {
    assert.equal(parsePostProcessingResponse('<final_response>Cut short'), 'Cut short');
  });

  it('uses the whole answer when there is no tag', () => {
    assert.equal(parsePostProcessingResponse('  Plain answer. '), 'Plain answer.');
  });
});
