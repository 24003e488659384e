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

describe('convertConverseRequest outputConfig', () => {
  const messages = [{ role: 'user' as const, content: [{ text: 'Name a rock.' }] }];
  const textFormat = (jsonSchema: Record<string, unknown>) => ({ textFormat: { type: 'json_schema' as const, structure: { jsonSchema } } });

  it('parses the schema string into the neutral response format, with its name and description', () => {
    const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] };
    const options = convertConverseRequest({ messages, outputConfig: textFormat({ schema: JSON.stringify(schema), name: 'rock', description: 'One rock' }) } as never);
    assert.deepEqual(options.responseFormat, { type: 'json-schema', schema, name: 'rock', description: 'One rock' });
  });

  it('leaves the response format unset without a textFormat', () => {
    assert.equal(convertConverseRequest({ messages, outputConfig: {} } as never).responseFormat, undefined);
    assert.equal(convertConverseRequest({ messages } as never).responseFormat, undefined);
  });

  it('answers a ValidationException naming the field for a schema that is not JSON, not an object, or missing', () => {
    const rejects = (outputConfig: unknown, pattern: RegExp) =>
      assert.throws(
        () => convertConverseRequest({ messages, outputConfig } as never),
        (error: Error & { code?: string }) => error.name === 'ValidationException' && pattern.test(error.message),
      );
    rejects(textFormat({ schema: '{"type": ' }), /^outputConfig\.textFormat\.structure\.jsonSchema\.schema is not valid JSON/);
    rejects(textFormat({ schema: '"string"' }), /^outputConfig\.textFormat\.structure\.jsonSchema\.schema must be a JSON Schema object/);
    rejects(textFormat({ schema: 'null' }), /must be a JSON Schema object/);
    rejects({ textFormat: { type: 'json_schema', structure: {} } }, /^outputConfig\.textFormat\.structure\.jsonSchema is required/);
  });
});
