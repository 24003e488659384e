import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result, textParts } from '../../../../test/support/codec-harness.js';
import { amazonTitanText } from './amazon-titan-text.js';
import { deepSeekR1 } from './deepseek-r1.js';
import { mistralText } from './mistral-text.js';

describe('Amazon Titan Text body', () => {
  it('sends inputText as the user turn with the textGenerationConfig settings', () => {
    const options = amazonTitanText.parseRequest({ inputText: 'User: Hi\nBot:', textGenerationConfig: { maxTokenCount: 50, topP: 0.9, stopSequences: ['User:'] } }, familyContext());
    assert.deepEqual(options.prompt, [{ role: 'user', content: [{ type: 'text', text: 'User: Hi\nBot:' }] }]);
    assert.deepEqual([options.maxOutputTokens, options.topP, options.stopSequences], [50, 0.9, ['User:']]);
    assertRefused(amazonTitanText, { inputText: 'Hi', textGenerationConfig: { topK: 5 } }, /#\/textGenerationConfig: extraneous key \[topK\]/);
  });

  it('names the completion reason Titan uses for each way an answer ends', () => {
    const reasons = (['stop', 'stop-sequence', 'length', 'content-filter'] as const).map(
      (finishReason) => (amazonTitanText.toResponse(result({ finishReason }), familyContext()) as { results: { completionReason: string }[] }).results[0]?.completionReason,
    );
    assert.deepEqual(reasons, ['FINISH', 'STOP_CRITERIA_MET', 'LENGTH', 'CONTENT_FILTERED']);
  });

  it('streams text chunks, then the counts and reason', async () => {
    const chunks = await chunksOf(amazonTitanText, textParts(['Gran', 'ite.'], 'length'));
    assert.deepEqual(chunks[0], { outputText: 'Gran', index: 0, totalOutputTextTokenCount: null, completionReason: null, inputTextTokenCount: null });
    assert.equal(chunks[2]?.completionReason, 'LENGTH');
    assert.equal(chunks[2]?.inputTextTokenCount, 11);
  });
});

describe('Mistral text completion body', () => {
  it('reads the [INST] prompt and top_k', () => {
    const options = mistralText.parseRequest({ prompt: '<s>[INST] Hi [/INST] Hello</s>[INST] Rock? [/INST]', top_k: 50, stop: ['</s>'] }, familyContext());
    assert.deepEqual(
      options.prompt.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.deepEqual([options.topK, options.stopSequences], [50, ['</s>']]);
    assertRefused(mistralText, { prompt: 'Hi', top_k: 0 }, /#\/top_k/);
  });

  it('answers outputs with stop or length', () => {
    assert.deepEqual(mistralText.toResponse(result({ finishReason: 'length' }), familyContext()), { outputs: [{ text: 'Granite.', stop_reason: 'length' }] });
  });
});

describe('DeepSeek-R1 body', () => {
  it('writes the reasoning in <think> tags before the answer', async () => {
    const body = deepSeekR1.toResponse(result({ content: [{ type: 'reasoning', text: 'Rocks form...' }, { type: 'text', text: 'Granite.' }] }), familyContext());
    assert.deepEqual(body, { choices: [{ text: '<think>\nRocks form...\n</think>\n\nGranite.', stop_reason: 'stop' }] });
    const chunks = await chunksOf(deepSeekR1, [
      { type: 'stream-start', warnings: [] },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', delta: 'hm' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-delta', id: 't', delta: 'Granite.' },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
    assert.equal(chunks.map((chunk) => (chunk.choices as { text: string }[])[0]?.text).join(''), '<think>\nhm\n</think>\n\nGranite.');
  });

  it('refuses more than ten stop sequences and max_tokens past 32768', () => {
    assertRefused(deepSeekR1, { prompt: 'Hi', stop: Array.from({ length: 11 }, (_, index) => String(index)) }, /#\/stop/);
    assertRefused(deepSeekR1, { prompt: 'Hi', max_tokens: 40000 }, /#\/max_tokens/);
  });
});
