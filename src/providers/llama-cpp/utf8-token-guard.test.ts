import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LlamaModel, Token, TokenBias } from 'node-llama-cpp';
import { invalidTokensByState, nextUtf8State, Utf8TokenGuard, utf8StateOfTail, vocabularyBytes } from './utf8-token-guard.js';

/** Whether Node's own decoder, in fatal mode, accepts the bytes. */
function validUtf8(bytes: number[]): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    return true;
  } catch {
    return false;
  }
}

function decodes(bytes: number[]): boolean {
  let state = 0 as ReturnType<typeof nextUtf8State>;
  for (const byte of bytes) {
    state = nextUtf8State(state, byte);
    if (state === -1) return false;
  }
  return state === 0;
}

describe('utf8 token guard', () => {
  it('its decoder agrees with the WHATWG decoder on every one- and two-byte input and on random longer ones', () => {
    for (let first = 0; first < 256; first++) {
      assert.equal(decodes([first]), validUtf8([first]), `byte ${first.toString(16)}`);
      for (let second = 0; second < 256; second++) assert.equal(decodes([first, second]), validUtf8([first, second]), `${first.toString(16)} ${second.toString(16)}`);
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 50_000; round++) {
      const bytes = Array.from({ length: 3 + (random() % 3) }, () => (random() % 2 === 0 ? 0x80 + (random() % 0x40) : 0xc0 + (random() % 0x40)));
      assert.equal(decodes(bytes), validUtf8(bytes), bytes.map((byte) => byte.toString(16)).join(' '));
    }
  });

  it('reads the decoder state from the tail of the text', () => {
    assert.equal(utf8StateOfTail(Buffer.from('plain')), 0);
    assert.equal(utf8StateOfTail(Buffer.from('é')), 0);
    assert.equal(utf8StateOfTail(Uint8Array.of(0x61, 0xe2)), 2);
    assert.equal(utf8StateOfTail(Uint8Array.of(0x61, 0xe2, 0x82)), 1);
    assert.equal(utf8StateOfTail(Uint8Array.of(0xe0)), 3, 'E0 needs A0-BF next (no overlong form)');
    assert.equal(utf8StateOfTail(Uint8Array.of(0xed)), 4, 'ED needs 80-9F next (no surrogate)');
    assert.equal(utf8StateOfTail(Uint8Array.of(0xf4)), 7, 'F4 needs 80-8F next (nothing past U+10FFFF)');
    assert.equal(utf8StateOfTail(Uint8Array.of(0xf0, 0x9f)), 2);
    assert.equal(utf8StateOfTail(Uint8Array.of(0x80, 0x80, 0x80, 0x80)), 0, 'garbage counts as between characters');
  });

  it('reads GPT-2 byte-level, <0xXX> byte and control tokens as llama.cpp renders them', () => {
    // Ġ is GPT-2's space; Ā its byte 0x00; ¡ (U+00A1) stands for itself
    const bytes = vocabularyBytes('gpt2', ['Ġa', 'Ā', '¡', '<|im_end|>', '<tool>'], [1, 1, 1, 3, 4]);
    assert.deepEqual(
      bytes.map((value) => [...value]),
      [[0x20, 0x61], [0x00], [0xa1], [], [...Buffer.from('<tool>')]],
    );
    const spm = vocabularyBytes('llama', ['<0xE2>', '▁the', '<s>'], [6, 1, 3]);
    assert.deepEqual(
      spm.map((value) => [...value]),
      [[0xe2], [...Buffer.from('▁the')], []],
    );
  });

  it('bans exactly the tokens that would make the output invalid from each state', () => {
    const vocabulary = [Uint8Array.of(0x61), Uint8Array.of(0xe2), Uint8Array.of(0x82, 0xac), Uint8Array.of(0xfd), Uint8Array.of(0xe0, 0x8f), Uint8Array.of(0x80), new Uint8Array(0)];
    const banned = invalidTokensByState(vocabulary);
    // between characters: a lone continuation, a never-valid byte, an overlong start
    assert.deepEqual(banned[0], [2, 3, 4, 5]);
    // after E2 (two continuations due): only continuation-led tokens fit
    assert.deepEqual(banned[2], [0, 1, 3, 4]);
  });

  it('asks for the bias of the state after the tokens being decoded', async () => {
    const calls: Token[][] = [];
    const fakeBias = () => {
      const tokens: Token[] = [];
      calls.push(tokens);
      return { set: (token: Token) => tokens.push(token) } as unknown as TokenBias;
    };
    const vocabulary = [Uint8Array.of(0x61), Uint8Array.of(0xe2), Uint8Array.of(0x82), Uint8Array.of(0xac)];
    const guard = new Utf8TokenGuard({} as LlamaModel, fakeBias, vocabulary);
    // a sequence whose evaluate samples 1 (E2), 2 (82), 3 (AC), asking the bias before each sample
    const sampled = [1, 2, 3] as Token[];
    let watch: ReturnType<Utf8TokenGuard['watch']> | undefined;
    const sequence = {
      contextTokens: [0, 0] as Token[],
      async *evaluate(tokens: Token[]) {
        let decoding = tokens;
        for (const token of sampled) {
          watch?.bias();
          sequence.contextTokens = [...sequence.contextTokens, ...decoding];
          const replacement: Token | undefined = yield token;
          decoding = [replacement ?? token];
        }
      },
    };
    const original = sequence.evaluate;
    watch = guard.watch(sequence as never);
    const tokens: Token[] = [];
    for await (const token of (sequence.evaluate as typeof original)([0 as Token])) tokens.push(token);
    assert.deepEqual(tokens, [1, 2, 3]);
    // between characters, after E2 (two continuations due), after E2 82 (one due)
    assert.equal(calls.length, 3);
    assert.deepEqual(calls[0], [2, 3]);
    assert.deepEqual(calls[1], [0, 1]);
    assert.deepEqual(calls[2], [0, 1]);
    assert.equal(guard.stateOf([1, 2] as Token[]), 1);
    assert.equal(guard.stateOf([3] as Token[], () => [1, 2] as Token[]), 0);
    watch.dispose();
    assert.equal(sequence.evaluate, original, 'dispose puts evaluate back');
  });
});
