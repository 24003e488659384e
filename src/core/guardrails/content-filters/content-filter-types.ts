/** Bedrock's six content filter categories. */
export const contentFilterTypes = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT', 'PROMPT_ATTACK'] as const;
export type ContentFilterType = (typeof contentFilterTypes)[number];

/** A filter's strength, and the confidence with which content is judged to belong to a category. */
export type FilterStrength = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
export type ConfidenceLevel = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

const rank: Record<ConfidenceLevel, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/**
 * Whether content at `confidence` is caught by a filter of `strength`, as Bedrock documents it: a HIGH
 * filter catches LOW, MEDIUM and HIGH confidence; MEDIUM catches MEDIUM and HIGH; LOW catches only
 * HIGH; NONE catches nothing.
 *
 * @example
 * isCaught('MEDIUM', 'LOW') // false
 */
export function isCaught(strength: FilterStrength, confidence: ConfidenceLevel): boolean {
  if (strength === 'NONE' || confidence === 'NONE') return false;
  return rank[confidence] >= 4 - rank[strength];
}

export function maxConfidence(a: ConfidenceLevel, b: ConfidenceLevel): ConfidenceLevel {
  return rank[a] >= rank[b] ? a : b;
}
