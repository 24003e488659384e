import type { LlamaContextSequence, LlamaModel, Token, TokenBias } from 'node-llama-cpp';
import { tapSequenceEvaluate } from './tap-sequence-evaluate.js';

/**
 * States of a strict UTF-8 decoder (RFC 3629): 0 is between characters; the others wait for
 * continuation bytes, some with a narrowed first one (no overlong forms, no surrogates, nothing past
 * U+10FFFF). -1 is an invalid sequence.
 */
type Utf8State = -1 | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

const STATES = 8;

function inRange(byte: number, low: number, high: number): boolean {
  return byte >= low && byte <= high;
}

/** The decoder's next state after `byte`. */
export function nextUtf8State(state: Utf8State, byte: number): Utf8State {
  switch (state) {
    case 0:
      if (byte < 0x80) return 0;
      if (inRange(byte, 0xc2, 0xdf)) return 1;
      if (byte === 0xe0) return 3;
      if (byte === 0xed) return 4;
      if (inRange(byte, 0xe1, 0xef)) return 2;
      if (byte === 0xf0) return 6;
      if (inRange(byte, 0xf1, 0xf3)) return 5;
      if (byte === 0xf4) return 7;
      return -1;
    case 1:
      return inRange(byte, 0x80, 0xbf) ? 0 : -1;
    case 2:
      return inRange(byte, 0x80, 0xbf) ? 1 : -1;
    case 3:
      return inRange(byte, 0xa0, 0xbf) ? 1 : -1;
    case 4:
      return inRange(byte, 0x80, 0x9f) ? 1 : -1;
    case 5:
      return inRange(byte, 0x80, 0xbf) ? 2 : -1;
    case 6:
      return inRange(byte, 0x90, 0xbf) ? 2 : -1;
    case 7:
      return inRange(byte, 0x80, 0x8f) ? 2 : -1;
    default:
      return -1;
  }
}

function run(state: Utf8State, bytes: Uint8Array): Utf8State {
  let current = state;
  for (const byte of bytes) {
    current = nextUtf8State(current, byte);
    if (current === -1) return -1;
  }
  return current;
}

/**
 * The decoder state at the end of some text's bytes, read from its last few bytes: from the last
 * byte that is not a continuation byte. Text that is already invalid counts as between characters.
 */
export function utf8StateOfTail(tail: Uint8Array): Utf8State {
  let start = tail.length - 1;
  while (start >= 0 && start >= tail.length - 4 && (tail[start] as number) >= 0x80 && (tail[start] as number) < 0xc0) start--;
  if (start < 0 || start < tail.length - 4) return 0;
  const state = run(0, tail.subarray(start));
  return state === -1 ? 0 : state;
}

/** GPT-2's byte-level alphabet (printable bytes as themselves, the rest from U+0100), reversed. */
function byteLevelDecoder(): Map<string, number> {
  const printable = (byte: number) => (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);
  const decoder = new Map<string, number>();
  let next = 256;
  for (let byte = 0; byte < 256; byte++) decoder.set(String.fromCodePoint(printable(byte) ? byte : next++), byte);
  return decoder;
}

/** llama.cpp token types (GGUF `tokenizer.ggml.token_type`). */
const TokenType = { normal: 1, control: 3, userDefined: 4, byte: 6 } as const;

/**
 * The bytes each token of a GGUF vocabulary writes, as llama.cpp renders it: byte-level BPE
 * (`gpt2`) tokens through GPT-2's byte alphabet, `<0xXX>` byte tokens as that byte, other tokens as
 * their UTF-8 text, control tokens as nothing.
 */
export function vocabularyBytes(tokenizerModel: string, tokens: readonly string[], types: readonly number[] | undefined): Uint8Array[] {
  const empty = new Uint8Array(0);
  const byteLevel = tokenizerModel === 'gpt2' ? byteLevelDecoder() : undefined;
  return tokens.map((text, index) => {
    const type = types?.[index] ?? TokenType.normal;
    if (type === TokenType.control) return empty;
    if (type === TokenType.byte) {
      const match = /^<0x([0-9A-Fa-f]{2})>$/.exec(text);
      return match ? Uint8Array.of(Number.parseInt(match[1] as string, 16)) : Buffer.from(text, 'utf8');
    }
    if (byteLevel && type === TokenType.normal) {
      const bytes: number[] = [];
      for (const character of text) {
        const byte = byteLevel.get(character);
        if (byte === undefined) return Buffer.from(text, 'utf8');
        bytes.push(byte);
      }
      return Uint8Array.from(bytes);
    }
    return Buffer.from(text, 'utf8');
  });
}

/**
 * For each decoder state, the tokens that would make the output invalid UTF-8 from it: tokens holding
 * bytes that never occur in UTF-8, overlong or surrogate forms, or continuation bytes where none is
 * due (and, mid-character, anything that is not the continuation due).
 */
export function invalidTokensByState(bytes: readonly Uint8Array[]): Token[][] {
  const banned: Token[][] = Array.from({ length: STATES }, () => []);
  bytes.forEach((tokenBytes, token) => {
    if (tokenBytes.length === 0) return;
    for (let state = 0; state < STATES; state++) {
      if (run(state as Utf8State, tokenBytes) === -1) (banned[state] as Token[]).push(token as Token);
    }
  });
  return banned;
}

/**
 * Keeps a model's output valid UTF-8. llama.cpp's grammar engine reads bytes leniently (overlong
 * forms and lead bytes past U+10FFFF count as one character), so a grammar-forced string could hold
 * bytes that decode to U+FFFD and break the schema's `maxLength`; the guard bans, at each step, the
 * tokens that would make the bytes written so far invalid.
 *
 * @example
 * const watch = guard.watch(sequence);
 * try { await chat.generateResponse(history, { grammar, tokenBias: watch.bias }); } finally { watch.dispose(); }
 */
export class Utf8TokenGuard {
  private readonly biases: (TokenBias | undefined)[] = new Array(STATES);
  private banned: Token[][] | undefined;

  constructor(
    private readonly model: LlamaModel,
    private readonly createBias: (model: LlamaModel) => TokenBias,
    private readonly bytes: readonly Uint8Array[],
  ) {}

  /** A guard for a loaded model, from the vocabulary in its GGUF metadata. */
  static forModel(model: LlamaModel, createBias: (model: LlamaModel) => TokenBias): Utf8TokenGuard {
    const tokenizer = (model.fileInfo.metadata as { tokenizer?: { ggml?: { model?: string; tokens?: readonly string[]; token_type?: readonly number[] } } }).tokenizer?.ggml;
    return new Utf8TokenGuard(model, createBias, vocabularyBytes(tokenizer?.model ?? '', tokenizer?.tokens ?? [], tokenizer?.token_type));
  }

  /**
   * Follows a sequence's generation for one request. The bias is read while the sequence decodes the
   * token sampled last, before node-llama-cpp adds that token to `contextTokens`, so the watch taps
   * the sequence's `evaluate` iterator for the tokens being decoded (the sequence is leased to one
   * request, and `dispose` puts the method back).
   */
  watch(sequence: LlamaContextSequence): { bias: () => TokenBias; dispose: () => void } {
    let decoding: Token[] = [];
    const watch = tapSequenceEvaluate(sequence, (tokens) => {
      decoding = tokens;
      return {
        next: (next) => {
          decoding = next;
        },
      };
    });
    return { bias: () => this.biasFor(this.stateOf(decoding, () => sequence.contextTokens)), dispose: watch.dispose };
  }

  private biasFor(state: Utf8State): TokenBias {
    let bias = this.biases[state];
    if (!bias) {
      this.banned ??= invalidTokensByState(this.bytes);
      bias = this.createBias(this.model);
      for (const token of this.banned[state] as Token[]) bias.set(token, 'never');
      this.biases[state] = bias;
    }
    return bias;
  }

  /** The decoder state after `earlier()` then `last`, read from their last few bytes. */
  stateOf(last: readonly Token[], earlier: () => readonly Token[] = () => []): Utf8State {
    const tail: number[] = [];
    const take = (tokens: readonly Token[]) => {
      for (let index = tokens.length - 1; index >= 0 && tail.length < 4 && index >= tokens.length - 8; index--) {
        const tokenBytes = this.bytes[tokens[index] as number];
        if (tokenBytes) tail.unshift(...tokenBytes.subarray(Math.max(0, tokenBytes.length - 4)));
      }
    };
    take(last);
    // earlier tokens matter only when the tail so far is all continuation bytes
    if (tail.length < 4 && tail.every((byte) => byte >= 0x80 && byte < 0xc0)) take(earlier());
    return utf8StateOfTail(Uint8Array.from(tail));
  }
}
