import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LlamaModel, Token } from 'node-llama-cpp';
import { makeTestGguf } from '../../../scripts/make-test-gguf.js';
import { type LlamaRuntime, loadLlamaRuntime } from './llama-cpp-runtime.js';
import { memoizeTokenizer } from './tokenizer-memo.js';

/** A model whose tokenizer counts its calls: one token per character. */
function countingModel(): { model: LlamaModel; calls: string[] } {
  const calls: string[] = [];
  const tokenize = (text: string) => {
    calls.push(text);
    return [...text].map((character) => character.codePointAt(0) as Token);
  };
  const tokenizer = Object.assign(tokenize, { detokenize: () => '', isSpecialToken: () => false, isEogToken: () => false });
  const model = { tokenize: tokenizer, tokenizer, disposed: false };
  return { model: model as unknown as LlamaModel, calls };
}

describe('memoizeTokenizer', () => {
  it('tokenizes a text once, through both model.tokenize and model.tokenizer', () => {
    const { model, calls } = countingModel();
    memoizeTokenizer(model);
    const first = model.tokenizer('granite');
    assert.deepEqual(model.tokenize('granite'), first);
    assert.deepEqual(calls, ['granite']);
  });

  it('keys on the special-token flag and the options as well as the text', () => {
    const { model, calls } = countingModel();
    memoizeTokenizer(model);
    model.tokenize('<|im_start|>', false);
    model.tokenize('<|im_start|>', true);
    model.tokenize('<|im_start|>', true, 'trimLeadingSpace');
    model.tokenize('<|im_start|>', true);
    assert.equal(calls.length, 3);
  });

  it('returns a copy on each hit, so a caller changing its array changes no one else', () => {
    const { model } = countingModel();
    memoizeTokenizer(model);
    const first = model.tokenize('basalt');
    first.splice(0, first.length);
    const second = model.tokenize('basalt');
    assert.equal(second.length, 6);
    second.push(0 as Token);
    assert.equal(model.tokenize('basalt').length, 6);
  });

  it('evicts the least recently used texts past its size, and keeps none longer than it', () => {
    const { model, calls } = countingModel();
    // room for two of these entries (each key holds the text and about a dozen characters of flags)
    memoizeTokenizer(model, 2 * (100 + 20));
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => letter.repeat(100)) as [string, string, string];
    model.tokenize(a);
    model.tokenize(b);
    model.tokenize(a); // a is now the most recently used
    model.tokenize(c); // evicts b
    calls.length = 0;
    model.tokenize(a);
    model.tokenize(c);
    assert.deepEqual(calls, []);
    model.tokenize(b);
    assert.deepEqual(calls, [b]);
    const long = 'd'.repeat(1000);
    model.tokenize(long);
    model.tokenize(long);
    assert.deepEqual(calls, [b, long, long]);
  });

  it('keeps the tokenizer’s detokenize and token tests', () => {
    const { model } = countingModel();
    const { detokenize, isSpecialToken, isEogToken } = model.tokenizer;
    memoizeTokenizer(model);
    assert.equal(model.tokenizer.detokenize, detokenize);
    assert.equal(model.tokenizer.isSpecialToken, isSpecialToken);
    assert.equal(model.tokenizer.isEogToken, isEogToken);
  });

  describe('on a real GGUF vocabulary', () => {
    let runtime: LlamaRuntime;
    let model: LlamaModel;
    before(async () => {
      runtime = await loadLlamaRuntime({ gpu: false, maxThreads: 1 });
      model = await runtime.llama.loadModel({ modelPath: makeTestGguf('smollm2-135m') });
    });
    after(async () => {
      await model?.dispose();
    });

    it('gives the same tokens as the model’s own tokenizer, from the memo too', () => {
      const original = model.tokenizer;
      const texts: [string, boolean | undefined][] = [
        ['<|im_start|>user\nName one rock.<|im_end|>\n', true],
        ['<|im_start|>user\nName one rock.<|im_end|>\n', false],
        ['Quartz veins in schist, basalt columns by the shore — 石英.', undefined],
      ];
      const expected = texts.map(([text, special]) => original(text, special));
      memoizeTokenizer(model);
      for (let round = 0; round < 2; round++) {
        texts.forEach(([text, special], index) => {
          assert.deepEqual(model.tokenize(text, special), expected[index]);
        });
      }
      assert.notDeepEqual(expected[0], expected[1], 'special tokens are parsed only when asked for');
    });

    it('lets a disposed model’s tokenizer throw as before, even for a remembered text', async () => {
      const other = await runtime.llama.loadModel({ modelPath: makeTestGguf('llama') });
      memoizeTokenizer(other);
      other.tokenize('granite');
      await other.dispose();
      assert.throws(() => other.tokenize('granite'));
    });
  });
});
