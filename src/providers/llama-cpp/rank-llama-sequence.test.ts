import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankLlamaSequence } from './rank-llama-sequence.js';

describe('rankLlamaSequence', () => {
  it('ranks a continued conversation above an empty sequence, and that above another conversation', () => {
    const continued = rankLlamaSequence({ held: 60, shared: 56 }, 80);
    const longerContinued = rankLlamaSequence({ held: 200, shared: 190 }, 210);
    const empty = rankLlamaSequence({ held: 0, shared: 0 }, 80);
    const other = rankLlamaSequence({ held: 330, shared: 9 }, 267);
    assert.ok(longerContinued > continued && continued > empty && empty > other);
  });

  it('counts a prompt half made of the cached tokens as a continuation, even when the cache held more', () => {
    assert.ok(rankLlamaSequence({ held: 1000, shared: 60 }, 100) > rankLlamaSequence({ held: 0, shared: 0 }, 100));
    assert.equal(rankLlamaSequence({ held: 1000, shared: 40 }, 100), 0);
  });
});
