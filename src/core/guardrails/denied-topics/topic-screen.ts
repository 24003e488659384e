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

/**
 * Every topic of a guardrail screened at once: the same scores as `screenScore` for each topic, with
 * the topics' vectors in one flat matrix and each content word mapped to the topics that use it, so a
 * unit costs one pass over the matrix and one lookup per word. Build it once per guardrail's topics.
 */
export class TopicScreen {
  /** every topic's vectors, row after row, widened to float64 (exactly) so the loop reads no float32 */
  private readonly matrix: Float64Array;
  private readonly unit: Float64Array;
  private readonly rowSums: Float64Array;
  /** index in `matrix` rows of each topic's first vector, and one past its last */
  private readonly bounds: Int32Array;
  private readonly dimensions: number;
  /** for each content word, the topics whose texts contain it */
  private readonly topicsOfWord = new Map<string, number[]>();
  readonly size: number;

  constructor(topics: readonly ScreenedTopic[]) {
    this.size = topics.length;
    this.dimensions = topics.find((topic) => topic.vectors.length > 0)?.vectors[0]?.length ?? 0;
    const rows = topics.reduce((sum, topic) => sum + topic.vectors.length, 0);
    this.matrix = new Float64Array(rows * this.dimensions);
    this.unit = new Float64Array(this.dimensions);
    this.rowSums = new Float64Array(rows);
    this.bounds = new Int32Array(topics.length + 1);
    let row = 0;
    topics.forEach((topic, index) => {
      this.bounds[index] = row;
      for (const vector of topic.vectors) this.matrix.set(vector.subarray(0, this.dimensions), row++ * this.dimensions);
      for (const word of topic.words) {
        const list = this.topicsOfWord.get(word);
        if (list) list.push(index);
        else this.topicsOfWord.set(word, [index]);
      }
    });
    this.bounds[topics.length] = row;
  }

  /**
   * Writes each topic's `screenScore` for this unit into `scores` (one entry per topic).
   *
   * @example
   * const scores = new Float64Array(screen.size);
   * screen.scores(fast.encode(text), contentWords(text), scores);
   */
  scores(unitVector: Float32Array, unitWords: readonly string[], scores: Float64Array): void {
    const { matrix, bounds, dimensions, unit, size, rowSums } = this;
    for (let column = 0; column < dimensions; column++) unit[column] = unitVector[column]!;
    // Four rows at a time, each summed column after column as `screenScore` does (the same additions
    // in the same order), so the four sums proceed side by side.
    const rows = rowSums.length;
    let row = 0;
    for (; row + 4 <= rows; row += 4) {
      const a = row * dimensions;
      const b = a + dimensions;
      const c = b + dimensions;
      const d = c + dimensions;
      let sumA = 0;
      let sumB = 0;
      let sumC = 0;
      let sumD = 0;
      for (let column = 0; column < dimensions; column++) {
        const value = unit[column]!;
        sumA += value * matrix[a + column]!;
        sumB += value * matrix[b + column]!;
        sumC += value * matrix[c + column]!;
        sumD += value * matrix[d + column]!;
      }
      rowSums[row] = sumA;
      rowSums[row + 1] = sumB;
      rowSums[row + 2] = sumC;
      rowSums[row + 3] = sumD;
    }
    for (; row < rows; row++) {
      const offset = row * dimensions;
      let sum = 0;
      for (let column = 0; column < dimensions; column++) sum += unit[column]! * matrix[offset + column]!;
      rowSums[row] = sum;
    }
    for (let topic = 0; topic < size; topic++) {
      let best = -1;
      for (let row = bounds[topic]!; row < bounds[topic + 1]!; row++) if (rowSums[row]! > best) best = rowSums[row]!;
      scores[topic] = best;
    }
    if (unitWords.length === 0) return;
    const shared = new Int32Array(this.size);
    for (const word of unitWords) {
      const topics = this.topicsOfWord.get(word);
      if (topics) for (const topic of topics) shared[topic]!++;
    }
    for (let topic = 0; topic < this.size; topic++) scores[topic] = scores[topic]! + (overlapWeight * shared[topic]!) / unitWords.length;
  }
}
