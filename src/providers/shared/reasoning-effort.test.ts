import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Warning } from '../../core/inference/language-model.js';
import { clampReasoningEffort, reasoningTokenBudget } from './reasoning-effort.js';

describe('clampReasoningEffort', () => {
  it('keeps a level the backend has, without a warning', () => {
    const warnings: Warning[] = [];
    assert.equal(clampReasoningEffort('medium', ['low', 'medium', 'high'], "Ollama's think", warnings), 'medium');
    assert.equal(clampReasoningEffort('max', ['low', 'medium', 'high', 'xhigh', 'max'], "OpenAI's reasoning_effort", warnings), 'max');
    assert.deepEqual(warnings, []);
  });

  it('sends the highest level below one the backend lacks, and says so', () => {
    const warnings: Warning[] = [];
    assert.equal(clampReasoningEffort('max', ['low', 'medium', 'high'], "The backend's reasoning_effort", warnings), 'high');
    assert.equal(clampReasoningEffort('max', ['low', 'medium', 'high', 'xhigh'], "Mistral's reasoning_effort", warnings), 'xhigh');
    assert.deepEqual(warnings, [
      { setting: 'reasoningEffort', details: "The backend's reasoning_effort has no effort level max; it was sent as high." },
      { setting: 'reasoningEffort', details: "Mistral's reasoning_effort has no effort level max; it was sent as xhigh." },
    ]);
  });

  it('sends the lowest level when the backend has none below', () => {
    const warnings: Warning[] = [];
    assert.equal(clampReasoningEffort('low', ['high', 'max'], 'thinking', warnings), 'high');
    assert.equal(warnings.length, 1);
  });
});

describe('reasoningTokenBudget', () => {
  it('gives low an eighth, medium a quarter and high half of the output tokens', () => {
    assert.equal(reasoningTokenBudget('low', 1000), 125);
    assert.equal(reasoningTokenBudget('medium', 1000), 250);
    assert.equal(reasoningTokenBudget('high', 1000), 500);
    assert.equal(reasoningTokenBudget('medium', 10), 2);
  });

  it('sets no limit for xhigh and max, or without an output limit', () => {
    assert.equal(reasoningTokenBudget('xhigh', 1000), undefined);
    assert.equal(reasoningTokenBudget('max', 1000), undefined);
    assert.equal(reasoningTokenBudget('low', undefined), undefined);
    assert.equal(reasoningTokenBudget('low', Number.POSITIVE_INFINITY), undefined);
  });

  it('never gives 0, which would turn thinking off', () => {
    assert.equal(reasoningTokenBudget('low', 4), 1);
    assert.equal(reasoningTokenBudget('low', 1), 1);
  });
});
