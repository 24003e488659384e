import type { GroundingFinding } from '../guardrail-assessment.js';
import type { GroundingFilterConfig, GroundingFilterType, PolicyAction } from '../guardrail-definition.js';
import type { SentenceEmbedder } from '../sentence-embedder.js';
import type { StagedPolicy } from '../staged-policy.js';
import { splitIntoUnits, type TextUnit } from '../text-units.js';
import { cosine, dot } from '../vectors.js';
import { contentWords, lexicalSupport, numbersIn } from './lexical-support.js';

export interface GroundingScores {
  grounding: number;
  relevance: number;
  /** which encoder produced the similarities */
  encoder: 'precise' | 'fast';
}

/** Units the precise encoder may have to embed in one grounding check; past it the static encoder is used. */
const preciseBudget = 48;

/** Maps a cosine similarity onto 0..1: unrelated sentences sit near 0.15, paraphrases above 0.75. */
function stretch(similarity: number, low = 0.15, high = 0.8): number {
  return Math.min(1, Math.max(0, (similarity - low) / (high - low)));
}

export interface GroundingInput {
  response: string;
  source: string;
  query: string;
  embedder: SentenceEmbedder;
  abortSignal?: AbortSignal;
}

/**
 * Contextual grounding and relevance scores (0..1) for a response, from sentence-level claim support.
 *
 * Grounding: each response sentence is a claim; its support is the best semantic match among the
 * source's sentences (cosine similarity, stretched to 0..1) blended with the share of its content
 * words found in the source, and halved when it states a number the source lacks. The response's
 * grounding score is the length-weighted mean of its claims' support, so one invented sentence in
 * three lowers it markedly.
 *
 * Relevance: how well the response addresses the query: the best similarity between the query and
 * the response (whole, or its best sentence), blended with the share of the query's content words
 * the response takes up.
 *
 * Embeddings come from the built-in encoder while the uncached sentences fit a budget of 48, which
 * covers typical RAG answers and passages, else from the static encoder.
 *
 * @example
 * const scores = await scoreGrounding({ response, source, query, embedder });
 */
export async function scoreGrounding(input: GroundingInput): Promise<GroundingScores> {
  const stage = prepareGrounding(input);
  return stage.finish(stage.encoderTexts.length > 0 ? await input.embedder.precise(stage.encoderTexts, input.abortSignal) : [], new Map());
}

/**
 * `scoreGrounding` split around the engine's one encoder call: the texts to embed with the precise
 * encoder (none when the static encoder does it: then `finish` computes everything, and the engine
 * calls it while the encoder runs). `embeddedAnyway`: texts other policies send to the same encoder
 * call, which cost grounding nothing.
 */
export function prepareGrounding(input: GroundingInput, embeddedAnyway: readonly string[] = []): StagedPolicy<GroundingScores> {
  const claims: TextUnit[] = splitIntoUnits(input.response);
  const sourceUnits = splitIntoUnits(input.source);
  const sourceWindows = sourceUnits.map((unit, index) => (index + 1 < sourceUnits.length ? `${unit.text} ${sourceUnits[index + 1]!.text}` : unit.text));
  const texts = [...claims.map((claim) => claim.text), ...sourceUnits.map((unit) => unit.text), ...sourceWindows, input.query, input.response.trim()].filter(Boolean);
  const score = (vectors: readonly ArrayLike<number>[], encoder: GroundingScores['encoder'], similarity: (a: ArrayLike<number>, b: ArrayLike<number>) => number): GroundingScores => {
    const vectorOf = new Map<string, ArrayLike<number>>();
    texts.forEach((text, index) => {
      vectorOf.set(text, vectors[index]!);
    });
    return scoreClaims(input, { claims, sourceUnits, sourceWindows, vectorOf, encoder, similarity });
  };
  const shared = new Set(embeddedAnyway);
  if (input.embedder.model && input.embedder.uncached(texts.filter((text) => !shared.has(text))) <= preciseBudget) {
    return { encoderTexts: texts, finish: async (vectors) => score(vectors, 'precise', cosine) };
  }
  return {
    encoderTexts: [],
    async finish() {
      const fast = await input.embedder.fast();
      // Static vectors are unit length (or zero), so their dot product is their cosine.
      return score(
        texts.map((text) => fast.encode(text)),
        'fast',
        dot,
      );
    },
  };
}

interface ClaimContext {
  claims: TextUnit[];
  sourceUnits: TextUnit[];
  sourceWindows: string[];
  vectorOf: Map<string, ArrayLike<number>>;
  encoder: GroundingScores['encoder'];
  similarity: (a: ArrayLike<number>, b: ArrayLike<number>) => number;
}

function scoreClaims(input: GroundingInput, context: ClaimContext): GroundingScores {
  const { claims, sourceUnits, sourceWindows, vectorOf, encoder, similarity } = context;
  const sourceWords = new Set(contentWords(input.source));
  const sourceNumbers = new Set(numbersIn(input.source));
  const references = [...sourceUnits.map((unit) => unit.text), ...sourceWindows].map((reference) => vectorOf.get(reference)!);
  let weighted = 0;
  let totalWeight = 0;
  for (const claim of claims) {
    const vector = vectorOf.get(claim.text)!;
    let semantic = references.length ? Number.NEGATIVE_INFINITY : 0;
    for (const reference of references) semantic = Math.max(semantic, similarity(vector, reference));
    const { recall, novelNumber } = lexicalSupport(claim.text, sourceWords, sourceNumbers);
    let support = 0.6 * stretch(semantic) + 0.4 * recall;
    if (novelNumber) support *= 0.5;
    const weight = Math.max(1, contentWords(claim.text).length);
    weighted += support * weight;
    totalWeight += weight;
  }
  const grounding = totalWeight ? weighted / totalWeight : 0;

  let relevance = 0;
  if (input.query.trim()) {
    const queryVector = vectorOf.get(input.query)!;
    let best = similarity(queryVector, vectorOf.get(input.response.trim())!);
    for (const claim of claims) best = Math.max(best, similarity(queryVector, vectorOf.get(claim.text)!));
    const queryWords = contentWords(input.query);
    const responseWords = new Set(contentWords(input.response));
    const overlap = queryWords.length ? queryWords.filter((word) => responseWords.has(word)).length / queryWords.length : 0;
    relevance = 0.75 * stretch(best, 0.1, 0.7) + 0.25 * overlap;
  }
  const round = (value: number) => Math.round(value * 100) / 100;
  return { grounding: round(grounding), relevance: round(relevance), encoder };
}

/** Applies the configured filters to the scores: a score under a filter's threshold is caught. */
export function groundingFindings(filters: readonly GroundingFilterConfig[], scores: { grounding?: number; relevance?: number }): { findings: GroundingFinding[]; blocked: boolean } {
  const findings: GroundingFinding[] = [];
  for (const filter of filters) {
    if (filter.enabled === false) continue;
    const score = filter.type === 'GROUNDING' ? scores.grounding : scores.relevance;
    if (score === undefined) continue;
    const detected = score < filter.threshold;
    const action: PolicyAction = filter.action ?? 'BLOCK';
    findings.push({ type: filter.type as GroundingFilterType, threshold: filter.threshold, score, action: detected && action === 'BLOCK' ? 'BLOCKED' : 'NONE', detected });
  }
  return { findings, blocked: findings.some((finding) => finding.action === 'BLOCKED') };
}
