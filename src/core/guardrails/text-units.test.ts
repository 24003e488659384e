import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitIntoUnits } from './text-units.js';

describe('text units', () => {
  it('splits sentences and keeps offsets into the original text', () => {
    const text = 'The river rose overnight after the storm.  Residents were told to leave their homes! Did everyone get out in time?';
    const units = splitIntoUnits(text);
    assert.equal(units.length, 3);
    for (const unit of units) assert.equal(text.slice(unit.start, unit.end), unit.text);
  });

  it('merges short fragments into a neighbour', () => {
    const units = splitIntoUnits('Hi. How are you doing today, my friend?');
    assert.equal(units.length, 1);
  });

  it('cuts very long sentences into 40-word windows', () => {
    const text = Array.from({ length: 130 }, (_, index) => `word${index}`).join(' ');
    const units = splitIntoUnits(text);
    assert.equal(units.length, 4);
    assert.equal(units[0]!.text.split(' ').length, 40);
    for (const unit of units) assert.equal(text.slice(unit.start, unit.end), unit.text);
  });

  it('returns nothing for blank text', () => {
    assert.deepEqual(splitIntoUnits('  \n '), []);
  });
});
