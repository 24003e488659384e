import type { TopicFinding } from '../guardrail-assessment.js';
import { type DeniedTopicConfig, directionOf, type GuardrailSource, type PolicyAction } from '../guardrail-definition.js';
import type { GuardJudge } from '../judge/guard-judge.js';
import type { SentenceEmbedder } from '../sentence-embedder.js';
import type { StaticSentenceEncoder } from '../static-sentence-encoder.js';
import { finished, type StagedPolicy } from '../staged-policy.js';
import type { TextUnit } from '../text-units.js';
import { cosine, dot } from '../vectors.js';
import { contentWords } from '../contextual-grounding/lexical-support.js';
import { loadDeniedTopicCalibration, topicSimilarity } from './denied-topic-calibration.js';
import { screenedTopic, TopicScreen } from './topic-screen.js';

interface ActiveTopic {
  topic: DeniedTopicConfig;
  action: PolicyAction;
}

export function activeTopics(topics: readonly DeniedTopicConfig[], source: GuardrailSource): ActiveTopic[] {
  return topics.flatMap((topic) => {
    const { enabled, action } = directionOf(topic, source, 'BLOCK' as PolicyAction);
    return enabled ? [{ topic, action }] : [];
  });
}

export interface DeniedTopicContext {
  units: TextUnit[];
  text: string;
  source: GuardrailSource;
  embedder: SentenceEmbedder;
  judge: GuardJudge | undefined;
  abortSignal: AbortSignal | undefined;
}

/**
 * Matches units against each topic's definition and examples by embedding similarity. The fast stage
 * (static similarity plus word overlap, `screenScore`) clears units far from every topic; the rest
 * become candidates for the evaluation's shared encoder slots, most topic-like first. Those chosen
 * are embedded with the built-in encoder and compared against the threshold calibrated
 * on `data/guardrails/denied-topics/calibration.jsonl`. Short multi-sentence texts are also
 * compared whole, so a question split over two sentences still matches. With a judge that covers
 * topics, the judge decides.
 */
export async function prepareDeniedTopics(topics: ActiveTopic[], context: DeniedTopicContext): Promise<StagedPolicy<PolicyResult>> {
  if (topics.length === 0) return finished({ findings: [], blocked: false });
  const report = (matched: Set<string>): PolicyResult => {
    const findings: TopicFinding[] = topics
      .filter(({ topic }) => matched.has(topic.name))
      .map(({ topic, action }) => ({ name: topic.name, type: 'DENY', action: action === 'BLOCK' ? 'BLOCKED' : 'NONE', detected: true }));
    return { findings, blocked: findings.some((finding) => finding.action === 'BLOCKED') };
  };
  if (context.judge?.topics) {
    const judging = context.judge.matchTopics({
      text: context.text,
      source: context.source,
      topics: topics.map(({ topic }) => ({ name: topic.name, definition: topic.definition, examples: topic.examples ?? [] })),
      ...(context.abortSignal ? { abortSignal: context.abortSignal } : {}),
    });
    judging.catch(() => {});
    return { encoderTexts: [], finish: async () => report(new Set(await judging)) };
  }

  const calibration = await loadDeniedTopicCalibration();
  const fast = await context.embedder.fast();
  const precise = context.embedder.isModel(calibration.embeddingModel, calibration.embeddingDimensions);
  const units = [...context.units];
  if (units.length > 1 && units.length <= 4) units.push({ text: context.text.trim(), start: 0, end: context.text.length });
  const topicTexts = topics.map(({ topic }) => [topic.definition, ...(topic.examples ?? [])]);
  const matched = new Set<string>();
  if (!precise) {
    // No built-in encoder: static similarity decides, at its own calibrated threshold.
    const fastTopicVectors = topicTexts.map((texts) => texts.map((text) => fast.encode(text)));
    for (const unit of units) {
      const vector = fast.encode(unit.text);
      topics.forEach(({ topic }, index) => {
        // Static vectors are unit length (or zero), so their dot product is their cosine.
        if (topicSimilarity(vector, fastTopicVectors[index]!, dot) >= calibration.fastThreshold) matched.add(topic.name);
      });
    }
    return finished(report(matched));
  }

  const screen = topicScreen(topicTexts, fast);
  const scores = new Float64Array(screen.size);
  const candidates: Array<{ unit: TextUnit; topicIndexes: number[]; priority: number }> = [];
  for (const unit of units) {
    screen.scores(fast.encode(unit.text), contentWords(unit.text), scores);
    const flagged: number[] = [];
    let best = Number.NEGATIVE_INFINITY;
    scores.forEach((score, index) => {
      if (score >= calibration.screen) {
        flagged.push(index);
        best = Math.max(best, score);
      }
    });
    if (flagged.length > 0) candidates.push({ unit, topicIndexes: flagged, priority: best });
  }
  if (candidates.length === 0) return finished(report(matched));

  // The topics' definitions and examples were embedded (and pinned) when the guardrail was compiled,
  // so asking for them again costs no model run.
  const needed = [...new Set(candidates.flatMap((candidate) => candidate.topicIndexes))];
  const definitionTexts = needed.flatMap((index) => topicTexts[index]!);
  return {
    encoderTexts: definitionTexts,
    candidates: candidates.map((candidate) => ({ text: candidate.unit.text, priority: candidate.priority })),
    async finish(vectors, refined) {
      const topicVectors = new Map<number, readonly Float32Array[]>();
      let cursor = 0;
      for (const index of needed) {
        topicVectors.set(index, vectors.slice(cursor, cursor + topicTexts[index]!.length));
        cursor += topicTexts[index]!.length;
      }
      // Only the candidates the engine chose (the most topic-like, as far as the budget goes) are
      // decided by the encoder; a topic match needs the encoder's similarity.
      for (const candidate of candidates) {
        const vector = refined.get(candidate.unit.text);
        if (!vector) continue;
        for (const index of candidate.topicIndexes) {
          if (topicSimilarity(vector, topicVectors.get(index)!, cosine) >= calibration.preciseThreshold) matched.add(topics[index]!.topic.name);
        }
      }
      return report(matched);
    },
  };
}

/** Screens of recently used topic sets, so a guardrail's topics are screened once, not per evaluation. */
const screens = new Map<string, TopicScreen>();
const keptScreens = 64;

function topicScreen(topicTexts: readonly (readonly string[])[], fast: StaticSentenceEncoder): TopicScreen {
  const key = JSON.stringify(topicTexts);
  let screen = screens.get(key);
  if (screen) {
    screens.delete(key);
  } else {
    screen = new TopicScreen(topicTexts.map((texts) => screenedTopic(texts, fast)));
    if (screens.size >= keptScreens) screens.delete(screens.keys().next().value as string);
  }
  screens.set(key, screen);
  return screen;
}

interface PolicyResult {
  findings: TopicFinding[];
  blocked: boolean;
}
