import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../core/errors.js';
import { checkJsonSchema } from './check-json-schema.js';
import { authenticationFailed, modelNotFound, toOpenAIErrorResponse } from './openai-error.js';

describe('toOpenAIErrorResponse', () => {
  it('maps Outcrop errors to OpenAI status codes, types and codes', () => {
    const cases: [OutcropError, number, string, string | null][] = [
      [new OutcropError('ValidationException', 'bad'), 400, 'invalid_request_error', null],
      [authenticationFailed(new OutcropError('InvalidSignatureException', 'signature mismatch')), 401, 'invalid_request_error', 'invalid_api_key'],
      [modelNotFound('gpt-4o'), 404, 'invalid_request_error', 'model_not_found'],
      [new OutcropError('ThrottlingException', 'slow down'), 429, 'requests', 'rate_limit_exceeded'],
      [new OutcropError('ModelErrorException', 'backend failed'), 500, 'server_error', 'model_error'],
      [new OutcropError('ServiceUnavailableException', 'shutting down'), 503, 'server_error', 'service_unavailable'],
      [new OutcropError('ModelTimeoutException', 'too slow'), 504, 'server_error', 'timeout'],
      [new OutcropError('ValidationException', 'too large', { statusCode: 413 }), 413, 'invalid_request_error', null],
    ];
    for (const [error, status, type, code] of cases) {
      const response = toOpenAIErrorResponse(error);
      assert.equal(response.statusCode, status, error.code);
      assert.deepEqual(response.body.error, { message: error.message, type, param: error.fields?.param ?? null, code }, error.code);
    }
  });

  it('keeps the retry hint and hides the text of unknown errors', () => {
    assert.equal(toOpenAIErrorResponse(new OutcropError('ThrottlingException', 'x', { retryAfterSeconds: 6.2 })).headers['retry-after'], '7');
    const unknown = toOpenAIErrorResponse(new Error('secret database path'));
    assert.equal(unknown.statusCode, 500);
    assert.doesNotMatch(unknown.body.error.message, /secret/);
  });

  it('words a wrong API key as OpenAI users expect', () => {
    assert.match(authenticationFailed(new OutcropError('UnrecognizedClientException', 'The security token included in the request is invalid.')).message, /^Incorrect API key provided/);
  });
});

describe('checkJsonSchema', () => {
  const schema = {
    type: 'object',
    properties: { rock: { type: 'string', enum: ['granite', 'basalt'] }, hardness: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['rock'],
    additionalProperties: false,
  };

  it('accepts what fits and names what does not', () => {
    assert.deepEqual(checkJsonSchema({ rock: 'granite', hardness: 6.5, tags: ['igneous'] }, schema), []);
    assert.deepEqual(checkJsonSchema({ rock: 'marble', tags: [1], color: 'red' }, schema), [
      '$.rock: must be one of ["granite","basalt"]',
      '$.tags[0]: expected string',
      "$: unexpected property 'color'",
    ]);
    assert.deepEqual(checkJsonSchema({}, schema), ["$: missing required property 'rock'"]);
    assert.deepEqual(checkJsonSchema([], schema), ['$: expected object']);
    assert.deepEqual(checkJsonSchema(3, { type: 'integer' }), []);
    assert.deepEqual(checkJsonSchema(null, { anyOf: [{ type: 'string' }, { type: 'null' }] }), []);
  });
});
