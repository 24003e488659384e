import { lazily, readGuardrailData } from '../guardrail-data-files.js';

/** `data/guardrails/denied-topic-calibration.json`, written by `scripts/calibrate-denied-topics.ts`. */
export interface DeniedTopicCalibration {
  embeddingModel: string;
  embeddingDimensions: number;
  /** cosine similarity (built-in encoder) at or above which a unit belongs to a topic */
  preciseThreshold: number;
  /** the same on static embeddings, used when the built-in encoder is not configured */
  fastThreshold: number;
  /**
   * fast-stage score (`screenScore`: static similarity plus word overlap) under which a unit is cleared
   * without the encoder: every on-topic calibration pair the encoder matches scores above it
   */
  screen: number;
  report: Record<string, unknown>;
}

export const loadDeniedTopicCalibration = lazily(() => readGuardrailData<DeniedTopicCalibration>('denied-topic-calibration.json'));

/** A unit's similarity to a topic: its best cosine against the definition and each example. */
export function topicSimilarity(unit: ArrayLike<number>, topicVectors: readonly ArrayLike<number>[], similarity: (a: ArrayLike<number>, b: ArrayLike<number>) => number): number {
  let best = -1;
  for (const vector of topicVectors) best = Math.max(best, similarity(unit, vector));
  return best;
}
