import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Warning } from '../../core/inference/language-model.js';
import { prepareLlamaTools, toGbnfJsonSchema } from './prepare-llama-tools.js';

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
const rock = { name: 'get_rock', description: 'A rock', inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } };
const weather = { name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } } } };

describe('prepareLlamaTools', () => {
  it('ignores tools when none are given or the choice is none', () => {
    assert.equal(prepareLlamaTools({ prompt }).mode, 'none');
    assert.equal(prepareLlamaTools({ prompt, tools: [rock], toolChoice: { type: 'none' } }).mode, 'none');
  });

  it('auto: node-llama-cpp functions with converted parameter schemas', () => {
    const prepared = prepareLlamaTools({ prompt, tools: [rock, weather] });
    assert.equal(prepared.mode, 'auto');
    assert.deepEqual(prepared.mode === 'auto' && prepared.functions, {
      get_rock: { description: 'A rock', params: { type: 'object', properties: { name: { type: 'string' } } } },
      get_weather: { params: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } } } },
    });
  });

  it('a named tool forces its input schema; required with one tool is the same', () => {
    for (const toolChoice of [{ type: 'tool', toolName: 'get_weather' } as const, { type: 'required' } as const]) {
      const tools = toolChoice.type === 'required' ? [weather] : [rock, weather];
      const prepared = prepareLlamaTools({ prompt, tools, toolChoice });
      assert.equal(prepared.mode, 'forced');
      if (prepared.mode !== 'forced') return;
      assert.equal(prepared.toolName, 'get_weather');
      assert.deepEqual(prepared.schema, { type: 'object', properties: { city: { type: 'string', maxLength: 20 } } });
      assert.match(prepared.instructions, /Call the tool get_weather now/);
      assert.doesNotMatch(prepared.instructions, /get_rock/);
    }
  });

  it('required with several tools forces a {"name", "input"} envelope over all of them', () => {
    const prepared = prepareLlamaTools({ prompt, tools: [rock, weather], toolChoice: { type: 'required' } });
    assert.ok(prepared.mode === 'forced' && prepared.toolName === undefined);
    assert.deepEqual(prepared.schema, {
      oneOf: [
        { type: 'object', properties: { name: { const: 'get_rock' }, input: { type: 'object', properties: { name: { type: 'string' } } } } },
        { type: 'object', properties: { name: { const: 'get_weather' }, input: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } } } } },
      ],
    });
    assert.match(prepared.instructions, /get_rock: A rock\n {2}input JSON schema: /);
  });

  it('refuses a named tool that is not among the tools', () => {
    assert.throws(() => prepareLlamaTools({ prompt, tools: [rock], toolChoice: { type: 'tool', toolName: 'nope' } }), { name: 'ValidationException' });
  });
});

describe('toGbnfJsonSchema', () => {
  const convert = (schema: unknown) => {
    const warnings: Warning[] = [];
    return { schema: toGbnfJsonSchema(schema, 'tool', warnings), warnings: warnings.map((warning) => warning.details) };
  };

  it('turns anyOf into oneOf and definitions references into $defs', () => {
    assert.deepEqual(
      convert({ type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { $ref: '#/definitions/b' }] } }, definitions: { b: { type: 'boolean' } } }).schema,
      { type: 'object', properties: { a: { oneOf: [{ type: 'string' }, { $ref: '#/$defs/b' }] } }, $defs: { b: { type: 'boolean' } } },
    );
  });

  it('enumerates small integer ranges so the grammar enforces them, and warns about what it cannot enforce', () => {
    assert.deepEqual(convert({ type: 'integer', minimum: 1, maximum: 3 }).schema, { enum: [1, 2, 3] });
    assert.deepEqual(convert({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3 }).schema, { enum: [1, 2] });
    const wide = convert({ type: 'integer', minimum: 0, maximum: 1e9 });
    assert.deepEqual(wide.schema, { type: 'integer' });
    assert.equal(wide.warnings.length, 1);
    assert.deepEqual(convert({ type: 'string', pattern: '^a' }).warnings, ['pattern is not enforced by the llama.cpp grammar']);
    assert.equal(convert({ type: 'number', minimum: 0.5 }).warnings.length, 1);
  });

  it('maps nullable types, free-form objects, tuples, formats and allOf', () => {
    assert.deepEqual(convert({ type: ['string', 'null'] }).schema, { oneOf: [{ type: 'string' }, { type: 'null' }] });
    assert.deepEqual(convert({ type: ['integer', 'null'] }).schema, { type: ['integer', 'null'] });
    assert.deepEqual(convert({ type: 'object' }).schema, { type: 'object', properties: {}, additionalProperties: true });
    assert.deepEqual(convert({ type: 'array', items: [{ type: 'string' }, { type: 'number' }] }).schema, { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] });
    assert.deepEqual(convert({ type: 'string', format: 'date' }).schema, { type: 'string', format: 'date' });
    assert.deepEqual(convert({ allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }] }).schema, {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'boolean' } },
    });
  });

  it('keeps descriptions, consts and primitive enums; an untyped schema allows any JSON value', () => {
    assert.deepEqual(convert({ type: 'string', description: 'd' }).schema, { type: 'string', description: 'd' });
    assert.deepEqual(convert({ const: 'x' }).schema, { const: 'x' });
    assert.deepEqual(convert({ enum: ['a', 1, null] }).schema, { enum: ['a', 1, null] });
    assert.ok('oneOf' in convert({}).schema);
  });
});
