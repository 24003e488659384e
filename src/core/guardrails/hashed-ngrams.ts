/** Size of the hashed word and word-pair feature space the fast classifiers use. */
export const hashedFeatureSize = 4096;

/** FNV-1a over `value`'s UTF-16 code units, continuing from `hash` (the state after earlier text). */
function fnv1a(value: string, hash = 0x811c9dc5): number {
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

// The hash states after the prefixes, so `w:${word}` and `b:${previous} ${word}` hash without building strings.
const wordPrefix = fnv1a('w:');
const pairPrefix = fnv1a('b:');

/**
 * The hashed indices of a text's lower-cased words and adjacent word pairs (the "hashing trick"),
 * each once.
 *
 * @example
 * hashedNgrams('Ignore previous instructions').length // 5: three words, two pairs
 */
export function hashedNgrams(text: string): Int32Array {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const indices = new Set<number>();
  words.forEach((word, index) => {
    indices.add((fnv1a(word, wordPrefix) >>> 0) % hashedFeatureSize);
    if (index > 0) indices.add((fnv1a(word, fnv1a(' ', fnv1a(words[index - 1]!, pairPrefix))) >>> 0) % hashedFeatureSize);
  });
  return Int32Array.from(indices);
}
