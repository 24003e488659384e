/** Size of the hashed word and word-pair feature space the fast classifiers use. */
export const hashedFeatureSize = 4096;

function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

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
    indices.add(fnv1a(`w:${word}`) % hashedFeatureSize);
    if (index > 0) indices.add(fnv1a(`b:${words[index - 1]} ${word}`) % hashedFeatureSize);
  });
  return Int32Array.from(indices);
}
