import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextBatch } from './stream-batches.js';

describe('nextBatch', () => {
  it('waits for a full batch unless the text is final', () => {
    assert.equal(nextBatch('Short text.', 100, false), undefined);
    assert.equal(nextBatch('Short text.', 100, true), 'Short text.');
    assert.equal(nextBatch('', 100, true), undefined);
  });

  it('cuts at the last sentence end in the second half of the batch', () => {
    assert.equal(nextBatch('First sentence here. Second one is still going on', 30, false), 'First sentence here. ');
  });

  it('looks past the batch size for a sentence end before splitting a sentence', () => {
    assert.equal(nextBatch('Keep the secret safe. More', 15, false), 'Keep the secret safe. ');
    assert.equal(nextBatch('one two three four', 12, false), undefined, 'waits for a sentence end');
    assert.equal(nextBatch('one two three four', 12, true), 'one two three four');
  });

  it('falls back to whitespace, then to the exact size, past twice the batch size', () => {
    assert.equal(nextBatch('one two three four five six seven', 12, false), 'one two ');
    assert.equal(nextBatch('abcdefghijklmnopqrstuvwxyz', 8, false), 'abcdefgh');
  });
});
