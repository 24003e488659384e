import { OutcropError } from '../errors.js';
import type { EmbeddingModel } from '../inference/embedding-model.js';
import { activeContentFilters, prepareContentFilters } from './content-filters/content-filter-policy.js';
import { groundingFindings, prepareGrounding } from './contextual-grounding/contextual-grounding-policy.js';
import { activeTopics, prepareDeniedTopics } from './denied-topics/denied-topic-policy.js';
import type { GuardrailAssessment, GuardrailEvaluation, GuardrailInput, GuardrailUsage } from './guardrail-assessment.js';
import type { GuardrailDefinition } from './guardrail-definition.js';
import type { GuardJudge } from './judge/guard-judge.js';
import { SentenceEmbedder } from './sentence-embedder.js';
import { chooseCandidates, finished } from './staged-policy.js';
import { prepareNameRecognizer } from './sensitive-information/name-recognizer.js';
import { type CompiledSensitiveInformationPolicy, compileSensitiveInformationPolicy, evaluateSensitiveInformation } from './sensitive-information/sensitive-information-policy.js';
import { splitIntoUnits, type TextUnit } from './text-units.js';
import { validateGuardrailDefinition } from './validate-guardrail-definition.js';
import { type CompiledWordPolicy, compileWordPolicy, evaluateWords } from './words/word-policy.js';

export interface GuardrailEngineOptions {
  /**
   * Embedding model for the classifiers and similarity checks; the shipped classifiers and thresholds
   * are fitted to the built-in `outcrop.use-lite-v1`, and any other model falls back to the static
   * distilled encoder for content filters.
   */
  embeddingModel?: EmbeddingModel;
  /** a guard model that classifies content and topics instead of the built-in classifiers */
  judge?: GuardJudge;
  /** sentence embeddings kept for reuse (default 4,096; 0 keeps only denied-topic definitions) */
  embeddingCacheSize?: number;
  /**
   * Most units (sentences) of one evaluation that content filters and denied topics together send to
   * the embedding model (default 4): those the fast stages could not clear, each policy's most
   * suspicious first, in turns; a unit both policies want takes one slot. Short texts fit whole; in long texts the fast
   * stages decide the rest. Raise it for accuracy on long texts at the cost of about 5 ms a sentence.
   */
  encoderBudget?: number;
}

/** A guardrail definition validated and prepared for evaluation (regexes compiled, lists loaded). */
export interface CompiledGuardrail {
  readonly definition: GuardrailDefinition;
  readonly words: CompiledWordPolicy | undefined;
  readonly sensitiveInformation: CompiledSensitiveInformationPolicy | undefined;
}

/** Most characters one evaluation takes across its content blocks. */
export const maxGuardedCharacters = 1_000_000;
const defaultBlockedMessage = 'Sorry, the model cannot answer this question.';

/**
 * Evaluates guardrail definitions against text: content filters, denied topics, word filters,
 * sensitive information and contextual grounding, returning an assessment that maps 1:1 onto
 * Bedrock's `GuardrailAssessment`. Evaluation never fails open: any error inside a policy fails the
 * call with an OutcropError.
 *
 * @example
 * const engine = new GuardrailEngine({ embeddingModel });
 * const guardrail = await engine.compile({ sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZE' }] } });
 * const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: 'write to ana@example.com' }] });
 * result.outputs[0]?.text; // 'write to {EMAIL}'
 */
export class GuardrailEngine {
  private readonly embedder: SentenceEmbedder;
  private readonly judge: GuardJudge | undefined;
  private readonly encoderBudget: number;

  constructor(options: GuardrailEngineOptions = {}) {
    this.embedder = new SentenceEmbedder(options.embeddingModel, options.embeddingCacheSize);
    this.judge = options.judge;
    this.encoderBudget = options.encoderBudget ?? 4;
  }

  /** Validates a definition (throws a ValidationException listing every problem) and prepares it. */
  async compile(definition: GuardrailDefinition): Promise<CompiledGuardrail> {
    validateGuardrailDefinition(definition);
    const sensitive = definition.sensitiveInformationPolicy;
    if (sensitive?.piiEntities?.some((entity) => entity.type === 'NAME')) await prepareNameRecognizer();
    // Embed the topics' definitions and examples once, now, rather than on the first request.
    const topics = definition.topicPolicy?.topics ?? [];
    if (topics.length > 0 && this.embedder.model && !this.judge?.topics) {
      try {
        await this.embedder.pin(topics.flatMap((topic) => [topic.definition, ...(topic.examples ?? [])]));
      } catch (error) {
        if (OutcropError.isInstance(error)) throw error;
        throw new OutcropError('InternalServerException', `The guardrail's denied topics could not be prepared: ${(error as Error).message}`, { cause: error });
      }
    }
    return {
      definition,
      words: definition.wordPolicy ? await compileWordPolicy(definition.wordPolicy) : undefined,
      sensitiveInformation: sensitive ? compileSensitiveInformationPolicy(sensitive) : undefined,
    };
  }

  async evaluate(guardrail: CompiledGuardrail, input: GuardrailInput): Promise<GuardrailEvaluation> {
    try {
      return await this.run(guardrail, input);
    } catch (error) {
      if (input.abortSignal?.aborted) throw input.abortSignal.reason ?? error;
      if (OutcropError.isInstance(error)) throw error;
      throw new OutcropError('InternalServerException', `The guardrail check failed, so the content was not released: ${(error as Error).message}`, { cause: error });
    }
  }

  private async run(guardrail: CompiledGuardrail, input: GuardrailInput): Promise<GuardrailEvaluation> {
    const started = performance.now();
    const { definition } = guardrail;
    const { source, abortSignal } = input;
    const blocks = input.content.map((block) => ({ text: block.text, qualifiers: block.qualifiers ?? [] }));
    const isReference = (block: (typeof blocks)[number]) => block.qualifiers.includes('grounding_source') || block.qualifiers.includes('query');
    const guarded = blocks.filter((block) => !isReference(block));
    const guardedCharacters = guarded.reduce((sum, block) => sum + block.text.length, 0);
    const totalCharacters = blocks.reduce((sum, block) => sum + block.text.length, 0);
    if (totalCharacters > maxGuardedCharacters) {
      throw new OutcropError('ValidationException', `The content to guard has ${totalCharacters} characters; at most ${maxGuardedCharacters} are accepted in one request.`);
    }

    const fullText = guarded.map((block) => block.text).join('\n\n');
    const units: TextUnit[] = guarded.flatMap((block) => splitIntoUnits(block.text));
    const context = { units, text: fullText, source, embedder: this.embedder, judge: this.judge, abortSignal };
    const filters = activeContentFilters(definition.contentPolicy?.filters ?? [], source);
    const topics = activeTopics(definition.topicPolicy?.topics ?? [], source);
    const groundingFilters = definition.contextualGroundingPolicy?.filters.filter((filter) => filter.enabled !== false) ?? [];
    const groundingSource = blocks.filter((block) => block.qualifiers.includes('grounding_source')).map((block) => block.text).join('\n');
    const query = blocks.filter((block) => block.qualifiers.includes('query')).map((block) => block.text).join('\n');
    const runGrounding = source === 'OUTPUT' && groundingFilters.length > 0 && guardedCharacters > 0 && (groundingSource.trim() !== '' || query.trim() !== '');

    // Fast stages first; then one encoder call for every policy's texts (in the embedding worker
    // threads), while this thread runs the word and sensitive-information checks and, when the
    // static encoder scores it, contextual grounding. Content filters and denied topics share the
    // encoder budget, taking turns with their most suspicious units.
    const [contentStage, topicStage] = await Promise.all([prepareContentFilters(filters, context), prepareDeniedTopics(topics, context)]);
    const groundingStage = runGrounding ? prepareGrounding({ response: fullText, source: groundingSource, query, embedder: this.embedder }) : finished(undefined);
    const stages = [contentStage, topicStage, groundingStage] as const;
    const requiredTexts = stages.flatMap((stage) => stage.encoderTexts);
    const chosen = chooseCandidates(
      stages.map((stage) => stage.candidates ?? []),
      this.encoderBudget,
      new Set(requiredTexts),
    );
    const encoderTexts = [...requiredTexts, ...chosen];
    const encoding = encoderTexts.length > 0 ? this.embedder.precise(encoderTexts, abortSignal) : Promise.resolve([]);
    encoding.catch(() => {});
    const words = guardrail.words ? guarded.map((block) => evaluateWords(guardrail.words!, block.text, source)) : undefined;
    const sensitive = guardrail.sensitiveInformation ? await Promise.all(guarded.map((block) => evaluateSensitiveInformation(guardrail.sensitiveInformation!, block.text, source))) : undefined;
    const groundingWithoutEncoder = groundingStage.encoderTexts.length === 0 ? groundingStage.finish([], new Map()) : undefined;
    groundingWithoutEncoder?.catch(() => {});
    const vectors = await encoding;
    const refined = new Map(encoderTexts.map((text, index) => [text, vectors[index]!]));
    const slices = sliceByStage(
      vectors,
      stages.map((stage) => stage.encoderTexts.length),
    );
    const [content, topicResult, grounding] = await Promise.all([
      contentStage.finish(slices[0]!, refined),
      topicStage.finish(slices[1]!, refined),
      groundingWithoutEncoder ?? groundingStage.finish(slices[2]!, refined),
    ]);
    abortSignal?.throwIfAborted();
    const groundingResult = grounding
      ? groundingFindings(
          groundingFilters.filter((filter) => (filter.type === 'GROUNDING' ? groundingSource.trim() : query.trim())),
          grounding,
        )
      : undefined;

    const blocked =
      content.blocked || topicResult.blocked || Boolean(words?.some((result) => result.blocked)) || Boolean(sensitive?.some((result) => result.blocked)) || Boolean(groundingResult?.blocked);
    const masked = Boolean(sensitive?.some((result) => result.masked));

    const assessment: GuardrailAssessment = {
      invocationMetrics: {
        guardrailProcessingLatency: 0,
        usage: this.usage(guarded.map((block) => block.text), { definition, filters: filters.length, topics: topics.length, grounding: runGrounding ? [fullText, groundingSource, query] : undefined }),
        guardrailCoverage: { textCharacters: { guarded: guardedCharacters, total: totalCharacters } },
      },
    };
    if (topicResult.findings.length) assessment.topicPolicy = { topics: topicResult.findings };
    if (content.findings.length) assessment.contentPolicy = { filters: content.findings };
    const customWords = words?.flatMap((result) => result.customWords) ?? [];
    const managedWordLists = words?.flatMap((result) => result.managedWordLists) ?? [];
    if (customWords.length || managedWordLists.length) assessment.wordPolicy = { customWords: dedupe(customWords), managedWordLists: dedupe(managedWordLists) };
    const piiEntities = sensitive?.flatMap((result) => result.piiEntities) ?? [];
    const regexes = sensitive?.flatMap((result) => result.regexes) ?? [];
    if (piiEntities.length || regexes.length) assessment.sensitiveInformationPolicy = { piiEntities, regexes };
    if (groundingResult?.findings.length) assessment.contextualGroundingPolicy = { filters: groundingResult.findings };

    let maskedIndex = 0;
    const maskedContent = blocks.map((block) => {
      if (isReference(block)) return block;
      const result = sensitive?.[maskedIndex++];
      return { text: result ? result.maskedText : block.text, qualifiers: block.qualifiers };
    });
    const messaging = (source === 'INPUT' ? definition.blockedInputMessaging : definition.blockedOutputsMessaging) ?? defaultBlockedMessage;
    const outputs = blocked ? [{ text: messaging }] : masked ? maskedContent.filter((block) => !isReference(block)).map((block) => ({ text: block.text })) : [];
    assessment.invocationMetrics.guardrailProcessingLatency = Math.round(performance.now() - started);
    return {
      action: blocked || masked ? 'GUARDRAIL_INTERVENED' : 'NONE',
      blocked,
      ...(blocked ? { actionReason: 'Guardrail blocked.' } : masked ? { actionReason: 'Guardrail masked.' } : {}),
      outputs,
      maskedContent,
      assessments: [assessment],
      usage: assessment.invocationMetrics.usage,
      coverage: assessment.invocationMetrics.guardrailCoverage,
    };
  }

  /** Bedrock's text units: each block's characters in units of 1,000, rounded up, per policy that ran. */
  private usage(texts: string[], run: { definition: GuardrailDefinition; filters: number; topics: number; grounding: string[] | undefined }): GuardrailUsage {
    const units = texts.reduce((sum, text) => sum + Math.ceil(text.length / 1000), 0);
    const sensitive = run.definition.sensitiveInformationPolicy;
    const hasEntities = (sensitive?.piiEntities?.length ?? 0) > 0;
    const hasRegexes = (sensitive?.regexes?.length ?? 0) > 0;
    const hasWords = (run.definition.wordPolicy?.words?.length ?? 0) + (run.definition.wordPolicy?.managedWordLists?.length ?? 0) > 0;
    return {
      topicPolicyUnits: run.topics ? units : 0,
      contentPolicyUnits: run.filters ? units : 0,
      wordPolicyUnits: hasWords ? units : 0,
      sensitiveInformationPolicyUnits: hasEntities ? units : 0,
      sensitiveInformationPolicyFreeUnits: !hasEntities && hasRegexes ? units : 0,
      contextualGroundingPolicyUnits: run.grounding ? run.grounding.reduce((sum, text) => sum + Math.ceil(text.length / 1000), 0) : 0,
    };
  }
}

/** Cuts the vectors of the one encoder call back into each stage's share, in order. */
function sliceByStage(vectors: readonly Float32Array[], counts: readonly number[]): Float32Array[][] {
  let start = 0;
  return counts.map((count) => {
    start += count;
    return vectors.slice(start - count, start);
  });
}

function dedupe<T extends { match: string }>(findings: T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = finding.match.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
