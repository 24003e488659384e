import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentError } from '../document-error.js';
import { hashMetadata, metadataFromAttributes, parseMetadataSidecar } from './document-metadata.js';

const sidecar = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function invalid(value: unknown): string {
  try {
    parseMetadataSidecar(sidecar(value), 'a.pdf.metadata.json');
  } catch (error) {
    assert.ok(DocumentError.isInstance(error));
    assert.equal(error.reason, 'invalid-metadata');
    return error.message;
  }
  assert.fail('expected the sidecar to be refused');
}

describe('metadata sidecars', () => {
  it('reads plain values as typed attributes', () => {
    const metadata = parseMetadataSidecar(sidecar({ metadataAttributes: { year: 2024, genre: 'drama', tags: ['a', 'b'], draft: false } }), 'x.metadata.json');
    assert.deepEqual(metadata, {
      year: { value: { type: 'NUMBER', value: 2024 }, includeForEmbedding: false },
      genre: { value: { type: 'STRING', value: 'drama' }, includeForEmbedding: false },
      tags: { value: { type: 'STRING_LIST', value: ['a', 'b'] }, includeForEmbedding: false },
      draft: { value: { type: 'BOOLEAN', value: false }, includeForEmbedding: false },
    });
  });

  it('reads the typed form with includeForEmbedding, mixed with plain values', () => {
    const metadata = parseMetadataSidecar(
      sidecar({
        metadataAttributes: {
          author: { value: { type: 'STRING', stringValue: 'Ada' }, includeForEmbedding: true },
          pages: { value: { type: 'NUMBER', numberValue: 12 } },
          topics: { value: { type: 'STRING_LIST', stringListValue: ['rocks'] }, includeForEmbedding: false },
          year: 1999,
        },
      }),
      'x.metadata.json',
    );
    assert.deepEqual(metadata.author, { value: { type: 'STRING', value: 'Ada' }, includeForEmbedding: true });
    assert.deepEqual(metadata.pages, { value: { type: 'NUMBER', value: 12 }, includeForEmbedding: false });
    assert.deepEqual(metadata.topics?.value, { type: 'STRING_LIST', value: ['rocks'] });
    assert.deepEqual(metadata.year?.value, { type: 'NUMBER', value: 1999 });
  });

  it('lists every problem with its path', () => {
    const message = invalid({
      metadataAttributes: {
        nested: { city: 'Paris' },
        mixed: ['a', 1],
        nothing: null,
        wrong: { value: { type: 'NUMBER', stringValue: '12' } },
        'x-amz-bedrock-kb-source-uri': 's3://elsewhere',
        badType: { value: { type: 'DATE', stringValue: '2024' } },
      },
    });
    assert.equal(
      message,
      'a.pdf.metadata.json is invalid: metadataAttributes.nested: an object must be the typed form {"value": {"type": ..., ...}, "includeForEmbedding": true|false}; ' +
        'metadataAttributes.mixed: a list may hold only strings; metadataAttributes.nothing: expected a string, number, boolean or list of strings, got null; ' +
        'metadataAttributes.wrong.value.numberValue: required for type NUMBER; ' +
        'metadataAttributes.x-amz-bedrock-kb-source-uri: keys starting with "x-amz-bedrock-kb-" are reserved; ' +
        'metadataAttributes.badType.value.type: expected one of STRING, NUMBER, BOOLEAN, STRING_LIST.',
    );
  });

  it('refuses files that are not JSON, not the expected shape, or too large', () => {
    assert.match(invalid('{"metadataAttributes": '), /^a\.pdf\.metadata\.json is not valid JSON: /);
    assert.match(invalid({ attributes: {} }), /must be an object with a "metadataAttributes" object/);
    assert.match(invalid({ metadataAttributes: {}, documentStructureConfiguration: {} }), /documentStructureConfiguration .* is not supported/);
    assert.match(invalid({ metadataAttributes: { text: 'x'.repeat(11 * 1024) } }), /at most 10240/);
    assert.match(invalid({ metadataAttributes: { ['k'.repeat(201)]: 1 } }), /1 to 200 characters/);
    assert.match(invalid('{"metadataAttributes": {"__proto__": 1}}'), /"__proto__" is not allowed/);
  });

  it('reads inline attributes of directly ingested documents', () => {
    assert.deepEqual(metadataFromAttributes([{ key: 'year', value: { type: 'NUMBER', numberValue: 2024 } }]), {
      year: { value: { type: 'NUMBER', value: 2024 }, includeForEmbedding: false },
    });
    assert.throws(
      () => metadataFromAttributes([{ key: 'flag', value: { type: 'BOOLEAN', stringValue: 'yes' } }, { key: 'flag', value: { type: 'BOOLEAN', booleanValue: true } }], 'doc-1'),
      {
        reason: 'invalid-metadata',
        message:
          'The metadata of doc-1 is invalid: inlineAttributes[0].value.booleanValue: required for type BOOLEAN; ' +
          'inlineAttributes[1]: the key "flag" appears more than once.',
      },
    );
  });

  it('hashes metadata independently of key order', () => {
    const a = parseMetadataSidecar(sidecar({ metadataAttributes: { x: 1, y: 'b' } }), 'a');
    const b = parseMetadataSidecar(sidecar({ metadataAttributes: { y: 'b', x: 1 } }), 'b');
    assert.equal(hashMetadata(a), hashMetadata(b));
    assert.notEqual(hashMetadata(a), hashMetadata({}));
    assert.equal(hashMetadata(undefined), hashMetadata({}));
  });
});
