import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

/** boto3 against the real server: create, action group, prepare, alias (bedrock-agent), then InvokeAgent and InvokeInlineAgent streams (bedrock-agent-runtime). */

const script = join(dirname(fileURLToPath(import.meta.url)), 'python', 'agents_control.py');
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** Runs python without blocking the event loop (the server under test shares it). */
function runPython(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  Object.assign(env, {
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    PYTHONDONTWRITEBYTECODE: '1',
  });
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bedrock-agent through boto3', () => {
  it('creates, prepares and aliases an agent, and gets Bedrock errors for bad calls', async () => {
    const result = await runPython([script, server.url]);
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
