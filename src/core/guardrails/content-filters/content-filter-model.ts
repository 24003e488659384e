import { lazily, readGuardrailData } from '../guardrail-data-files.js';
import { hashedNgrams } from '../hashed-ngrams.js';
import { type FeatureRow, type LogisticModel, predictProbability } from '../logistic-regression.js';
import { sigmoid } from '../vectors.js';
import { type ConfidenceLevel, type ContentFilterType, contentFilterTypes } from './content-filter-types.js';
import { lexiconFeatures } from './content-lexicons.js';

/** Probability cut-offs of one category's classifier, calibrated on cross-validated training predictions. */
export interface ConfidenceThresholds {
  low: number;
  medium: number;
  high: number;
}

/** One stage of the cascade for one category. */
export interface StageModel extends LogisticModel {
  thresholds: ConfidenceThresholds;
}

export interface CategoryModel {
  /** over the built-in encoder's 512-dimension embeddings, cue lexicons and hashed n-grams */
  precise: StageModel;
  /** over the static 128-dimension embeddings, cue lexicons and hashed n-grams */
  fast: StageModel;
  /** fast-stage probability under which a unit is cleared without running the encoder */
  screen: number;
  /** how the precise stage's score follows the fast stage's, for ranking units for the encoder */
  escalation: EscalationModel;
}

/**
 * A linear fit of the precise stage's log-odds on the fast stage's, over cross-validated training
 * predictions of units that pass the screen, with the spread of what it leaves unexplained.
 */
export interface EscalationModel {
  intercept: number;
  slope: number;
  /** standard deviation of the residuals, in log-odds */
  residual: number;
}

/** `data/guardrails/content-filter-model.json`, written by `scripts/train-content-filter.ts`. */
export interface ContentFilterModelFile {
  /** the embedding model the precise stage was trained on (an upstream model name) */
  embeddingModel: string;
  embeddingDimensions: number;
  categories: Record<ContentFilterType, CategoryModel>;
  training: Record<string, unknown>;
}

/** Classifier inputs: an embedding, one cue indicator per category, and hashed words and word pairs. */
export function contentFeatures(embedding: ArrayLike<number>, text: string): FeatureRow {
  const cues = lexiconFeatures(text, contentFilterTypes);
  const dense = new Float64Array(embedding.length + cues.length);
  dense.set(embedding);
  dense.set(cues, embedding.length);
  return { dense, hashed: hashedNgrams(text) };
}

export function confidenceOf(probability: number, thresholds: ConfidenceThresholds): ConfidenceLevel {
  if (probability >= thresholds.high) return 'HIGH';
  if (probability >= thresholds.medium) return 'MEDIUM';
  if (probability >= thresholds.low) return 'LOW';
  return 'NONE';
}

export function stageProbability(stage: StageModel, features: FeatureRow): number {
  return predictProbability(stage, features);
}

/** log(p / (1 - p)), kept finite at 0 and 1. */
export function logit(probability: number): number {
  const clamped = Math.min(1 - 1e-6, Math.max(1e-6, probability));
  return Math.log(clamped / (1 - clamped));
}

/**
 * Estimated chance that the precise stage scores a unit at LOW confidence or above, given the fast
 * stage's probability: the escalation model's prediction against the precise LOW threshold, with a
 * normal residual (its CDF approximated by a logistic).
 *
 * @example
 * escalationChance(category, 0.4) // 0.12
 */
export function escalationChance(category: CategoryModel, fastProbability: number): number {
  const { intercept, slope, residual } = category.escalation;
  const margin = intercept + slope * logit(fastProbability) - logit(category.precise.thresholds.low);
  return sigmoid((1.702 * margin) / Math.max(residual, 1e-3));
}

export const loadContentFilterModel = lazily(() => readGuardrailData<ContentFilterModelFile>('content-filter-model.json'));
