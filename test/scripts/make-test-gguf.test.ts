import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildBpeVocabulary, byteLevelTable } from '../../scripts/gguf/test-vocabulary.js';
import { makeTestGguf } from '../../scripts/make-test-gguf.js';
import { readGgufMetadata } from '../../src/providers/llama-cpp/read-gguf-metadata.js';

const directory = mkdtempSync(join(tmpdir(), 'outcrop-make-gguf-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('make-test-gguf', () => {
  it('writes each preset once and reuses it by content hash', () => {
    const path = makeTestGguf('bert', directory);
    const written = statSync(path).mtimeMs;
    assert.equal(makeTestGguf('bert', directory), path);
    assert.equal(statSync(path).mtimeMs, written);
    assert.deepEqual(readdirSync(directory), [path.split('/').at(-1)]);
  });

  it('writes the real architectures metadata keys and GGUF v3 alignment', () => {
    const metadata = readGgufMetadata(makeTestGguf('llama', directory));
    assert.equal(metadata.get('general.architecture'), 'llama');
    assert.equal(metadata.get('llama.embedding_length'), 576);
    assert.equal(metadata.get('llama.attention.head_count'), 9);
    assert.equal(metadata.get('llama.attention.head_count_kv'), 3);
    assert.equal(metadata.get('llama.feed_forward_length'), 1536);
    assert.equal(metadata.get('tokenizer.ggml.model'), 'gpt2');
    assert.deepEqual(metadata.get('tokenizer.ggml.merges'), { arrayLength: 4096 - 256 - 3 });
  });

  it('builds a deterministic byte-level BPE vocabulary whose merges only produce known tokens', () => {
    const first = buildBpeVocabulary({ size: 1024, special: ['<|endoftext|>'], specialFirst: false });
    const second = buildBpeVocabulary({ size: 1024, special: ['<|endoftext|>'], specialFirst: false });
    assert.deepEqual(first, second);
    assert.equal(first.tokens.length, 1024);
    assert.equal(new Set(first.tokens).size, 1024);
    assert.deepEqual(first.special, { '<|endoftext|>': 1023 });
    const known = new Set(first.tokens);
    for (const merge of first.merges) {
      const [left, right] = merge.split(' ') as [string, string];
      assert.ok(known.has(left) && known.has(right) && known.has(left + right), merge);
    }
    assert.equal(byteLevelTable().length, 256);
    assert.ok(first.tokens.includes('Ġthe'), 'learned from the corpus: a space-prefixed word');
  });
});
