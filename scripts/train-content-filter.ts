/**
 * Trains the content filter classifiers on `data/guardrails/content-filters/train.jsonl` (never on
 * `heldout.jsonl`, which only the benchmark reads) and writes `data/guardrails/content-filter-model.json`.
 *
 * For each category, two one-vs-rest logistic regressions over [sentence embedding, cue lexicon
 * indicators]: the precise stage on the built-in encoder's 512-dimension embeddings, the fast stage
 * on the static distilled embeddings. Confidence thresholds (LOW / MEDIUM / HIGH) are the lowest
 * probabilities whose cross-validated precision reaches 0.88 / 0.94 / 0.98 (strict, because a long text is
 * judged by its worst sentence); the fast stage's screening
 * threshold sends at most 1% of everyday texts and at least 95% of the positives (cross-validated) to the
 * encoder. An escalation model (the precise stage's log-odds fitted on the fast stage's, over the
 * cross-validated predictions that pass the screen) ranks units for the evaluation's encoder slots.
 *
 * Run: `npx tsx scripts/train-content-filter.ts` (about a minute on two cores).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CategoryModel, type ConfidenceThresholds, type ContentFilterModelFile, contentFeatures, type EscalationModel, logit, type StageModel } from '../src/core/guardrails/content-filters/content-filter-model.js';
import { type ContentFilterType, contentFilterTypes } from '../src/core/guardrails/content-filters/content-filter-types.js';
import { hashedFeatureSize } from '../src/core/guardrails/hashed-ngrams.js';
import { type FeatureRow, predictProbability, trainLogisticRegression } from '../src/core/guardrails/logistic-regression.js';
import { loadStaticSentenceEncoder } from '../src/core/guardrails/static-sentence-encoder.js';
import { loadUniversalSentenceEncoder } from '../src/providers/universal-sentence-encoder/load-universal-sentence-encoder.js';

export interface LabeledText {
  text: string;
  labels: ContentFilterType[];
  kind: 'harmful' | 'benign-mention' | 'benign';
  topic: string;
}

export function readLabeled(name: string): LabeledText[] {
  const file = new URL(`../data/guardrails/content-filters/${name}.jsonl`, import.meta.url);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LabeledText);
}

/** Embeds texts with the built-in encoder, cached in the temp directory by content hash. */
export async function preciseEmbeddings(texts: string[]): Promise<Float32Array[]> {
  const hash = createHash('sha256').update(texts.join('\u0000')).digest('hex').slice(0, 16);
  const cache = join(tmpdir(), `outcrop-guardrail-embeddings-${hash}.bin`);
  if (existsSync(cache)) {
    const all = new Float32Array(readFileSync(cache).buffer.slice(0));
    return texts.map((_, row) => all.slice(row * 512, (row + 1) * 512));
  }
  const encoder = await loadUniversalSentenceEncoder();
  const all = new Float32Array(texts.length * 512);
  for (let start = 0; start < texts.length; start += 32) {
    const batch = await encoder.encode(texts.slice(start, start + 32));
    all.set(batch.vectors, start * 512);
  }
  writeFileSync(cache, Buffer.from(all.buffer));
  return texts.map((_, row) => all.slice(row * 512, (row + 1) * 512));
}

function sampleWeights(data: LabeledText[], category: ContentFilterType): number[] {
  const positives = data.filter((item) => item.labels.includes(category)).length;
  const negatives = data.length - positives;
  return data.map((item) => {
    if (item.labels.includes(category)) return data.length / (2 * positives);
    const base = data.length / (2 * negatives);
    if (item.kind === 'harmful') return base * 0.5;
    if (item.kind === 'benign-mention') return base * 1.5;
    return base;
  });
}

/** Lowest threshold at which precision over everything scored at or above it reaches `target`. */
function thresholdForPrecision(scored: Array<[number, boolean]>, target: number, floor: number): number {
  const sorted = [...scored].sort((a, b) => b[0] - a[0]);
  let truePositives = 0;
  let best = 1;
  sorted.forEach(([score, positive], index) => {
    if (positive) truePositives++;
    if (truePositives / (index + 1) >= target && score >= floor) best = score;
  });
  return best;
}

function thresholdForRecall(scored: Array<[number, boolean]>, target: number): number {
  const positives = scored.filter(([, positive]) => positive).map(([score]) => score).sort((a, b) => b - a);
  return positives[Math.min(positives.length - 1, Math.floor(positives.length * target))] ?? 0.5;
}

function crossValidated(rows: FeatureRow[], labels: number[], weights: number[], folds: number, l2: number): number[] {
  const out = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const trainIndex = rows.map((_, index) => index).filter((index) => index % folds !== fold);
    const model = trainLogisticRegression(trainIndex.map((index) => rows[index]!), trainIndex.map((index) => labels[index]!), trainIndex.map((index) => weights[index]!), { l2, hashedSize });
    rows.forEach((row, index) => {
      if (index % folds === fold) out[index] = predictProbability(model, row);
    });
  }
  return out;
}

function trainStage(rows: FeatureRow[], labels: number[], weights: number[], l2: number): { stage: StageModel; validation: number[] } {
  const validation = crossValidated(rows, labels, weights, 5, l2);
  const scored = validation.map((score, index): [number, boolean] => [score, labels[index] === 1]);
  const high = thresholdForPrecision(scored, 0.98, 0.5);
  const medium = Math.min(high, thresholdForPrecision(scored, 0.94, 0.35));
  const low = Math.min(medium, thresholdForPrecision(scored, 0.88, 0.2));
  const thresholds: ConfidenceThresholds = { low: round(low), medium: round(medium), high: round(high) };
  const model = trainLogisticRegression(rows, labels, weights, { l2, hashedSize });
  return { stage: { ...model, thresholds }, validation };
}

/**
 * Least-squares fit of the precise stage's log-odds on the fast stage's, over the cross-validated
 * predictions of the texts that pass the screen (the ones that compete for encoder slots).
 */
function fitEscalation(fast: number[], precise: number[], screen: number): EscalationModel {
  const pairs = fast.flatMap((score, index) => (score >= screen ? [[logit(score), logit(precise[index]!)] as const] : []));
  const count = Math.max(1, pairs.length);
  const meanX = pairs.reduce((sum, [x]) => sum + x, 0) / count;
  const meanY = pairs.reduce((sum, [, y]) => sum + y, 0) / count;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of pairs) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  const slope = variance > 0 ? covariance / variance : 1;
  const intercept = meanY - slope * meanX;
  const residual = Math.sqrt(pairs.reduce((sum, [x, y]) => sum + (y - intercept - slope * x) ** 2, 0) / Math.max(1, pairs.length - 2));
  return { intercept: round(intercept), slope: round(slope), residual: round(residual) };
}

const round = (value: number) => Number(value.toFixed(4));
const hashedSize = Number(process.env.HASHED ?? hashedFeatureSize);

async function main(): Promise<void> {
  const data = readLabeled('train');
  const texts = data.map((item) => item.text);
  const started = performance.now();
  const precise = await preciseEmbeddings(texts);
  const fastEncoder = await loadStaticSentenceEncoder();
  const preciseRows = texts.map((text, index) => contentFeatures(precise[index]!, text));
  const fastRows = texts.map((text) => contentFeatures(fastEncoder.encode(text), text));
  const categories = {} as Record<ContentFilterType, CategoryModel>;
  const report: Record<string, unknown> = {};
  for (const category of contentFilterTypes) {
    const labels = data.map((item) => (item.labels.includes(category) ? 1 : 0));
    const weights = sampleWeights(data, category);
    const preciseStage = trainStage(preciseRows, labels, weights, 1e-3);
    const fastStage = trainStage(fastRows, labels, weights, 1e-3);
    // The screen clears what the fast stage scores low: at most 1% of the everyday (benign, off-topic)
    // training texts may reach the encoder, and at least 95% of the positives must.
    const recallScreen = thresholdForRecall(fastStage.validation.map((score, index): [number, boolean] => [score, labels[index] === 1]), 0.95);
    const everyday = fastStage.validation.filter((_, index) => data[index]!.kind === 'benign').sort((a, b) => b - a);
    const budgetScreen = everyday[Math.floor(everyday.length * 0.01)] ?? 0;
    const screen = round(Math.min(Math.max(recallScreen, budgetScreen), recallScreen * 1.5, fastStage.stage.thresholds.low));
    const escalation = fitEscalation(fastStage.validation, preciseStage.validation, screen);
    categories[category] = { precise: preciseStage.stage, fast: fastStage.stage, screen, escalation };
    const preciseCaught = preciseStage.validation.map((score, index) => labels[index] === 1 && score >= preciseStage.stage.thresholds.low);
    const caughtKept = fastStage.validation.filter((score, index) => preciseCaught[index] && score >= screen).length / Math.max(1, preciseCaught.filter(Boolean).length);
    const positivesKept = fastStage.validation.filter((score, index) => labels[index] === 1 && score >= screen).length / labels.filter(Boolean).length;
    const everydayEscalated = everyday.filter((score) => score >= screen).length / everyday.length;
    report[category] = {
      positives: labels.filter(Boolean).length,
      positivesReachingEncoder: round(positivesKept),
      positivesThePreciseStageCatchesReachingEncoder: round(caughtKept),
      everydayTextsReachingEncoder: round(everydayEscalated),
    };
    process.stderr.write(`${category}: ${JSON.stringify(categories[category].precise.thresholds)} fast ${JSON.stringify(categories[category].fast.thresholds)} screen ${categories[category].screen} ${JSON.stringify(report[category])}\n`);
  }
  const model: ContentFilterModelFile = {
    embeddingModel: 'universal-sentence-encoder-lite',
    embeddingDimensions: 512,
    categories,
    training: {
      examples: data.length,
      trainingSet: 'data/guardrails/content-filters/train.jsonl',
      sha256: createHash('sha256').update(readFileSync(new URL('../data/guardrails/content-filters/train.jsonl', import.meta.url))).digest('hex'),
      seconds: Math.round((performance.now() - started) / 1000),
      report,
    },
  };
  writeFileSync(new URL('../data/guardrails/content-filter-model.json', import.meta.url), `${JSON.stringify(model)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
