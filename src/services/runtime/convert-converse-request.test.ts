import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertConverseRequest } from './convert-converse-request.js';

describe('convertConverseRequest cache points', () => {
  it('marks the system part, message part and tool before each cachePoint', () => {
    const options = convertConverseRequest({
      system: [{ text: 'You are a geologist.' }, { cachePoint: { type: 'default' } }, { text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Long context.' }, { cachePoint: { type: 'default' } }, { text: 'What is granite?' }] }],
      toolConfig: {
        tools: [
          { toolSpec: { name: 'get_rock_hardness', inputSchema: { json: { type: 'object' } } } },
          { cachePoint: { type: 'default' } },
        ],
      },
    } as never);
    assert.deepEqual(options.prompt, [
      {
        role: 'system',
        content: [
          { type: 'text', text: 'You are a geologist.', cacheControl: true },
          { type: 'text', text: 'Be brief.' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Long context.', cacheControl: true },
          { type: 'text', text: 'What is granite?' },
        ],
      },
    ]);
    assert.deepEqual(options.tools, [{ name: 'get_rock_hardness', inputSchema: { type: 'object' }, cacheControl: true }]);
  });

  it('drops a cachePoint with nothing before it', () => {
    const options = convertConverseRequest({ messages: [{ role: 'user', content: [{ cachePoint: { type: 'default' } }, { text: 'Hi' }] }] } as never);
    assert.deepEqual(options.prompt, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });
});
