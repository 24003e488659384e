import { lazily, readGuardrailData } from '../guardrail-data-files.js';
import { hashedNgrams } from '../hashed-ngrams.js';
import { type FeatureRow, type LogisticModel, predictProbability } from '../logistic-regression.js';
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

export const loadContentFilterModel = lazily(() => readGuardrailData<ContentFilterModelFile>('content-filter-model.json'));
