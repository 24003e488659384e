export type { ConfidenceLevel, ContentFilterType, FilterStrength } from './content-filters/content-filter-types.js';
export { contentFilterTypes, isCaught } from './content-filters/content-filter-types.js';
export type * from './guardrail-assessment.js';
export type * from './guardrail-definition.js';
export { type CompiledGuardrail, GuardrailEngine, type GuardrailEngineOptions, maxGuardedCharacters } from './guardrail-engine.js';
export type { GuardJudge } from './judge/guard-judge.js';
export { createLanguageModelJudge, type JudgeFormat } from './judge/language-model-judge.js';
export { compileCustomRegex } from './sensitive-information/custom-regex.js';
export { type PiiEntityType, piiEntityTypes } from './sensitive-information/pii-entity-types.js';
export { validateGuardrailDefinition } from './validate-guardrail-definition.js';
export {
  type GuardrailCall,
  type GuardrailEvaluationEvent,
  type GuardrailInterventionRecord,
  type GuardrailInterventionRepository,
  type GuardrailObserver,
  type InterventionPolicyAction,
  interventionActions,
  interventionRecordOf,
} from './interventions/guardrail-intervention.js';
export { guardStream, type StreamGuardOptions, type StreamGuardOutcome, type StreamProcessingMode } from './streaming/guard-stream.js';
