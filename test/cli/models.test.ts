import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { makeTestGguf } from '../../scripts/make-test-gguf.js';
import { type FakeHuggingFace, startFakeHuggingFace } from '../support/fake-hugging-face.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const gguf = makeTestGguf('qwen2');
const sha256 = createHash('sha256').update(readFileSync(gguf)).digest('hex');
const spec = 'outcrop-test/tiny-qwen2-GGUF/Tiny-Qwen2-F16.gguf';
let hub: FakeHuggingFace;
let workDir: string;

/** Runs `node bin/outcrop.js <args>` to completion. */
function outcrop(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'outcrop.js'), ...args], {
      env: { ...process.env, OUTCROP_HF_ENDPOINT: hub.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function registry(dataDir: string): { models: { id: string; path: string; sha256: string; name: string; kind: string }[] } {
  const file = join(dataDir, 'models.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { models: [] };
}

const destination = (dataDir: string) => join(dataDir, 'models', 'outcrop-test', 'tiny-qwen2-GGUF', 'Tiny-Qwen2-F16.gguf');

before(async () => {
  hub = await startFakeHuggingFace({ [spec]: gguf });
  workDir = mkdtempSync(join(tmpdir(), 'outcrop-models-'));
});
after(async () => {
  await hub.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('outcrop models pull', () => {
  it('downloads through the resolver redirect, verifies the advertised SHA-256 and registers the model', async () => {
    const dataDir = join(workDir, 'complete');
    const result = await outcrop(['models', 'pull', spec, '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Pulled tiny-qwen2-f16 \(Outcrop Test Qwen2 \(tiny\)/);
    assert.equal(createHash('sha256').update(readFileSync(destination(dataDir))).digest('hex'), sha256);
    assert.deepEqual(
      registry(dataDir).models.map(({ id, path, sha256: hash, kind }) => ({ id, path, hash, kind })),
      [{ id: 'tiny-qwen2-f16', path: destination(dataDir), hash: sha256, kind: 'text' }],
    );
    assert.match(result.stderr, /Tiny-Qwen2-F16\.gguf: .*\(100%\)/, 'progress lines on a non-TTY stderr');
  });

  it('resumes with an HTTP Range request when the connection drops mid-body', async () => {
    const dataDir = join(workDir, 'resumed');
    hub.ranges.length = 0;
    hub.dropNext(1, 1_000_000);
    const result = await outcrop(['models', 'pull', spec, '--data-dir', dataDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(hub.ranges[0], undefined);
    assert.match(hub.ranges[1] ?? '', /^bytes=\d+-$/);
    assert.ok(Number(/bytes=(\d+)-/.exec(hub.ranges[1] ?? '')?.[1]) >= 100_000, `resumed from ${hub.ranges[1]}`);
    assert.equal(createHash('sha256').update(readFileSync(destination(dataDir))).digest('hex'), sha256);
    assert.equal(registry(dataDir).models.length, 1);
  });

  it('keeps the .partial file when it gives up, and a second pull resumes it', async () => {
    const dataDir = join(workDir, 'interrupted');
    hub.ranges.length = 0;
    hub.dropNext(1, 2_000_000);
    const first = await outcrop(['models', 'pull', spec, '--data-dir', dataDir, '--retries', '0']);
    assert.equal(first.code, 1);
    assert.match(first.stderr, /interrupted at \d+ bytes.*run the same command again to resume/);
    assert.ok(existsSync(`${destination(dataDir)}.partial`));
    assert.equal(registry(dataDir).models.length, 0);
    const second = await outcrop(['models', 'pull', spec, '--data-dir', dataDir]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(hub.ranges.at(-1) ?? '', /^bytes=\d+-$/);
    assert.ok(!existsSync(`${destination(dataDir)}.partial`));
    assert.equal(createHash('sha256').update(readFileSync(destination(dataDir))).digest('hex'), sha256);
  });

  it('rejects a file whose checksum does not match, and registers nothing', async () => {
    const dataDir = join(workDir, 'mismatch');
    hub.advertise('0'.repeat(64));
    try {
      const advertised = await outcrop(['models', 'pull', spec, '--data-dir', dataDir]);
      assert.equal(advertised.code, 1);
      assert.match(advertised.stderr, /checksum mismatch/);
    } finally {
      hub.advertise(undefined);
    }
    const given = await outcrop(['models', 'pull', spec, '--data-dir', dataDir, '--sha256', 'f'.repeat(64)]);
    assert.equal(given.code, 1);
    assert.match(given.stderr, /checksum mismatch: expected SHA-256 f{64}/);
    assert.ok(!existsSync(destination(dataDir)) && !existsSync(`${destination(dataDir)}.partial`));
    assert.equal(registry(dataDir).models.length, 0);
  });

  it('answers 404 for a file the hub does not have', async () => {
    const result = await outcrop(['models', 'pull', 'outcrop-test/none/missing.gguf', '--data-dir', join(workDir, 'missing')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HTTP 404/);
  });
});

describe('outcrop models list / rm and serve', () => {
  it('lists and removes pulled models', async () => {
    const dataDir = join(workDir, 'complete');
    const listed = await outcrop(['models', 'list', '--data-dir', dataDir]);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^ID\s+NAME\s+KIND\s+SIZE\s+SOURCE\ntiny-qwen2-f16\s+Outcrop Test Qwen2 \(tiny\)\s+text\s+7\.5 MB\s+outcrop-test\/tiny-qwen2-GGUF\/Tiny-Qwen2-F16\.gguf\n$/);
    const removed = await outcrop(['models', 'rm', 'tiny-qwen2-f16', '--data-dir', dataDir]);
    assert.equal(removed.code, 0);
    assert.ok(!existsSync(destination(dataDir)));
    assert.equal(registry(dataDir).models.length, 0);
    assert.equal((await outcrop(['models', 'rm', 'tiny-qwen2-f16', '--data-dir', dataDir])).code, 1);
  });

  it('serve adds pulled models and --model files to the catalog', async () => {
    const dataDir = join(workDir, 'resumed');
    const child: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'outcrop.js'), 'serve', '--port', '0', '--no-auth', '--data-dir', dataDir, '--model', makeTestGguf('llama')], {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
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
      });
      const client = new BedrockRuntimeClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'any' }, maxAttempts: 1 });
      const llamaId = /outcrop-test-llama-[0-9a-f]{12}/.exec(makeTestGguf('llama'))?.[0] as string;
      for (const modelId of ['tiny-qwen2-f16', llamaId]) {
        const response = await client.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 4 } }));
        assert.ok((response.usage?.outputTokens ?? 0) > 0, modelId);
      }
      client.destroy();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
