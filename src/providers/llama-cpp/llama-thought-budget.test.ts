import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { llamaThoughtBudget } from './llama-thought-budget.js';

describe('llamaThoughtBudget', () => {
  it('gives low an eighth, medium a quarter and high half of maxTokens in thought tokens', () => {
    assert.deepEqual(llamaThoughtBudget('low', 800), { thoughtTokens: 100 });
    assert.deepEqual(llamaThoughtBudget('medium', 800), { thoughtTokens: 200 });
    assert.deepEqual(llamaThoughtBudget('high', 800), { thoughtTokens: 400 });
    assert.deepEqual(llamaThoughtBudget('high', 333), { thoughtTokens: 166 });
  });

  it('sets no limit for xhigh and max', () => {
    assert.deepEqual(llamaThoughtBudget('xhigh', 800), { thoughtTokens: Number.POSITIVE_INFINITY });
    assert.deepEqual(llamaThoughtBudget('max', 800), { thoughtTokens: Number.POSITIVE_INFINITY });
  });

  it('never turns thinking off with a budget of 0', () => {
    assert.deepEqual(llamaThoughtBudget('low', 3), { thoughtTokens: 1 });
  });

  it("leaves node-llama-cpp's default without an effort", () => {
    assert.equal(llamaThoughtBudget(undefined, 800), undefined);
  });
});
