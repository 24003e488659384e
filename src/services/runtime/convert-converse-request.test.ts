import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bedrockRuntimeModel } from '../../protocol/generated/index.js';
import { ShapeReader } from '../../protocol/shape-reader.js';
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

  it('maps outputConfig.effort to the neutral reasoning effort, with or without a textFormat', () => {
    for (const effort of ['low', 'medium', 'high', 'xhigh', 'max']) {
      assert.equal(convertConverseRequest({ messages, outputConfig: { effort } } as never).reasoningEffort, effort);
    }
    const schema = { type: 'object' };
    const both = convertConverseRequest({ messages, outputConfig: { ...textFormat({ schema: JSON.stringify(schema) }), effort: 'high' } } as never);
    assert.equal(both.reasoningEffort, 'high');
    assert.deepEqual(both.responseFormat, { type: 'json-schema', schema });
    assert.equal(convertConverseRequest({ messages, outputConfig: textFormat({ schema: '{}' }) } as never).reasoningEffort, undefined);
    assert.equal('reasoningEffort' in convertConverseRequest({ messages } as never), false);
  });

  it('answers a ValidationException naming outputConfig.effort and the allowed values for an unknown effort', () => {
    for (const effort of ['minimal', 'HIGH', '']) {
      assert.throws(
        () => convertConverseRequest({ messages, outputConfig: { effort } } as never),
        (error: Error) =>
          error.name === 'ValidationException' && error.message.includes(`'${effort}' at 'outputConfig.effort'`) && error.message.includes('[low, medium, high, xhigh, max]'),
      );
    }
  });

  it('reads outputConfig.effort through the generated wire model (up to 16 characters)', () => {
    const read = (effort: string) => {
      const reader = new ShapeReader(bedrockRuntimeModel);
      const input = reader.readStructure('ConverseRequest', { messages, outputConfig: { effort } }, '', true);
      reader.finish();
      return input as { outputConfig?: { effort?: string } };
    };
    assert.equal(read('low').outputConfig?.effort, 'low');
    assert.throws(() => read('x'.repeat(17)), (error: Error) => error.name === 'ValidationException' && /outputConfig\.effort/.test(error.message));
  });
});
