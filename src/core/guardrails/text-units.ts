/** A span of the guarded text that policies score on its own: a sentence, or a window of a long one. */
export interface TextUnit {
  text: string;
  /** offset of the first character in the full text */
  start: number;
  end: number;
}

const sentenceEnd = /[.!?]+["')\]]*(?=\s+["'([]?[\p{Lu}\p{N}])|\n\s*\n|\n(?=\s*[-*•\d])/gu;
const shortWords = 4;
const windowWords = 40;

/**
 * Splits text into sentences (keeping offsets into the original), merges fragments of fewer than
 * four words into their neighbour, and cuts sentences longer than 60 words into 40-word windows, so
 * every unit is close to the sentence-sized texts the classifiers were trained on.
 *
 * @example
 * splitIntoUnits('Hi there. How are you today?') // [{ text: 'Hi there. How are you today?', start: 0, end: 28 }]
 */
export function splitIntoUnits(text: string): TextUnit[] {
  const sentences: TextUnit[] = [];
  let cursor = 0;
  const push = (start: number, end: number) => {
    const slice = text.slice(start, end);
    const leading = slice.length - slice.trimStart().length;
    const trimmed = slice.trim();
    if (trimmed) sentences.push({ text: trimmed, start: start + leading, end: start + leading + trimmed.length });
  };
  for (const match of text.matchAll(sentenceEnd)) {
    const end = (match.index ?? 0) + match[0].length;
    push(cursor, end);
    cursor = end;
  }
  push(cursor, text.length);

  // Sentences are separated by whitespace, so a merged unit's word count is the sum of its parts'.
  const merged: TextUnit[] = [];
  const counts: number[] = [];
  for (const sentence of sentences) {
    const previous = merged[merged.length - 1];
    const previousCount = counts[counts.length - 1] ?? 0;
    const count = wordCount(sentence.text);
    if (previous && (previousCount < shortWords || count < shortWords) && previousCount + count <= windowWords) {
      merged[merged.length - 1] = { text: text.slice(previous.start, sentence.end), start: previous.start, end: sentence.end };
      counts[counts.length - 1] = previousCount + count;
    } else {
      merged.push(sentence);
      counts.push(count);
    }
  }
  return merged.flatMap((unit, index) => (counts[index]! > 60 ? windows(text, unit) : [unit]));
}

function wordCount(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

function windows(text: string, unit: TextUnit): TextUnit[] {
  const words = [...unit.text.matchAll(/\S+/g)];
  const out: TextUnit[] = [];
  for (let index = 0; index < words.length; index += windowWords) {
    const first = words[index]!;
    const last = words[Math.min(index + windowWords, words.length) - 1]!;
    const start = unit.start + (first.index ?? 0);
    const end = unit.start + (last.index ?? 0) + last[0].length;
    out.push({ text: text.slice(start, end), start, end });
  }
  return out;
}
