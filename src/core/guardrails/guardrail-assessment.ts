import type { ConfidenceLevel, ContentFilterType, FilterStrength, GroundingFilterType, PiiEntityType } from './guardrail-definition.js';

/** What a policy did about one finding; maps 1:1 onto Bedrock's assessment actions. */
export type AssessmentAction = 'BLOCKED' | 'NONE';
export type SensitiveAssessmentAction = 'BLOCKED' | 'ANONYMIZED' | 'NONE';

export interface TopicFinding {
  name: string;
  type: 'DENY';
  action: AssessmentAction;
  detected: boolean;
}

export interface ContentFilterFinding {
  type: ContentFilterType;
  confidence: ConfidenceLevel;
  filterStrength: FilterStrength;
  action: AssessmentAction;
  detected: boolean;
}

export interface CustomWordFinding {
  match: string;
  action: AssessmentAction;
  detected: boolean;
}

export interface ManagedWordFinding {
  match: string;
  type: 'PROFANITY';
  action: AssessmentAction;
  detected: boolean;
}

export interface PiiEntityFinding {
  match: string;
  type: PiiEntityType;
  action: SensitiveAssessmentAction;
  detected: boolean;
}

export interface RegexFinding {
  name: string;
  match: string;
  regex: string;
  action: SensitiveAssessmentAction;
  detected: boolean;
}

export interface GroundingFinding {
  type: GroundingFilterType;
  threshold: number;
  score: number;
  action: AssessmentAction;
  detected: boolean;
}

/** Text units (1,000 characters each, rounded up) charged per policy, as Bedrock counts them. */
export interface GuardrailUsage {
  topicPolicyUnits: number;
  contentPolicyUnits: number;
  wordPolicyUnits: number;
  sensitiveInformationPolicyUnits: number;
  sensitiveInformationPolicyFreeUnits: number;
  contextualGroundingPolicyUnits: number;
}

export interface GuardrailCoverage {
  textCharacters: { guarded: number; total: number };
}

/**
 * One guardrail's findings on one evaluation: the shape of Bedrock's `GuardrailAssessment`, with only
 * the policies that found something present.
 */
export interface GuardrailAssessment {
  topicPolicy?: { topics: TopicFinding[] };
  contentPolicy?: { filters: ContentFilterFinding[] };
  wordPolicy?: { customWords: CustomWordFinding[]; managedWordLists: ManagedWordFinding[] };
  sensitiveInformationPolicy?: { piiEntities: PiiEntityFinding[]; regexes: RegexFinding[] };
  contextualGroundingPolicy?: { filters: GroundingFinding[] };
  invocationMetrics: {
    /** milliseconds */
    guardrailProcessingLatency: number;
    usage: GuardrailUsage;
    guardrailCoverage: GuardrailCoverage;
  };
}

/** The engine's answer for one evaluation. */
export interface GuardrailEvaluation {
  action: 'NONE' | 'GUARDRAIL_INTERVENED';
  /** whether a BLOCK finding intervened (as opposed to masking only) */
  blocked: boolean;
  /** a one-line reason when intervened, e.g. for Bedrock's `actionReason` */
  actionReason?: string;
  /**
   * Bedrock's `outputs`: the blocked messaging when blocked, else the guarded blocks with sensitive
   * information masked when anything was masked, else empty.
   */
  outputs: Array<{ text: string }>;
  /** every content block as it would be released: masked where masked, unchanged otherwise */
  maskedContent: Array<{ text: string; qualifiers: ContentQualifier[] }>;
  assessments: [GuardrailAssessment];
  usage: GuardrailUsage;
  coverage: GuardrailCoverage;
}

export type ContentQualifier = 'grounding_source' | 'query' | 'guard_content';

/** What to evaluate: text blocks with optional qualifiers, as ApplyGuardrail and Converse send them. */
export interface GuardrailInput {
  source: 'INPUT' | 'OUTPUT';
  content: Array<{ text: string; qualifiers?: ContentQualifier[] }>;
  abortSignal?: AbortSignal;
}
