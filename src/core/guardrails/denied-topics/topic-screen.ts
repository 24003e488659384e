import { contentWords } from '../contextual-grounding/lexical-support.js';
import type { StaticSentenceEncoder } from '../static-sentence-encoder.js';

/** How much the share of a unit's content words found in a topic's texts adds to its static similarity. */
export const overlapWeight = 0.3;

/** A topic as the fast stage sees it: static vectors of its definition and examples, and their content words. */
export interface ScreenedTopic {
  vectors: Float32Array[];
  words: ReadonlySet<string>;
}

export function screenedTopic(texts: readonly string[], fast: StaticSentenceEncoder): ScreenedTopic {
  return { vectors: texts.map((text) => fast.encode(text)), words: new Set(texts.flatMap((text) => contentWords(text))) };
}

/**
 * The fast stage's topic score of a unit: its best static cosine against the topic's definition and
 * examples, plus `overlapWeight` times the share of its content words that occur in them. Static
 * vectors blur a sentence's key words into its phrasing; the overlap puts them back, so an on-topic
 * question ranks above everyday questions of the same shape.
 *
 * @example
 * screenScore(fast.encode('Which stock should I buy?'), contentWords('Which stock should I buy?'), topic) // about 0.6
 */
export function screenScore(unitVector: Float32Array, unitWords: readonly string[], topic: ScreenedTopic): number {
  let best = -1;
  for (const vector of topic.vectors) {
    let sum = 0;
    for (let column = 0; column < vector.length; column++) sum += unitVector[column]! * vector[column]!;
    if (sum > best) best = sum;
  }
  if (unitWords.length === 0) return best;
  let shared = 0;
  for (const word of unitWords) if (topic.words.has(word)) shared++;
  return best + (overlapWeight * shared) / unitWords.length;
}
