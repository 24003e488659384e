/**
 * Calibrates the denied-topic similarity thresholds on `data/guardrails/denied-topics/`: each labeled
 * text is compared with every topic (its own topic when `onTopic` is a positive pair; every other
 * pair is a negative, and so is every everyday text of the content-filter training split against
 * every topic), and the threshold that maximizes F1 is kept, for the built-in encoder and for
 * the static embeddings, plus the fast stage's screening threshold (on `screenScore`: static similarity
 * plus word overlap) that keeps every on-topic pair the encoder matches.
 * Writes `data/guardrails/denied-topic-calibration.json`.
 *
 * Run: `npx tsx scripts/calibrate-denied-topics.ts` (a few seconds).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { DeniedTopicCalibration } from '../src/core/guardrails/denied-topics/denied-topic-calibration.js';
import { topicSimilarity } from '../src/core/guardrails/denied-topics/denied-topic-calibration.js';
import { screenedTopic, screenScore } from '../src/core/guardrails/denied-topics/topic-screen.js';
import { contentWords } from '../src/core/guardrails/contextual-grounding/lexical-support.js';
import { loadStaticSentenceEncoder } from '../src/core/guardrails/static-sentence-encoder.js';
import { cosine } from '../src/core/guardrails/vectors.js';
import { loadUniversalSentenceEncoder } from '../src/providers/universal-sentence-encoder/load-universal-sentence-encoder.js';

export interface CalibrationTopic {
  name: string;
  definition: string;
  examples: string[];
}

export interface CalibrationText {
  topic: string;
  text: string;
  onTopic: boolean;
}

export function readTopicCalibrationSet(): { topics: CalibrationTopic[]; texts: CalibrationText[] } {
  const folder = new URL('../data/guardrails/denied-topics/', import.meta.url);
  return {
    topics: JSON.parse(readFileSync(new URL('topics.json', folder), 'utf8')) as CalibrationTopic[],
    texts: readFileSync(new URL('calibration.jsonl', folder), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CalibrationText),
  };
}

function bestF1(pairs: Array<[number, boolean]>): { threshold: number; f1: number; precision: number; recall: number } {
  const positives = pairs.filter(([, positive]) => positive).length;
  let best = { threshold: 1, f1: 0, precision: 0, recall: 0 };
  for (const [candidate] of pairs) {
    let truePositives = 0;
    let predicted = 0;
    for (const [score, positive] of pairs) {
      if (score >= candidate) {
        predicted++;
        if (positive) truePositives++;
      }
    }
    const precision = truePositives / predicted;
    const recall = truePositives / positives;
    const f1 = (2 * precision * recall) / (precision + recall || 1);
    if (f1 > best.f1 || (f1 === best.f1 && candidate > best.threshold)) best = { threshold: candidate, f1, precision, recall };
  }
  return best;
}

async function main(): Promise<void> {
  const { topics, texts } = readTopicCalibrationSet();
  const encoder = await loadUniversalSentenceEncoder();
  const fast = await loadStaticSentenceEncoder();
  const topicTexts = topics.map((topic) => [topic.definition, ...topic.examples]);
  const embed = async (values: string[]) => {
    const batch = await encoder.encode(values);
    return values.map((_, row) => batch.vectors.slice(row * 512, (row + 1) * 512));
  };
  const preciseTopics = await Promise.all(topicTexts.map(embed));
  // Everyday texts from the content-filter training split are off every topic: more negatives, so the
  // threshold holds on ordinary traffic and not only on the hand-picked near misses.
  const everyday = readFileSync(new URL('../data/guardrails/content-filters/train.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { text: string; kind: string })
    .filter((item) => item.kind === 'benign')
    .map((item) => ({ topic: '', text: item.text, onTopic: false }));
  texts.push(...everyday);
  const preciseTexts: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += 64) preciseTexts.push(...(await embed(texts.slice(start, start + 64).map((item) => item.text))));
  const precisePairs: Array<[number, boolean]> = [];
  const fastPairs: Array<[number, boolean]> = [];
  const screenPairs: Array<{ screen: number; precise: number; positive: boolean }> = [];
  const screened = topicTexts.map((values) => screenedTopic(values, fast));
  texts.forEach((item, row) => {
    topics.forEach((topic, index) => {
      const positive = item.onTopic && item.topic === topic.name;
      const preciseSimilarity = topicSimilarity(preciseTexts[row]!, preciseTopics[index]!, cosine);
      precisePairs.push([preciseSimilarity, positive]);
      fastPairs.push([topicSimilarity(fast.encode(item.text), screened[index]!.vectors, cosine), positive]);
      screenPairs.push({ screen: screenScore(fast.encode(item.text), contentWords(item.text), screened[index]!), precise: preciseSimilarity, positive });
    });
  });
  const precise = bestF1(precisePairs);
  const fastBest = bestF1(fastPairs);
  // The screen keeps every on-topic pair that the encoder matches (positives it misses anyway need no
  // encoder slot), with a margin.
  const caught = screenPairs.filter((pair) => pair.positive && pair.precise >= precise.threshold).map((pair) => pair.screen);
  const screen = Math.min(...caught) - 0.02;
  const negatives = screenPairs.filter((pair) => !pair.positive);
  const cleared = negatives.filter((pair) => pair.screen < screen).length / negatives.length;
  const round = (value: number) => Number(value.toFixed(4));
  const calibration: DeniedTopicCalibration = {
    embeddingModel: 'universal-sentence-encoder-lite',
    embeddingDimensions: 512,
    preciseThreshold: round(precise.threshold),
    fastThreshold: round(fastBest.threshold),
    screen: round(screen),
    report: {
      calibrationSet: 'data/guardrails/denied-topics/calibration.jsonl',
      topics: topics.length,
      texts: texts.length,
      everydayNegatives: everyday.length,
      precise: { f1: round(precise.f1), precision: round(precise.precision), recall: round(precise.recall) },
      fast: { f1: round(fastBest.f1), precision: round(fastBest.precision), recall: round(fastBest.recall) },
      onTopicPairsTheEncoderMatches: caught.length,
      negativePairsClearedByScreen: round(cleared),
    },
  };
  process.stderr.write(`${JSON.stringify(calibration, null, 2)}\n`);
  writeFileSync(new URL('../data/guardrails/denied-topic-calibration.json', import.meta.url), `${JSON.stringify(calibration, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
