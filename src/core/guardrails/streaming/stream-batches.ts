const sentenceEnd = /[.!?。！？][)"'’”\]]*\s+|\n+/g;

/**
 * The next batch of streamed text to check, so that a phrase is never split across two checks where
 * it can be helped: nothing until `size` characters have gathered (unless `final`); then the prefix
 * ending at the last sentence end between `size / 2` and `size`, else at the first sentence end up to
 * `2 × size` (waiting for one while the text is shorter than that), else at the last whitespace
 * within `size`, else exactly `size` characters. A final text of at most `2 × size` with no sentence
 * end is taken whole.
 *
 * @example
 * nextBatch('First sentence. Second one is still', 20, false); // 'First sentence. '
 */
export function nextBatch(text: string, size: number, final: boolean): string | undefined {
  if (text.length === 0) return undefined;
  if (text.length < size) return final ? text : undefined;
  let cut = -1;
  for (const match of text.slice(0, 2 * size).matchAll(sentenceEnd)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end <= size) {
      if (end >= size / 2) cut = end;
    } else {
      if (cut === -1) cut = end;
      break;
    }
  }
  if (cut !== -1) return text.slice(0, cut);
  if (text.length <= 2 * size) return final ? text : undefined;
  const space = text.slice(0, size).search(/\s\S*$/);
  return text.slice(0, space > 0 ? space + 1 : size);
}
