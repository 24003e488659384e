import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../core/errors.js';
import { bedrockRuntimeModel } from './generated/index.js';
import type { ServiceModel } from './model-types.js';
import { ShapeReader } from './shape-reader.js';

/** A small model whose constraints are spelled out here, so the messages below follow from it. */
const model: ServiceModel = {
  name: 'test',
  sdkId: 'Test',
  version: '2024-01-01',
  endpointPrefix: 'test',
  operations: [],
  shapes: {
    Input: {
      t: 'structure',
      m: {
        name: { s: 'Name', r: 1 },
        count: { s: 'Count' },
        size: { s: 'Long' },
        mode: { s: 'Mode' },
        tags: { s: 'Tags' },
        items: { s: 'Items' },
        when: { s: 'When' },
        data: { s: 'Data' },
        choice: { s: 'Choice' },
        flag: { s: 'Boolean' },
        labels: { s: 'Labels' },
        note: { s: 'String', len: [2, 5] },
        doc: { s: 'Document' },
      },
    },
    Name: { t: 'string', len: [1, 10], pat: '^[a-z]+$' },
    Count: { t: 'integer', range: [1, 100] },
    Long: { t: 'long' },
    Mode: { t: 'string', enum: ['fast', 'slow'] },
    Tags: { t: 'list', m: 'Tag', len: [null, 2] },
    Tag: { t: 'string', len: [1, null] },
    Items: { t: 'list', m: 'Item' },
    Item: { t: 'structure', m: { id: { s: 'String', r: 1 } } },
    When: { t: 'timestamp' },
    Data: { t: 'blob', len: [1, 4] },
    Choice: { t: 'union', m: { a: { s: 'String' }, b: { s: 'Count' } } },
    Labels: { t: 'map', k: 'Tag', v: 'String' },
    String: { t: 'string' },
    Boolean: { t: 'boolean' },
    Document: { t: 'document' },
  },
};

/** Reads `value` as an `Input` and returns the result, or throws the ValidationException. */
function read(value: unknown): Record<string, unknown> {
  const reader = new ShapeReader(model);
  const out = reader.readStructure('Input', value, '', false);
  reader.finish();
  return out;
}

function validationMessage(value: unknown): string {
  try {
    read(value);
  } catch (error) {
    assert.ok(OutcropError.isInstance(error), `expected an OutcropError, got ${String(error)}`);
    assert.equal(error.code, 'ValidationException');
    assert.equal(error.statusCode, 400);
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

describe('ShapeReader', () => {
  it('reads a valid structure and leaves out absent members', () => {
    assert.deepEqual(read({ name: 'granite', count: 3, mode: 'fast', flag: false, doc: { any: ['thing', 1] } }), {
      name: 'granite',
      count: 3,
      mode: 'fast',
      flag: false,
      doc: { any: ['thing', 1] },
    });
  });

  it('reports a missing required member', () => {
    assert.equal(validationMessage({}), "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    assert.equal(validationMessage({ name: null }), "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  });

  it('reports a required member of a list item with the item path', () => {
    assert.equal(
      validationMessage({ name: 'a', items: [{ id: 'x' }, {}] }),
      "1 validation error detected: Value null at 'items.2.member.id' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports string length against the shape and the member', () => {
    assert.equal(
      validationMessage({ name: 'abcdefghijk' }),
      "1 validation error detected: Value 'abcdefghijk' at 'name' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
    assert.equal(
      validationMessage({ name: 'a', note: 'x' }),
      "1 validation error detected: Value 'x' at 'note' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
  });

  it('counts a surrogate pair as one character for length', () => {
    assert.deepEqual(read({ name: 'a', note: '🪨🪨🪨🪨🪨' }).note, '🪨🪨🪨🪨🪨');
  });

  it('reports list length', () => {
    assert.equal(
      validationMessage({ name: 'a', tags: ['x', 'y', 'z'] }),
      "1 validation error detected: Value of type list at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
  });

  it('reports a numeric range', () => {
    assert.equal(
      validationMessage({ name: 'a', count: 0 }),
      "1 validation error detected: Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assert.equal(
      validationMessage({ name: 'a', count: 101 }),
      "1 validation error detected: Value '101' at 'count' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it('reports a pattern mismatch', () => {
    assert.equal(
      validationMessage({ name: 'Granite' }),
      "1 validation error detected: Value 'Granite' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]+$",
    );
  });

  it('reports a value outside the enum', () => {
    assert.equal(
      validationMessage({ name: 'a', mode: 'medium' }),
      "1 validation error detected: Value 'medium' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [fast, slow]",
    );
  });

  it('counts several violations in one message', () => {
    assert.equal(
      validationMessage({ name: 'a', count: 0, mode: 'medium' }),
      "2 validation errors detected: Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value 'medium' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [fast, slow]",
    );
    assert.match(validationMessage({ count: 0, mode: 'medium' }), /^3 validation errors detected: Value null at 'name' /);
  });

  it('reports at most ten violations', () => {
    const items = Array.from({ length: 15 }, () => ({}));
    const message = validationMessage({ name: 'a', items });
    assert.match(message, /^10 validation errors detected: /);
    assert.equal(message.split('; ').length, 10);
  });

  it('rejects a union with two members set, or none, or an unknown one', () => {
    assert.equal(
      validationMessage({ name: 'a', choice: { a: 'x', b: 2 } }),
      "1 validation error detected: Value null at 'choice' failed to satisfy constraint: Union must have exactly one member set",
    );
    assert.equal(
      validationMessage({ name: 'a', choice: {} }),
      "1 validation error detected: Value null at 'choice' failed to satisfy constraint: Union must have exactly one member set",
    );
    assert.equal(
      validationMessage({ name: 'a', choice: { toString: 'x' } }),
      "1 validation error detected: Value null at 'choice' failed to satisfy constraint: Member must be one of [a, b], found unknown member 'toString'",
    );
  });

  it('reads a union with one member set, ignoring null members and __type', () => {
    assert.deepEqual(read({ name: 'a', choice: { a: null, b: 5, __type: 'Choice' } }).choice, { b: 5 });
  });

  it('validates the member of a union', () => {
    assert.equal(
      validationMessage({ name: 'a', choice: { b: 500 } }),
      "1 validation error detected: Value '500' at 'choice.b' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it('converts epoch seconds and ISO-8601 strings to dates', () => {
    assert.deepEqual(read({ name: 'a', when: 1_700_000_000 }).when, new Date('2023-11-14T22:13:20Z'));
    assert.deepEqual(read({ name: 'a', when: 1_700_000_000.5 }).when, new Date('2023-11-14T22:13:20.500Z'));
    assert.deepEqual(read({ name: 'a', when: '2023-11-14T22:13:20Z' }).when, new Date(1_700_000_000_000));
    assert.equal(
      validationMessage({ name: 'a', when: 'yesterday' }),
      "1 validation error detected: Value 'yesterday' at 'when' failed to satisfy constraint: Member must be a timestamp",
    );
  });

  it('decodes base64 blobs to bytes and checks their decoded length', () => {
    const data = read({ name: 'a', data: Buffer.from([1, 2, 3]).toString('base64') }).data;
    assert.ok(data instanceof Uint8Array);
    assert.deepEqual([...data], [1, 2, 3]);
    assert.equal(
      validationMessage({ name: 'a', data: 'not base64!' }),
      "1 validation error detected: Value 'not base64!' at 'data' failed to satisfy constraint: Member must be a base64-encoded string",
    );
    assert.equal(
      validationMessage({ name: 'a', data: Buffer.from([1, 2, 3, 4, 5]).toString('base64') }),
      "1 validation error detected: Value '<blob>' at 'data' failed to satisfy constraint: Member must have length less than or equal to 4",
    );
  });

  it('rejects wrong JSON types with the member path', () => {
    assert.equal(validationMessage({ name: 5 }), "1 validation error detected: Value '5' at 'name' failed to satisfy constraint: Member must be a string");
    assert.equal(
      validationMessage({ name: 'a', count: '3' }),
      "1 validation error detected: Value '3' at 'count' failed to satisfy constraint: Member must be a number",
    );
    assert.equal(
      validationMessage({ name: 'a', count: 1.5 }),
      "1 validation error detected: Value '1.5' at 'count' failed to satisfy constraint: Member must be an integer",
    );
    assert.equal(
      validationMessage({ name: 'a', size: 2 ** 60 }),
      `1 validation error detected: Value '${2 ** 60}' at 'size' failed to satisfy constraint: Member must be a long from -9007199254740992 to 9007199254740991`,
    );
    assert.equal(
      validationMessage({ name: 'a', flag: 'true' }),
      "1 validation error detected: Value 'true' at 'flag' failed to satisfy constraint: Member must be a boolean",
    );
    assert.equal(
      validationMessage({ name: 'a', tags: 'x' }),
      "1 validation error detected: Value 'x' at 'tags' failed to satisfy constraint: Member must be a list",
    );
    assert.equal(
      validationMessage({ name: 'a', items: [[]] }),
      "1 validation error detected: Value of type list at 'items.1.member' failed to satisfy constraint: Member must be an object",
    );
    assert.equal(validationMessage([]), "1 validation error detected: Value of type list at 'body' failed to satisfy constraint: Member must be an object");
  });

  it('reads a map, validating keys and keeping a __proto__ key as data', () => {
    const labels = read({ name: 'a', labels: JSON.parse('{"rock":"granite","__proto__":"x"}') }).labels as Record<string, unknown>;
    assert.deepEqual(Object.keys(labels), ['rock', '__proto__']);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.equal(
      validationMessage({ name: 'a', labels: { '': 'x' } }),
      "1 validation error detected: Value '' at 'labels.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('converts label, query and header text to the member type', () => {
    const reader = new ShapeReader(model);
    assert.equal(reader.readText({ s: 'Count' }, '42', 'count'), 42);
    assert.equal(reader.readText({ s: 'Boolean' }, 'true', 'flag'), true);
    assert.deepEqual(reader.readText({ s: 'When' }, '1700000000', 'when'), new Date(1_700_000_000_000));
    assert.deepEqual(reader.readText({ s: 'When' }, '2023-11-14T22:13:20Z', 'when'), new Date(1_700_000_000_000));
    assert.throws(() => reader.readText({ s: 'Count' }, '', 'count'), /Value '' at 'count' failed to satisfy constraint: Member must be a number/);
    assert.throws(() => reader.readText({ s: 'Boolean' }, 'yes', 'flag'), /Member must be a boolean/);
  });

  it('validates a real Converse message: role enum and required content', () => {
    const reader = new ShapeReader(bedrockRuntimeModel);
    reader.read('Messages', [{ role: 'robot', content: [{ text: 'hi' }] }, { role: 'user' }], 'messages');
    assert.throws(
      () => reader.finish(),
      (error: unknown) =>
        OutcropError.isInstance(error) &&
        error.message ===
          "2 validation errors detected: Value 'robot' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant, system]; " +
            "Value null at 'messages.2.member.content' failed to satisfy constraint: Member must not be null",
    );
  });

  it('decodes real Converse image bytes', () => {
    const reader = new ShapeReader(bedrockRuntimeModel);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const block = reader.read('ContentBlock', { image: { format: 'png', source: { bytes: png.toString('base64') } } }, 'content') as {
      image: { source: { bytes: Uint8Array } };
    };
    reader.finish();
    assert.deepEqual(Buffer.from(block.image.source.bytes), png);
  });
});
