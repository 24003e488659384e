import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runBoto3 } from '../support/run-boto3.js';
import { type TestServer, startTestServer } from '../support/test-server.js';

/** boto3 against the real server: create, action group, prepare, alias (bedrock-agent), then InvokeAgent and InvokeInlineAgent streams (bedrock-agent-runtime). */

const script = join(dirname(fileURLToPath(import.meta.url)), 'python', 'agents_control.py');
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

describe('bedrock-agent through boto3', () => {
  it('creates, prepares and aliases an agent, and gets Bedrock errors for bad calls', async () => {
    const result = await runBoto3([script, server.url], 60_000);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    assert.equal(out.created.status, 'NOT_PREPARED');
    assert.equal(out.created.ttl, 600);
    assert.match(out.created.arn, /^arn:aws:bedrock:us-east-1:000000000000:agent\/[0-9A-Z]{10}$/);
    assert.deepEqual(out.prepared, { status: 'PREPARED', version: 'DRAFT', hasPreparedAt: true });
    assert.deepEqual(out.alias.routing, [{ agentVersion: '1' }]);
    assert.equal(out.alias.status, 'PREPARED');
    assert.match(out.alias.arn, new RegExp(`agent-alias/[0-9A-Z]{10}/${out.alias.id}$`));
    assert.deepEqual(out.versions, ['DRAFT', '1']);
    assert.equal(out.duplicate.code, 'ConflictException');
    assert.equal(out.duplicate.status, 409);
    assert.match(out.duplicate.message, /boto3-agent already exists/);
    assert.deepEqual(out.missing, { code: 'ResourceNotFoundException', status: 404 });
    assert.ok(out.invoked.kinds.includes('chunk') && out.invoked.kinds.includes('trace'), JSON.stringify(out.invoked));
    assert.ok(out.invoked.text.length > 0);
    assert.equal(out.invoked.sessionId, 'boto3-session');
    assert.deepEqual(out.inline.kinds, ['chunk']);
    assert.ok(out.inline.text.length > 0);
    assert.deepEqual(out.missingAlias, { code: 'ResourceNotFoundException', status: 404 });
  });
});
