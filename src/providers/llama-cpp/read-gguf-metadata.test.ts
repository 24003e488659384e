import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import { readGgufMetadata } from './read-gguf-metadata.js';

describe('readGgufMetadata', () => {
  it('reads scalars and array lengths from a GGUF header', () => {
    const metadata = readGgufMetadata(makeTestGguf('qwen2'));
    assert.equal(metadata.get('general.architecture'), 'qwen2');
    assert.equal(metadata.get('general.name'), 'Outcrop Test Qwen2 (tiny)');
    assert.equal(metadata.get('qwen2.embedding_length'), 256);
    assert.equal(metadata.get('qwen2.attention.head_count_kv'), 2);
    assert.equal(metadata.get('tokenizer.ggml.add_bos_token'), false);
    assert.deepEqual(metadata.get('tokenizer.ggml.tokens'), { arrayLength: 4096 });
    assert.match(String(metadata.get('tokenizer.chat_template')), /<\|im_start\|>/);
  });

  it('stops once the wanted keys were read', () => {
    const metadata = readGgufMetadata(makeTestGguf('llama'), ['general.name']);
    assert.equal(metadata.get('general.name'), 'Outcrop Test Llama (SmolLM2-135M shapes)');
    assert.equal(metadata.has('tokenizer.ggml.tokens'), false);
  });

  it('refuses files that are not GGUF, and missing files, with ValidationException', () => {
    const directory = mkdtempSync(join(tmpdir(), 'outcrop-gguf-'));
    try {
      writeFileSync(join(directory, 'not.gguf'), 'PK\u0003\u0004 a zip file');
      assert.throws(() => readGgufMetadata(join(directory, 'not.gguf')), { name: 'ValidationException', message: /is not a GGUF file/ });
      writeFileSync(join(directory, 'short.gguf'), Buffer.from('GGUF\u0003\u0000\u0000\u0000'));
      assert.throws(() => readGgufMetadata(join(directory, 'short.gguf')), { name: 'ValidationException', message: /truncated/ });
      assert.throws(() => readGgufMetadata(join(directory, 'absent.gguf')), { name: 'ValidationException', message: /cannot be read: ENOENT/ });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
