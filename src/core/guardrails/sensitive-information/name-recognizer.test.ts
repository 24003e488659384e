import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectNames } from './name-recognizer.js';

const names = async (text: string) => (await detectNames(text)).map((span) => span.text);

describe('name recognizer (wink-nlp part-of-speech tags + name lists + cues)', () => {
  it('finds full names with a known given name, with offsets into the text', async () => {
    const text = 'Please ask Maria Garcia to call Ahmed Khan tomorrow.';
    const spans = await detectNames(text);
    assert.deepEqual(
      spans.map((span) => span.text),
      ['Maria Garcia', 'Ahmed Khan'],
    );
    for (const span of spans) assert.equal(text.slice(span.start, span.end), span.text);
  });

  it('finds names it has never seen when a title or a cue introduces them', async () => {
    assert.deepEqual(await names('My name is Xiomara Quintanilla.'), ['Xiomara Quintanilla']);
    assert.deepEqual(await names('The letter was from Dr. Featherstonehaugh.'), ['Featherstonehaugh']);
    assert.deepEqual(await names('Regards,\nTadhg Okwuosa'), ['Tadhg Okwuosa']);
  });

  it("drops a possessive 's and leaves places, months and plain words alone", async () => {
    assert.deepEqual(await names("We borrowed Olivia's car."), ['Olivia']);
    assert.deepEqual(await names('The train to Boston leaves on Monday in March.'), []);
    assert.deepEqual(await names('The weather forecast says it will rain tomorrow afternoon.'), []);
  });
});
