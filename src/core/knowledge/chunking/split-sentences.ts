/** A sentence's range in the text, whitespace excluded. */
export interface SentenceSpan {
  start: number;
  end: number;
}

/** Abbreviations after which a capitalized word does not start a new sentence. */
const abbreviation =
  /(?:^|[\s(])(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sr|Jr|St|Mt|Gen|Col|Lt|Capt|Sgt|Rev|Hon|Gov|Sen|Rep|Fig|Figs|No|Nos|Vol|Vols|pp|approx|ca|cf|vs|e\.g|i\.e|Inc|Ltd|Corp|Co|[A-Z])\.$/;

let segmenter: Intl.Segmenter | undefined;

/**
 * Splits text into sentences with Unicode's sentence-boundary rules (`Intl.Segmenter`, from the ICU
 * data Node ships), then rejoins the breaks ICU makes after common abbreviations and initials
 * ("Dr. Smith", "e.g. Hawaii", "J. R. R. Tolkien"). Line breaks always end a sentence, so headings
 * and list items stand alone.
 *
 * @example
 * splitSentences('Dr. Smith arrived. He sat.') // two spans: 'Dr. Smith arrived.' and 'He sat.'
 */
export function splitSentences(text: string, range: { start: number; end: number } = { start: 0, end: text.length }): SentenceSpan[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences: SentenceSpan[] = [];
  let joinNext = false;
  for (const { segment, index } of segmenter.segment(text.slice(range.start, range.end))) {
    const leading = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const start = range.start + index + leading;
    const end = start + trimmed.length;
    const previous = sentences[sentences.length - 1];
    if (joinNext && previous) previous.end = end;
    else sentences.push({ start, end });
    joinNext = !/\n\s*$/.test(segment) && abbreviation.test(trimmed);
  }
  return sentences;
}
