import type { TokenCounter } from './token-counter.js';

/** A range of the text and its size in tokens. */
export interface TokenSpan {
  start: number;
  end: number;
  /** the counter's count of the span's text */
  tokenCount: number;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
  /** how good a cut just before this unit is: 5 preferred, 4 paragraph, 3 line, 2 sentence, 1 word, 0 inside a word */
  breakBefore: number;
}

export interface SplitByTokensOptions {
  maxTokens: number;
  /** tokens each span repeats from the end of the previous one (0 for none) */
  overlapTokens: number;
  counter: TokenCounter;
  /** offsets where a cut is best of all (where headings, pages or sheets start) */
  preferredBreaks?: ReadonlySet<number>;
}

/**
 * Cuts `text[start, end)` into spans of at most `maxTokens`, each starting `overlapTokens` before
 * the previous one ended. Text is measured word by word (a word with the whitespace before it, the
 * way BPE tokenizers split), and each span ends at the best boundary in the second half of its
 * budget: a preferred break (a heading; from the second quarter on), else a paragraph break, a line
 * break, a sentence end, a word. The overlap starts at a sentence boundary when one falls in its
 * first half, and there is none after a preferred break. A word longer than `maxTokens` on its own
 * is cut inside. Spans never start or end with whitespace, and the counter's count of each span's
 * own text is checked against `maxTokens`.
 *
 * @example
 * splitByTokens(text, { start: 0, end: text.length }, { maxTokens: 300, overlapTokens: 60, counter });
 */
export function splitByTokens(text: string, range: { start: number; end: number }, options: SplitByTokensOptions): TokenSpan[] {
  const maxTokens = Math.max(1, options.maxTokens);
  const overlapTokens = Math.max(0, Math.min(options.overlapTokens, maxTokens - 1));
  const units = measure(text, range, maxTokens, options.counter, options.preferredBreaks);
  const prefix = [0];
  for (const unit of units) prefix.push((prefix[prefix.length - 1] ?? 0) + unit.tokens);
  const tokensBetween = (from: number, to: number) => (prefix[to] ?? 0) - (prefix[from] ?? 0);

  const spans: TokenSpan[] = [];
  let first = 0;
  while (first < units.length) {
    let after = first + 1;
    while (after < units.length && tokensBetween(first, after + 1) <= maxTokens) after++;
    if (after < units.length) after = bestBreak(units, first, after, (index) => tokensBetween(first, index), maxTokens);
    const start = units[first]?.start ?? 0;
    let tokenCount = options.counter.count(text.slice(start, units[after - 1]?.end ?? 0));
    // the sum of word counts can differ from the count of the joined text by a token or two
    while (tokenCount > maxTokens && after - first > 1) {
      after--;
      tokenCount = options.counter.count(text.slice(start, units[after - 1]?.end ?? 0));
    }
    spans.push({ start, end: units[after - 1]?.end ?? 0, tokenCount });
    if (after >= units.length) break;
    let next = after;
    // no overlap across a preferred break: a new section starts clean
    const limit = (units[after]?.breakBefore ?? 0) >= 5 ? 0 : overlapTokens;
    while (next - 1 > first && tokensBetween(next - 1, after) <= limit) next--;
    // start the overlap at the best boundary that keeps at least half of it
    let overlapStart = next;
    for (let index = next + 1; index < after && tokensBetween(index, after) >= limit / 2; index++) {
      if ((units[index]?.breakBefore ?? 0) > (units[overlapStart]?.breakBefore ?? 0)) overlapStart = index;
    }
    first = Math.max(overlapStart, first + 1);
  }
  return spans;
}

/**
 * Of the cut points in the second half of the budget, the latest with the highest priority; a
 * preferred break (a heading) counts from the second quarter on.
 */
function bestBreak(units: Unit[], first: number, after: number, tokensBefore: (index: number) => number, maxTokens: number): number {
  let best = after;
  let bestPriority = units[after]?.breakBefore ?? 0;
  for (let index = after - 1; index > first; index--) {
    const before = tokensBefore(index);
    if (before < maxTokens / 4) break;
    const priority = units[index]?.breakBefore ?? 0;
    if (priority > bestPriority && (before >= maxTokens / 2 || priority >= 5)) {
      best = index;
      bestPriority = priority;
    }
  }
  return best;
}

const sentenceEnd = /[.!?\u3002\uff01\uff1f\u2026]["'\u201d\u2019)\]]*$/;

/** Splits the range into words (each counted with the whitespace before it) and word pieces. */
function measure(text: string, range: { start: number; end: number }, maxTokens: number, counter: TokenCounter, preferredBreaks?: ReadonlySet<number>): Unit[] {
  const units: Unit[] = [];
  const words = /\S+/g;
  words.lastIndex = range.start;
  let previousEnd = range.start;
  for (let match = words.exec(text); match && match.index < range.end; match = words.exec(text)) {
    const start = match.index;
    const end = Math.min(start + match[0].length, range.end);
    const gap = text.slice(previousEnd, start);
    const previous = units[units.length - 1];
    const breakBefore = preferredBreaks?.has(start)
      ? 5
      : /\n[^\S\n]*\n/.test(gap)
        ? 4
        : gap.includes('\n')
          ? 3
          : previous && sentenceEnd.test(text.slice(previous.start, previous.end))
            ? 2
            : 1;
    const tokens = counter.count(text.slice(previousEnd, end));
    if (tokens <= maxTokens) units.push({ start, end, tokens, breakBefore });
    else units.push(...cutWord(text, start, end, maxTokens, counter, breakBefore));
    previousEnd = end;
  }
  return units;
}

/** Cuts one overlong word into pieces of at most `maxTokens`, never inside a surrogate pair. */
function cutWord(text: string, start: number, end: number, maxTokens: number, counter: TokenCounter, breakBefore: number): Unit[] {
  const pieces: Unit[] = [];
  let from = start;
  while (from < end) {
    let length = Math.max(1, Math.min(end - from, maxTokens * 2));
    let tokens = counter.count(text.slice(from, from + length));
    while (tokens > maxTokens && length > 1) {
      length = Math.max(1, Math.floor((length * maxTokens) / tokens) - 1);
      tokens = counter.count(text.slice(from, from + length));
    }
    const code = text.charCodeAt(from + length - 1);
    if (code >= 0xd800 && code <= 0xdbff && length > 1) length--;
    pieces.push({ start: from, end: from + length, tokens: counter.count(text.slice(from, from + length)), breakBefore: pieces.length === 0 ? breakBefore : 0 });
    from += length;
  }
  return pieces;
}
