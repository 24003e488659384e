import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { type FakeUpstream, startFakeUpstream } from '../support/fake-openai-upstream.js';
import { testConfigYaml } from '../support/test-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const credentials = { accessKeyId: 'AKIAOUTCROPCLITEST01', secretAccessKey: 'cli-test-secret-0123456789' };

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `node bin/outcrop.js serve` and waits for its ready line. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [join(root, 'bin', 'outcrop.js'), 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Outcrop is ready at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => reject(new Error(`exited early:\n${output}`)));
  });
  return { child, url, output: () => output, exit };
}

let upstream: FakeUpstream;
let workDir: string;

before(async () => {
  upstream = await startFakeUpstream();
  workDir = mkdtempSync(join(tmpdir(), 'outcrop-cli-'));
  writeFileSync(join(workDir, 'outcrop.yaml'), testConfigYaml(upstream.url).replace('shutdownGraceMs: 2000', 'shutdownGraceMs: 300'));
});
after(async () => {
  await upstream.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('outcrop serve', () => {
  it('generates root credentials on first start, prints them once, and serves with them', async () => {
    const dataDir = join(workDir, 'generated');
    const first = await serve(['--port', '0', '--data-dir', dataDir, '--config', join(workDir, 'outcrop.yaml')]);
    const key = /AWS_ACCESS_KEY_ID=(\S+)/.exec(first.output())?.[1];
    const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(first.output())?.[1];
    assert.ok(key && secret, first.output());
    assert.match(first.output(), /AWS_BEARER_TOKEN_BEDROCK=ABSK/);
    const client = new BedrockRuntimeClient({ endpoint: first.url, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: secret }, maxAttempts: 1 });
    assert.equal((await client.send(new ConverseCommand({ modelId: 'outcrop.text', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))).stopReason, 'end_turn');
    client.destroy();
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);
    const second = await serve(['--port', '0', '--data-dir', dataDir, '--config', join(workDir, 'outcrop.yaml')]);
    assert.doesNotMatch(second.output(), /AWS_SECRET_ACCESS_KEY=/, 'credentials are printed only once');
    const again = new BedrockRuntimeClient({ endpoint: second.url, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: secret }, maxAttempts: 1 });
    assert.equal((await again.send(new ConverseCommand({ modelId: 'outcrop.text', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))).stopReason, 'end_turn');
    again.destroy();
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0);
  });

  it('on SIGTERM ends an in-flight stream with an exception event and exits cleanly', async () => {
    const running = await serve(['--port', '0', '--data-dir', join(workDir, 'term'), '--config', join(workDir, 'outcrop.yaml')], {
      OUTCROP_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
      OUTCROP_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    const client = new BedrockRuntimeClient({ endpoint: running.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const response = await client.send(new ConverseStreamCommand({ modelId: 'outcrop.endless', messages: [{ role: 'user', content: [{ text: 'sing' }] }] }));
    let deltas = 0;
    let failure: Error | undefined;
    try {
      for await (const event of response.stream ?? []) {
        if (event.contentBlockDelta) deltas++;
        if (deltas === 2) running.child.kill('SIGTERM');
      }
    } catch (error) {
      failure = error as Error;
    }
    assert.ok(deltas >= 2);
    assert.equal(failure?.name, 'ServiceUnavailableException');
    assert.match(failure?.message ?? '', /shutting down/);
    assert.equal(await running.exit, 0);
    client.destroy();
  });

  it('rejects bad arguments with usage', async () => {
    const child = spawn(process.execPath, [join(root, 'bin', 'outcrop.js'), 'serve', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(output, /--port must be an integer/);
  });
});
