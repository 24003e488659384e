import { contentWords } from '../../guardrails/contextual-grounding/lexical-support.js';
import { splitSentences } from '../chunking/split-sentences.js';
import type { ParsedCitation } from './cited-answer-parser.js';

/** Share of a sentence's content words a search result must hold to support it. */
const minimumSupport = 0.5;
/** Results this close to the best-supporting one are cited with it. */
const supportMargin = 0.1;

/**
 * Citations for an answer that came without source markers: each sentence is attributed to the
 * search results holding most of its content words (at least half, and within 0.1 of the best);
 * neighbouring sentences with the same sources become one citation. Sentences no result supports
 * get a citation with no sources, so the citations cover the whole answer. Sources are 1-based, as
 * the model would have written them.
 *
 * @example
 * attributeCitations('Basalt forms from lava.', ['Granite is igneous.', 'Basalt forms from cooling lava.'])
 * // [{ start: 0, end: 22, text: 'Basalt forms from lava.', sources: [2] }]
 */
export function attributeCitations(answer: string, searchResults: readonly string[]): ParsedCitation[] {
  const references = searchResults.map((text) => new Set(contentWords(text)));
  const citations: ParsedCitation[] = [];
  for (const sentence of splitSentences(answer)) {
    const words = [...new Set(contentWords(answer.slice(sentence.start, sentence.end)))];
    const sources = words.length === 0 ? [] : supportingSources(words, references);
    const previous = citations[citations.length - 1];
    if (previous && sameSources(previous.sources, sources)) {
      previous.end = sentence.end - 1;
      previous.text = answer.slice(previous.start, sentence.end);
    } else {
      citations.push({ start: sentence.start, end: sentence.end - 1, text: answer.slice(sentence.start, sentence.end), sources });
    }
  }
  return citations;
}

function supportingSources(words: readonly string[], references: readonly Set<string>[]): number[] {
  const support = references.map((reference) => words.filter((word) => reference.has(word)).length / words.length);
  const best = Math.max(0, ...support);
  if (best < minimumSupport) return [];
  return support.flatMap((value, index) => (value >= best - supportMargin && value >= minimumSupport ? [index + 1] : []));
}

function sameSources(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}
