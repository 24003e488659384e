import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertToLlamaChat } from './convert-to-llama-chat.js';

describe('convertToLlamaChat', () => {
  it('joins system parts, keeps turn order and ends with a model response to generate into', () => {
    assert.deepEqual(
      convertToLlamaChat([
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Name a rock.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Granite.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Another?' }] },
      ]),
      [
        { type: 'system', text: 'Be brief.' },
        { type: 'user', text: 'Name a rock.' },
        { type: 'model', response: ['Granite.'] },
        { type: 'user', text: 'Another?' },
        { type: 'model', response: [] },
      ],
    );
  });

  it('continues an assistant prefill instead of opening a new response', () => {
    const history = convertToLlamaChat([
      { role: 'user', content: [{ type: 'text', text: 'JSON please' }] },
      { role: 'assistant', content: [{ type: 'text', text: '{' }] },
    ]);
    assert.deepEqual(history.at(-1), { type: 'model', response: ['{'] });
  });

  it('attaches tool results to the call they answer and continues that response, as node-llama-cpp does', () => {
    const history = convertToLlamaChat([
      { role: 'user', content: [{ type: 'text', text: 'Hardness of granite?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'I should look it up.' },
          { type: 'tool-call', toolCallId: 't1', toolName: 'get_hardness', input: { rock: 'granite' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool-result', toolCallId: 't1', content: [{ type: 'json', value: { mohs: 6 } }], isError: false }] },
    ]);
    assert.deepEqual(history[1], {
      type: 'model',
      response: [
        { type: 'segment', segmentType: 'thought', text: 'I should look it up.', ended: true },
        { type: 'functionCall', name: 'get_hardness', params: { rock: 'granite' }, result: { mohs: 6 } },
      ],
    });
    assert.equal(history.length, 2, 'the model goes on after the result within the same response');
  });

  it('writes a result without a matching call as user text, and errors as { error }', () => {
    const history = convertToLlamaChat([{ role: 'user', content: [{ type: 'tool-result', toolCallId: 'x', toolName: 'f', content: [{ type: 'text', text: 'boom' }], isError: true }] }]);
    assert.deepEqual(history[0], { type: 'user', text: 'Result of tool call x (f): {"error":"boom"}' });
  });

  it('refuses images and documents', () => {
    assert.throws(() => convertToLlamaChat([{ role: 'user', content: [{ type: 'image', format: 'png', data: new Uint8Array(1) }] }]), { name: 'ValidationException' });
    assert.throws(() => convertToLlamaChat([{ role: 'user', content: [{ type: 'document', format: 'pdf', name: 'd', data: new Uint8Array(1) }] }]), {
      name: 'ValidationException',
    });
  });
});
