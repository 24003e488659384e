import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../../core/errors.js';
import { convertOpenAIStyleMessages, type OpenAIStyleMessage } from './openai-style-messages.js';

function refusal(messages: OpenAIStyleMessage[]): string {
  try {
    convertOpenAIStyleMessages(messages);
  } catch (error) {
    assert.ok(OutcropError.isInstance(error) && error.code === 'ValidationException', String(error));
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

describe('OpenAI-style messages (Mistral chat, Jamba, gpt-oss)', () => {
  it('converts every role, data-URL images and tool round trips', () => {
    const prompt = convertOpenAIStyleMessages([
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/' } }] },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: { name: 'lookup', arguments: '{"q":"granite"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'igneous' },
    ]);
    assert.deepEqual(prompt[0], { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] });
    assert.deepEqual(
      prompt[1]?.content.map((part) => (part.type === 'image' ? part.format : part.type)),
      ['text', 'jpeg'],
    );
    assert.deepEqual(prompt[2], { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: { q: 'granite' } }] });
    assert.deepEqual(prompt[3], { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'lookup', content: [{ type: 'text', text: 'igneous' }], isError: false }] });
  });

  it('refuses remote images, broken tool arguments and tool turns without an ID, naming the field', () => {
    assert.match(refusal([{ role: 'user', content: [{ type: 'image_url', image_url: 'https://example.com/a.png' }] }]), /#\/messages\/0\/content\/0\/image_url: only data: URLs/);
    assert.match(refusal([{ role: 'assistant', content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{oops' } }] }]), /#\/messages\/0\/tool_calls\/0\/function\/arguments/);
    assert.match(refusal([{ role: 'tool', content: 'x' }]), /#\/messages\/0: required key \[tool_call_id\] not found/);
    assert.match(refusal([{ role: 'system', content: [{ type: 'image_url', image_url: 'data:image/png;base64,AA' }] }]), /#\/messages\/0\/content: only text/);
  });
});
