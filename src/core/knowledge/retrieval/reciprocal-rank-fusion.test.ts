import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuseByReciprocalRank } from './reciprocal-rank-fusion.js';

describe('fuseByReciprocalRank', () => {
  it('ranks items found by both lists above items found by one', () => {
    const fused = fuseByReciprocalRank([['a', 'b', 'c'], ['b', 'd', 'c']], (id) => id);
    assert.deepEqual(
      fused.map((item) => item.item),
      ['b', 'c', 'a', 'd'],
    );
    assert.ok(Math.abs((fused[0]?.fusedScore ?? 0) - (1 / 62 + 1 / 61)) < 1e-12);
  });

  it('normalizes by the best possible sum: first in every list scores 1', () => {
    const fused = fuseByReciprocalRank([['x', 'y'], ['x']], (id) => id);
    assert.equal(fused[0]?.item, 'x');
    assert.equal(fused[0]?.score, 1);
    assert.ok((fused[1]?.score ?? 1) < 0.5);
  });

  it('breaks ties by first appearance and honours the constant', () => {
    const fused = fuseByReciprocalRank([['a'], ['b']], (id) => id, 1);
    assert.deepEqual(
      fused.map((item) => [item.item, item.fusedScore]),
      [
        ['a', 0.5],
        ['b', 0.5],
      ],
    );
  });

  it('returns nothing for empty lists', () => {
    assert.deepEqual(fuseByReciprocalRank([[], []], (id: string) => id), []);
  });
});
