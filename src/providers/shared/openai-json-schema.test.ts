import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toOpenAIJsonSchema } from './openai-json-schema.js';

const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] };

describe('toOpenAIJsonSchema', () => {
  it('is strict unless the format says otherwise', () => {
    assert.deepEqual(toOpenAIJsonSchema({ type: 'json-schema', schema, name: 'rock' }), { name: 'rock', schema, strict: true });
    assert.deepEqual(toOpenAIJsonSchema({ type: 'json-schema', schema, name: 'rock', strict: false }), { name: 'rock', schema, strict: false });
  });

  it("makes the name one OpenAI accepts, and keeps the description", () => {
    assert.deepEqual(toOpenAIJsonSchema({ type: 'json-schema', schema, name: 'rock info/v2', description: 'A rock' }), {
      name: 'rock_info_v2',
      schema,
      strict: true,
      description: 'A rock',
    });
    assert.equal(toOpenAIJsonSchema({ type: 'json-schema', schema }).name, 'response');
    assert.equal(toOpenAIJsonSchema({ type: 'json-schema', schema, name: 'x'.repeat(80) }).name, 'x'.repeat(64));
  });
});
