import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatedTokens, planRuns, runCost, splitAcrossThreads } from './encoder-runs.js';

const everyIndexOnce = (groups: number[][], count: number) => assert.deepEqual(groups.flat().sort((a, b) => a - b), Array.from({ length: count }, (_, index) => index));

describe('planRuns', () => {
  it('keeps texts of similar length in one run', () => {
    const groups = planRuns([12, 14, 11, 13, 12]);
    assert.equal(groups.length, 1);
    everyIndexOnce(groups, 5);
  });

  it('gives a long text its own run rather than padding short ones to its length', () => {
    const groups = planRuns([12, 14, 11, 90]);
    assert.deepEqual(groups, [[2, 0, 1], [3]]);
    assert.ok(runCost([12, 14, 11]) + runCost([90]) < runCost([12, 14, 11, 90]));
  });

  it('finds the grouping of least total cost', () => {
    const lengths = [5, 80, 7, 40, 6, 42, 81, 8];
    const groups = planRuns(lengths);
    everyIndexOnce(groups, lengths.length);
    const total = groups.reduce((sum, group) => sum + runCost(group.map((index) => lengths[index]!)), 0);
    // No split into two consecutive groups by length beats it.
    const sorted = lengths.map((_, index) => index).sort((a, b) => lengths[a]! - lengths[b]!);
    for (let cut = 1; cut < sorted.length; cut++) {
      const two = runCost(sorted.slice(0, cut).map((index) => lengths[index]!)) + runCost(sorted.slice(cut).map((index) => lengths[index]!));
      assert.ok(total <= two + 1e-9, `cut at ${cut}: ${two} < ${total}`);
    }
    assert.ok(total <= runCost(lengths));
  });

  it('handles no text and one text', () => {
    assert.deepEqual(planRuns([]), [[]]);
    assert.deepEqual(planRuns([30]), [[0]]);
  });
});

describe('splitAcrossThreads', () => {
  it('splits a batch into parts of about equal cost, no more than the threads', () => {
    const lengths = [12, 14, 11, 13, 12, 15];
    const parts = splitAcrossThreads(lengths, 2);
    assert.equal(parts.length, 2);
    everyIndexOnce(parts, lengths.length);
    const costs = parts.map((part) => runCost(part.map((index) => lengths[index]!)));
    assert.ok(Math.max(...costs) < runCost(lengths), 'the costliest part costs less than the whole batch');
    assert.equal(splitAcrossThreads(lengths, 8).length <= lengths.length, true);
  });

  it('does not split for one thread or one text', () => {
    assert.deepEqual(splitAcrossThreads([10, 20, 30], 1), [[0, 1, 2]]);
    assert.deepEqual(splitAcrossThreads([10], 4), [[0]]);
    assert.deepEqual(splitAcrossThreads([], 2), [[]]);
  });

  it('finishes no later than any other cut of the texts sorted by length', () => {
    const lengths = [60, 8, 62, 9, 35, 14];
    const parts = splitAcrossThreads(lengths, 2);
    everyIndexOnce(parts, lengths.length);
    const makespan = Math.max(...parts.map((part) => runCost(part.map((index) => lengths[index]!))));
    const sorted = [...lengths].sort((a, b) => a - b);
    for (let cut = 1; cut < sorted.length; cut++) {
      assert.ok(makespan <= Math.max(runCost(sorted.slice(0, cut)), runCost(sorted.slice(cut))) + 1e-9, `cut at ${cut}`);
    }
    assert.ok(makespan < runCost(lengths));
  });
});

describe('estimatedTokens', () => {
  it('grows with the text', () => {
    assert.ok(estimatedTokens('a much longer sentence about the rocks of the high mountains') > estimatedTokens('granite'));
    assert.equal(estimatedTokens(''), 1);
  });
});
