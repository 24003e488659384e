import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOpenApiSchema } from './openapi-schema.js';

const valid = {
  openapi: '3.0.0',
  info: { title: 'Orders', version: '1' },
  paths: { '/orders/{id}': { get: { description: 'One order', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } } },
};

describe('parseOpenApiSchema', () => {
  it('accepts JSON and YAML OpenAPI 3 documents', async () => {
    assert.equal((await parseOpenApiSchema(JSON.stringify(valid), 'orders')).openapi, '3.0.0');
    assert.deepEqual(Object.keys((await parseOpenApiSchema('openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    post:\n      description: d\n      responses: { "200": { description: ok } }\n', 'a')).paths as object), ['/a']);
  });

  it('names the problem of a broken schema', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...valid, openapi: undefined, swagger: '2.0' }, /OpenAPI 3 version.*Swagger 2\.0/],
      [{ ...valid, paths: {} }, /defines no paths/],
      [{ ...valid, paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } } }, /GET \/a has no description/],
      [{ ...valid, paths: { '/a': { post: { description: 'd', requestBody: { content: { 'text/csv': {} } }, responses: { 200: { description: 'ok' } } } } } }, /text\/csv/],
      [{ ...valid, paths: { '/a': { get: { description: 'd', responses: { 200: { $ref: 'https://example.com/r.json' } } } } } }, /points outside the document/],
      [{ ...valid, paths: { '/a': { get: { description: 'd', responses: { 200: { $ref: '#/components/responses/Missing' } } } } } }, /Missing/],
      [{ ...valid, info: { title: 'no version' } }, /version/],
    ];
    for (const [document, message] of cases) {
      await assert.rejects(parseOpenApiSchema(JSON.stringify(document), 'orders'), (error: Error) => {
        assert.equal(error.name, 'ValidationException');
        assert.match(error.message, /action group orders/);
        assert.match(error.message, message);
        return true;
      });
    }
    await assert.rejects(parseOpenApiSchema('{"openapi": ', 'orders'), { message: /neither JSON nor YAML/ });
    await assert.rejects(parseOpenApiSchema('- just\n- a list\n', 'orders'), { message: /not a JSON\/YAML object/ });
  });
});
