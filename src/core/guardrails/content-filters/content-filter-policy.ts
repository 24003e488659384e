import type { ContentFilterFinding } from '../guardrail-assessment.js';
import { type ContentFilterConfig, directionOf, type GuardrailSource, type PolicyAction } from '../guardrail-definition.js';
import type { GuardJudge } from '../judge/guard-judge.js';
import type { SentenceEmbedder } from '../sentence-embedder.js';
import { finished, type StagedPolicy } from '../staged-policy.js';
import type { TextUnit } from '../text-units.js';
import { type ConfidenceLevel, type ContentFilterType, type FilterStrength, isCaught, maxConfidence } from './content-filter-types.js';
import { confidenceOf, contentFeatures, escalationChance, loadContentFilterModel, stageProbability } from './content-filter-model.js';

interface ActiveFilter {
  type: ContentFilterType;
  strength: FilterStrength;
  action: PolicyAction;
}

/** The filters that run for a source: enabled, with a strength above NONE; PROMPT_ATTACK only on input. */
export function activeContentFilters(filters: readonly ContentFilterConfig[], source: GuardrailSource): ActiveFilter[] {
  return filters.flatMap((filter) => {
    const { enabled, action } = directionOf(filter, source, 'BLOCK' as PolicyAction);
    const strength = source === 'INPUT' ? filter.inputStrength : filter.outputStrength;
    if (!enabled || strength === 'NONE' || (filter.type === 'PROMPT_ATTACK' && source === 'OUTPUT')) return [];
    return [{ type: filter.type, strength, action }];
  });
}

export interface ContentFilterContext {
  units: TextUnit[];
  text: string;
  source: GuardrailSource;
  embedder: SentenceEmbedder;
  judge: GuardJudge | undefined;
  abortSignal: AbortSignal | undefined;
}

/**
 * Scores each unit for each active category and reports the filters whose strength catches the
 * text's confidence (the highest over its units).
 *
 * A cascade keeps this fast: the static-embedding classifier clears units whose probability is under
 * its screening threshold (calibrated on cross-validated training predictions); the rest become
 * candidates for the evaluation's shared encoder slots, ranked by the estimated chance that the
 * precise classifier flags them. Those the engine chooses are embedded with the built-in encoder and
 * scored by the precise classifier, whose calibrated thresholds give the confidence; the others keep
 * the fast classifier's own calibrated confidence. Without the built-in encoder (another
 * embedding model configured) the fast classifier decides everything. With a judge, the judge
 * decides the categories it covers.
 */
export async function prepareContentFilters(filters: ActiveFilter[], context: ContentFilterContext): Promise<StagedPolicy<PolicyResult>> {
  if (filters.length === 0) return finished({ findings: [], blocked: false });
  const confidence = new Map<ContentFilterType, ConfidenceLevel>(filters.map((filter) => [filter.type, 'NONE']));
  const judged = context.judge ? filters.map((filter) => filter.type).filter((type) => context.judge!.contentCategories.includes(type)) : [];
  const classified = filters.map((filter) => filter.type).filter((type) => !judged.includes(type));
  const judging =
    judged.length > 0 && context.judge
      ? context.judge.classifyContent({ text: context.text, source: context.source, categories: judged, ...(context.abortSignal ? { abortSignal: context.abortSignal } : {}) })
      : undefined;
  // Reported when finishing, so a judge that fails early cannot go unhandled meanwhile.
  judging?.catch(() => {});

  const candidates: Candidate[] = [];
  const model = classified.length > 0 ? await loadContentFilterModel() : undefined;
  if (model) {
    const fast = await context.embedder.fast();
    const precise = context.embedder.isModel(model.embeddingModel, model.embeddingDimensions);
    for (const unit of context.units) {
      const features = contentFeatures(fast.encode(unit.text), unit.text);
      const flagged: ContentFilterType[] = [];
      const fastLevels = new Map<ContentFilterType, ConfidenceLevel>();
      let priority = 0;
      for (const type of classified) {
        const category = model.categories[type];
        const probability = stageProbability(category.fast, features);
        const level = confidenceOf(probability, category.fast.thresholds);
        fastLevels.set(type, level);
        if (!precise) confidence.set(type, maxConfidence(confidence.get(type)!, level));
        else if (probability >= category.screen) {
          flagged.push(type);
          priority = Math.max(priority, escalationChance(category, probability));
        }
      }
      if (flagged.length > 0) candidates.push({ unit, categories: flagged, priority, fastLevels });
    }
  }

  return {
    encoderTexts: [],
    candidates: candidates.map((candidate) => ({ text: candidate.unit.text, priority: candidate.priority })),
    async finish(_vectors, refined) {
      // The encoder refines the candidates the engine chose (the most likely to be flagged, up to the
      // evaluation's budget); the fast stage's calibrated confidence decides the rest.
      for (const candidate of candidates) {
        const vector = refined.get(candidate.unit.text);
        const features = vector ? contentFeatures(vector, candidate.unit.text) : undefined;
        for (const type of candidate.categories) {
          const level = features ? confidenceOf(stageProbability(model!.categories[type].precise, features), model!.categories[type].precise.thresholds) : (candidate.fastLevels.get(type) ?? 'NONE');
          confidence.set(type, maxConfidence(confidence.get(type)!, level));
        }
      }
      if (judging) {
        const verdicts = await judging;
        for (const type of judged) confidence.set(type, verdicts[type] ?? confidence.get(type)!);
      }
      const findings: ContentFilterFinding[] = [];
      for (const filter of filters) {
        const level = confidence.get(filter.type)!;
        if (!isCaught(filter.strength, level)) continue;
        findings.push({ type: filter.type, confidence: level, filterStrength: filter.strength, action: filter.action === 'BLOCK' ? 'BLOCKED' : 'NONE', detected: true });
      }
      return { findings, blocked: findings.some((finding) => finding.action === 'BLOCKED') };
    },
  };
}

interface Candidate {
  unit: TextUnit;
  categories: ContentFilterType[];
  /** estimated chance that the precise stage flags the unit in one of its categories */
  priority: number;
  fastLevels: Map<ContentFilterType, ConfidenceLevel>;
}

interface PolicyResult {
  findings: ContentFilterFinding[];
  blocked: boolean;
}
