/**
 * Deterministic tokenizer vocabularies for generated test models: a GPT-2 style byte-level BPE
 * (`tokenizer.ggml.model = gpt2`: 256 byte tokens, merges learned from a small built-in corpus, then
 * systematic merges up to the requested size) and a BERT WordPiece vocabulary (`bert`).
 */

/** A few paragraphs the BPE merges are learned from, so common words get their own tokens. */
const corpus = `
Granite is a coarse-grained igneous rock composed mostly of quartz, alkali feldspar and plagioclase.
It forms from magma with a high content of silica and alkali metal oxides that slowly cools and
solidifies underground. Basalt is a fine-grained volcanic rock formed from the rapid cooling of lava
rich in magnesium and iron. Sandstone is a sedimentary rock made of sand-sized grains of minerals,
and limestone is a sedimentary rock composed mainly of calcite. Marble is a metamorphic rock formed
when limestone is subjected to heat and pressure. The hardness of a mineral is measured on the Mohs
scale from 1 to 10: talc is 1, gypsum is 2, calcite is 3, fluorite is 4, apatite is 5, feldspar is 6,
quartz is 7, topaz is 8, corundum is 9 and diamond is 10. What is the weather today? The weather is
sunny with a light wind. Please call the function with the name of the rock and return the answer in
JSON. This is some test text here. You are a helpful assistant. The user asked a question, and the assistant answered it. Hello,
how are you? I am fine, thank you. Tell me about the rocks of the world, the mountains, the rivers,
the oceans and the deserts. The system prompt says that the model should answer briefly and clearly.
{"name": "get_rock_hardness", "arguments": {"rock": "granite", "scale": "mohs"}}
`;

const pretokenizer = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const isPrintable = (byte: number): boolean => (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);

/**
 * GPT-2's byte-to-unicode table in GPT-2's vocabulary order: printable bytes map to themselves and
 * come first, the others map to U+0100 onwards.
 */
export function byteLevelTable(): [byte: number, character: string][] {
  const order = [...[...Array(256).keys()].filter(isPrintable), ...[...Array(256).keys()].filter((byte) => !isPrintable(byte))];
  let next = 256;
  return order.map((byte) => [byte, String.fromCodePoint(isPrintable(byte) ? byte : next++)]);
}

function byteEncode(text: string, alphabet: Map<number, string>): string[] {
  return [...Buffer.from(text, 'utf8')].map((byte) => alphabet.get(byte) as string);
}

export interface BpeVocabulary {
  tokens: string[];
  /** llama.cpp token types: 1 normal, 3 control */
  types: number[];
  merges: string[];
  /** special token name to ID */
  special: Record<string, number>;
}

/**
 * Builds a byte-level BPE vocabulary of exactly `size` tokens, special tokens included.
 *
 * @example
 * const vocabulary = buildBpeVocabulary({ size: 4096, special: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'], specialFirst: true });
 */
export function buildBpeVocabulary(options: { size: number; special: string[]; specialFirst: boolean }): BpeVocabulary {
  const table = byteLevelTable();
  const byteTable = new Map(table);
  const alphabet = table.map(([, character]) => character);
  const regularSize = options.size - options.special.length;
  const vocabulary = new Set(alphabet);
  const learned: string[] = [...alphabet];
  const merges: string[] = [];
  const add = (left: string, right: string): void => {
    vocabulary.add(left + right);
    learned.push(left + right);
    merges.push(`${left} ${right}`);
  };

  // 1. learn merges from the corpus, most frequent pair first (ties by text, so the result is stable)
  const words = new Map<string, { symbols: string[]; count: number }>();
  for (const match of corpus.matchAll(pretokenizer)) {
    const word = match[0];
    const entry = words.get(word) ?? { symbols: byteEncode(word, byteTable), count: 0 };
    entry.count++;
    words.set(word, entry);
  }
  while (learned.length < regularSize) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words.values()) {
      for (let index = 0; index + 1 < symbols.length; index++) {
        const key = `${symbols[index]} ${symbols[index + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [pair, count] of pairs) {
      if (count > bestCount || (count === bestCount && best !== undefined && pair < best)) {
        best = pair;
        bestCount = count;
      }
    }
    if (!best) break;
    const [left, right] = best.split(' ') as [string, string];
    add(left, right);
    for (const entry of words.values()) {
      const merged: string[] = [];
      for (let index = 0; index < entry.symbols.length; index++) {
        if (entry.symbols[index] === left && entry.symbols[index + 1] === right) {
          merged.push(left + right);
          index++;
        } else {
          merged.push(entry.symbols[index] as string);
        }
      }
      entry.symbols = merged;
    }
  }

  // 2. fill up with systematic merges: each ASCII token so far followed by a frequent letter (never
  // a lone byte of a multi-byte character, which real merges cannot produce either)
  const letters = [...'etaoinshrdlcumwfgypbvkjxqz'];
  const ascii = new Set([...byteTable].filter(([byte]) => byte === 9 || byte === 10 || (byte >= 32 && byte < 127)).map(([, character]) => character));
  for (let cursor = 0; learned.length < regularSize && cursor < learned.length; cursor++) {
    const left = learned[cursor] as string;
    if (![...left].every((character) => ascii.has(character))) continue;
    for (const letter of letters) {
      if (learned.length >= regularSize) break;
      if (!vocabulary.has(left + letter)) add(left, letter);
    }
  }

  const specialIds: Record<string, number> = {};
  const tokens = options.specialFirst ? [...options.special, ...learned] : [...learned, ...options.special];
  const types = tokens.map((token) => (options.special.includes(token) ? 3 : 1));
  tokens.forEach((token, index) => {
    if (options.special.includes(token)) specialIds[token] = index;
  });
  return { tokens, types, merges, special: specialIds };
}

export interface WordPieceVocabulary {
  tokens: string[];
  types: number[];
  special: Record<'[PAD]' | '[UNK]' | '[CLS]' | '[SEP]' | '[MASK]', number>;
}

/**
 * A BERT WordPiece vocabulary in llama.cpp's form: word-initial pieces start with `▁` (U+2581),
 * continuations have no prefix (Hugging Face's `##` is dropped by the converter).
 */
export function buildWordPieceVocabulary(): WordPieceVocabulary {
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
  const tokens: string[] = [...special];
  const seen = new Set(tokens);
  const push = (token: string): void => {
    if (seen.has(token)) return;
    seen.add(token);
    tokens.push(token);
  };
  for (let code = 33; code <= 126; code++) {
    const character = String.fromCharCode(code).toLowerCase();
    push(`\u2581${character}`);
    push(character);
  }
  for (const word of corpus.toLowerCase().match(/\p{L}+/gu) ?? []) push(`\u2581${word}`);
  const types = tokens.map((token) => ((special as readonly string[]).includes(token) ? 3 : 1));
  return { tokens, types, special: { '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, '[MASK]': 4 } };
}
