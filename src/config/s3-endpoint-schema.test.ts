import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentsSchema } from './agents-schema.js';
import { knowledgeSchema } from './knowledge-schema.js';
import { s3ConnectionOptionsOf, s3EndpointSchema } from './s3-endpoint-schema.js';

describe('s3EndpointSchema', () => {
  it('names its own key when only one of the two keys is given', () => {
    for (const [schema, prefix] of [
      [agentsSchema, 'agents.s3'],
      [knowledgeSchema, 'knowledge.s3'],
    ] as const) {
      const result = schema.safeParse({ s3: { endpoint: 'http://minio:9000', accessKeyId: 'AKIA' } });
      assert.equal(result.success, false);
      assert.equal(result.error?.issues[0]?.message, `${prefix} needs both accessKeyId and secretAccessKey, or neither`);
    }
  });

  it('refuses an endpoint that is not a URL and defaults the region', () => {
    assert.equal(s3EndpointSchema('x.s3').safeParse({ endpoint: 'not a url' }).success, false);
    assert.deepEqual(s3EndpointSchema('x.s3').parse({}), { region: 'us-east-1' });
  });
});

describe('s3ConnectionOptionsOf', () => {
  it('passes credentials only with both keys, and the session token only when set', () => {
    assert.deepEqual(s3ConnectionOptionsOf({ endpoint: 'http://minio:9000', region: 'eu-west-1', accessKeyId: 'a', secretAccessKey: 'b', forcePathStyle: false }), {
      endpoint: 'http://minio:9000',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      forcePathStyle: false,
    });
    assert.deepEqual(s3ConnectionOptionsOf({ region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' }), {
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' },
    });
    assert.deepEqual(s3ConnectionOptionsOf({ region: 'us-east-1' }), { region: 'us-east-1' });
  });
});
