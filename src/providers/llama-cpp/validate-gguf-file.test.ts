import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import { type LlamaRuntime, loadLlamaRuntime } from './llama-cpp-runtime.js';
import { ggmlTypeLayout, validateGgufFile } from './validate-gguf-file.js';

const source = makeTestGguf('llama');
let runtime: LlamaRuntime;
let directory: string;

before(async () => {
  runtime = await loadLlamaRuntime({ gpu: false, maxThreads: 2 });
  directory = mkdtempSync(join(tmpdir(), 'outcrop-gguf-'));
});
after(async () => {
  await runtime.llama.dispose();
  rmSync(directory, { recursive: true, force: true });
});

/** A copy of the test model with `edit` applied to its bytes. */
function corrupted(name: string, edit: (bytes: Buffer) => void): string {
  const path = join(directory, name);
  const bytes = readFileSync(source);
  edit(bytes);
  writeFileSync(path, bytes);
  return path;
}

/** Where one tensor's info fields sit in the header. */
function tensorInfo(bytes: Buffer, tensor: string): { dimensionCount: number; dimensionsAt: number; typeAt: number; offsetAt: number } {
  const name = Buffer.from(tensor);
  let at = bytes.indexOf(name);
  while (at >= 8 && bytes.readBigUInt64LE(at - 8) !== BigInt(name.length)) at = bytes.indexOf(name, at + 1);
  const dimensionCount = bytes.readUInt32LE(at + name.length);
  const dimensionsAt = at + name.length + 4;
  const typeAt = dimensionsAt + 8 * dimensionCount;
  return { dimensionCount, dimensionsAt, typeAt, offsetAt: typeAt + 4 };
}

const refused = (pattern: RegExp) => (error: Error) => {
  assert.equal(error.name, 'ModelErrorException');
  assert.match(error.message, pattern);
  return true;
};

describe('validateGgufFile', () => {
  it('accepts a sound model and returns its tensor infos', async () => {
    const info = await validateGgufFile(runtime.module, runtime.llama, source);
    assert.ok((info.tensorInfo?.length ?? 0) > 10);
  });

  it('refuses a file cut short, naming the first tensor whose data is missing', async () => {
    const path = join(directory, 'truncated.gguf');
    copyFileSync(source, path);
    truncateSync(path, statSync(source).size - 1_000_000);
    await assert.rejects(validateGgufFile(runtime.module, runtime.llama, path), refused(/truncated\.gguf is corrupt or incomplete: tensor '[^']+' needs bytes \d+ to \d+ but the file has \d+ \(\d+ missing\): it is truncated/));
  });

  it('refuses a file cut inside its header', async () => {
    const path = join(directory, 'header.gguf');
    copyFileSync(source, path);
    truncateSync(path, 4096);
    await assert.rejects(validateGgufFile(runtime.module, runtime.llama, path), refused(/header\.gguf is corrupt or incomplete: its header (cannot be read|runs to byte \d+ but the file has 4096 bytes: it is truncated)/));
  });

  it('refuses a tensor whose data offset was moved', async () => {
    const path = corrupted('offset.gguf', (bytes) => {
      const { offsetAt } = tensorInfo(bytes, 'blk.1.attn_q.weight');
      bytes.writeBigUInt64LE(bytes.readBigUInt64LE(offsetAt) + 4096n, offsetAt);
    });
    await assert.rejects(validateGgufFile(runtime.module, runtime.llama, path), refused(/tensor 'blk\.1\.attn_q\.weight' has data offset \d+, but the tensors before it end at \d+/));
  });

  it('refuses tensor types llama.cpp does not know or removed, and bad dimensions', async () => {
    for (const [type, label] of [
      [4, /type 4 \(Q4_2\), which this llama\.cpp build cannot load/],
      [77, /type 77, which this llama\.cpp build cannot load/],
    ] as const) {
      const path = corrupted(`type-${type}.gguf`, (bytes) => bytes.writeUInt32LE(type, tensorInfo(bytes, 'blk.0.attn_k.weight').typeAt));
      await assert.rejects(validateGgufFile(runtime.module, runtime.llama, path), refused(label));
    }
    const zero = corrupted('zero.gguf', (bytes) => bytes.writeBigUInt64LE(0n, tensorInfo(bytes, 'blk.0.attn_k.weight').dimensionsAt));
    await assert.rejects(validateGgufFile(runtime.module, runtime.llama, zero), refused(/tensor 'blk\.0\.attn_k\.weight' has dimensions \[0, 192\]/));
    const huge = corrupted('huge.gguf', (bytes) => bytes.writeBigUInt64LE(1n << 40n, tensorInfo(bytes, 'blk.0.attn_k.weight').dimensionsAt));
    await assert.rejects(validateGgufFile(runtime.module, runtime.llama, huge), refused(/blk\.0\.attn_k\.weight/));
  });

  it("agrees with ggml's table on every tensor type the binding knows", () => {
    for (let type = 0; type < 40; type++) {
      const fromBinding = ggmlTypeLayout(runtime.llama, type);
      const fromTable = ggmlTypeLayout(undefined, type);
      if (fromTable) assert.deepEqual(fromBinding, fromTable, `type ${type}`);
    }
  });
});
