import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, chunksOf, familyContext, result } from '../../../../test/support/codec-harness.js';
import { mistralChat } from './mistral-chat.js';

const tool = { type: 'function', function: { name: 'lookup', description: 'Look up', parameters: { type: 'object' } } };
const hi = { messages: [{ role: 'user', content: 'Hi' }] };

describe('Mistral chat body', () => {
  it("maps Mistral's tool_choice any to a required tool call", () => {
    assert.deepEqual(mistralChat.parseRequest({ ...hi, tools: [tool], tool_choice: 'any' }, familyContext()).toolChoice, { type: 'required' });
    assert.deepEqual(mistralChat.parseRequest({ ...hi, tools: [tool], tool_choice: 'none' }, familyContext()).toolChoice, { type: 'none' });
    assertRefused(mistralChat, { ...hi, tool_choice: 'any' }, /#\/tool_choice: tool_choice needs tools/);
    assertRefused(mistralChat, { ...hi, tool_choice: 'required' }, /#\/tool_choice/);
    assertRefused(mistralChat, { ...hi, stop: ['x'] }, /extraneous key \[stop\]/);
  });

  it('answers tool_calls without a type and stop_reason tool_calls', () => {
    const body = mistralChat.toResponse(result({ content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: { q: 1 } }], finishReason: 'tool-calls' }), familyContext()) as {
      choices: { message: unknown; stop_reason: string }[];
    };
    assert.deepEqual(body.choices[0]?.message, { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: { name: 'lookup', arguments: '{"q":1}' } }] });
    assert.equal(body.choices[0]?.stop_reason, 'tool_calls');
  });

  it('streams a whole tool call in one chunk once its input is complete', async () => {
    const chunks = await chunksOf(mistralChat, [
      { type: 'stream-start', warnings: [] },
      { type: 'tool-input-start', id: 'c1', toolName: 'lookup' },
      { type: 'tool-input-delta', id: 'c1', delta: '{"q":' },
      { type: 'tool-input-delta', id: 'c1', delta: '1}' },
      { type: 'tool-input-end', id: 'c1' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 3, outputTokens: 4 } },
    ]);
    const choices = chunks.map((chunk) => (chunk.choices as Record<string, unknown>[])[0]);
    assert.deepEqual(choices, [
      { index: 0, message: { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: { name: 'lookup', arguments: '{"q":1}' } }] }, stop_reason: null },
      { index: 0, message: { role: 'assistant', content: '' }, stop_reason: 'tool_calls' },
    ]);
    assert.deepEqual(chunks[1]?.usage, { prompt_tokens: 3, total_tokens: 7, completion_tokens: 4 });
  });
});
