/**
 * Calibrates the denied-topic similarity thresholds on `data/guardrails/denied-topics/`: each labeled
 * text is compared with every topic (its own topic when `onTopic` is a positive pair; every other
 * pair is a negative, and so is every everyday text of the content-filter training split against
 * every topic), and the threshold that maximizes F1 is kept, for the built-in encoder and for
 * the static embeddings, plus a static screening threshold that keeps every positive pair.
 * Writes `data/guardrails/denied-topic-calibration.json`.
 *
 * Run: `npx tsx scripts/calibrate-denied-topics.ts` (a few seconds).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { DeniedTopicCalibration } from '../src/core/guardrails/denied-topics/denied-topic-calibration.js';
import { topicSimilarity } from '../src/core/guardrails/denied-topics/denied-topic-calibration.js';
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
  texts.forEach((item, row) => {
    topics.forEach((topic, index) => {
      const positive = item.onTopic && item.topic === topic.name;
      precisePairs.push([topicSimilarity(preciseTexts[row]!, preciseTopics[index]!, cosine), positive]);
      fastPairs.push([topicSimilarity(fast.encode(item.text), topicTexts[index]!.map((text) => fast.encode(text)), cosine), positive]);
    });
  });
  const precise = bestF1(precisePairs);
  const fastBest = bestF1(fastPairs);
  const positiveFast = fastPairs.filter(([, positive]) => positive).map(([score]) => score).sort((a, b) => a - b);
  const screen = Math.min(fastBest.threshold, (positiveFast[0] ?? 0) - 0.02);
  const cleared = fastPairs.filter(([score, positive]) => !positive && score < screen).length / fastPairs.filter(([, positive]) => !positive).length;
  const round = (value: number) => Number(value.toFixed(4));
  const calibration: DeniedTopicCalibration = {
    embeddingModel: 'universal-sentence-encoder-lite',
    embeddingDimensions: 512,
    preciseThreshold: round(precise.threshold),
    fastThreshold: round(fastBest.threshold),
    fastScreen: round(screen),
    report: {
      calibrationSet: 'data/guardrails/denied-topics/calibration.jsonl',
      topics: topics.length,
      texts: texts.length,
      everydayNegatives: everyday.length,
      precise: { f1: round(precise.f1), precision: round(precise.precision), recall: round(precise.recall) },
      fast: { f1: round(fastBest.f1), precision: round(fastBest.precision), recall: round(fastBest.recall) },
      negativePairsClearedByScreen: round(cleared),
    },
  };
  process.stderr.write(`${JSON.stringify(calibration, null, 2)}\n`);
  writeFileSync(new URL('../data/guardrails/denied-topic-calibration.json', import.meta.url), `${JSON.stringify(calibration, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
