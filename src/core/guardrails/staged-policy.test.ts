import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseCandidates } from './staged-policy.js';

describe('chooseCandidates', () => {
  it('takes each policy’s most suspicious unit in turns, up to the budget', () => {
    const content = [
      { text: 'a', priority: 0.1 },
      { text: 'b', priority: 0.9 },
      { text: 'c', priority: 0.5 },
    ];
    const topics = [
      { text: 'x', priority: 0.2 },
      { text: 'y', priority: 0.3 },
    ];
    assert.deepEqual(chooseCandidates([content, topics], 3, new Set()), ['b', 'y', 'c']);
    assert.deepEqual(chooseCandidates([content, topics], 10, new Set()), ['b', 'y', 'c', 'x', 'a']);
  });

  it('gives a unit both policies want one slot, and the freed turn to the next unit', () => {
    const content = [
      { text: 'shared', priority: 0.9 },
      { text: 'c', priority: 0.5 },
    ];
    const topics = [
      { text: 'shared', priority: 0.8 },
      { text: 't', priority: 0.4 },
    ];
    assert.deepEqual(chooseCandidates([content, topics], 3, new Set()), ['shared', 't', 'c']);
  });

  it('skips texts that are embedded anyway, and lets another policy use slots one does not need', () => {
    const content = [{ text: 'claim', priority: 0.9 }];
    const topics = [
      { text: 'p', priority: 0.7 },
      { text: 'q', priority: 0.6 },
      { text: 'r', priority: 0.5 },
    ];
    assert.deepEqual(chooseCandidates([content, topics], 2, new Set(['claim'])), ['p', 'q']);
    assert.deepEqual(chooseCandidates([content, topics], 0, new Set()), []);
  });
});
