import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result, textParts } from '../../../../test/support/codec-harness.js';
import { ai21Jamba } from './ai21-jamba.js';

const hi = { messages: [{ role: 'user', content: 'Hi' }] };

describe('AI21 Jamba body', () => {
  it('takes a stop string or list, and passes penalties and JSON mode to the backend', () => {
    const options = ai21Jamba.parseRequest({ ...hi, stop: '\n', n: 1, presence_penalty: 0.5, response_format: { type: 'json_object' } }, familyContext());
    assert.deepEqual(options.stopSequences, ['\n']);
    assert.deepEqual(options.extraBody, { presence_penalty: 0.5, response_format: { type: 'json_object' } });
    assert.equal('extraBody' in ai21Jamba.parseRequest({ ...hi, response_format: { type: 'text' } }, familyContext()), false);
  });

  it('refuses several completions and document grounding, naming them', () => {
    assertRefused(ai21Jamba, { ...hi, n: 4 }, /#\/n: only one completion/);
    assertRefused(ai21Jamba, { ...hi, documents: [{ content: 'Granite is igneous.' }] }, /#\/documents/);
    assertRefused(ai21Jamba, { ...hi, temperature: 2.5 }, /#\/temperature/);
    assertRefused(ai21Jamba, { messages: [] }, /#\/messages/);
  });

  it('answers an OpenAI-like body with usage and meta', () => {
    const body = ai21Jamba.toResponse(result({ finishReason: 'length' }), familyContext()) as Record<string, unknown>;
    assert.match(String(body.id), /^chat-[0-9a-f]{32}$/);
    assert.deepEqual(body.choices, [{ index: 0, message: { role: 'assistant', content: 'Granite.' }, finish_reason: 'length' }]);
    assert.deepEqual(body.usage, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    assert.equal(typeof (body.meta as { requestDurationMillis: number }).requestDurationMillis, 'number');
  });

  it('streams role, content deltas and a closing chunk under one id', async () => {
    const chunks = await chunksOf(ai21Jamba, textParts(['Gran', 'ite.']));
    assert.deepEqual(
      chunks.map((chunk) => (chunk.choices as { delta: unknown }[])[0]?.delta),
      [{ role: 'assistant' }, { content: 'Gran' }, { content: 'ite.' }, {}],
    );
    assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, 1);
    assert.equal((chunks.at(-1) as { choices: { finish_reason: string }[] }).choices[0]?.finish_reason, 'stop');
  });
});
