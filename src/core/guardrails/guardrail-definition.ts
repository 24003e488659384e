import type { ConfidenceLevel, ContentFilterType, FilterStrength } from './content-filters/content-filter-types.js';
import type { PiiEntityType } from './sensitive-information/pii-entity-types.js';

export type { ConfidenceLevel, ContentFilterType, FilterStrength, PiiEntityType };

/** Which side of a model call the text comes from. */
export type GuardrailSource = 'INPUT' | 'OUTPUT';

export type PolicyAction = 'BLOCK' | 'NONE';
export type SensitiveInformationAction = 'BLOCK' | 'ANONYMIZE' | 'NONE';

/**
 * Per-direction switches every Bedrock policy entry has. An action of `NONE` still detects (the
 * assessment reports it) but does not intervene; a disabled direction is not evaluated at all.
 * Unset actions default to `BLOCK` (sensitive information: to the entry's `action`); unset switches
 * to enabled.
 */
export interface Directional<Action> {
  inputAction?: Action;
  outputAction?: Action;
  inputEnabled?: boolean;
  outputEnabled?: boolean;
}

export interface ContentFilterConfig extends Directional<PolicyAction> {
  type: ContentFilterType;
  inputStrength: FilterStrength;
  outputStrength: FilterStrength;
}

export interface DeniedTopicConfig extends Directional<PolicyAction> {
  name: string;
  definition: string;
  examples?: string[];
}

export interface WordConfig extends Directional<PolicyAction> {
  text: string;
}

export interface ManagedWordListConfig extends Directional<PolicyAction> {
  type: 'PROFANITY';
}

export interface PiiEntityConfig extends Directional<SensitiveInformationAction> {
  type: PiiEntityType;
  action: SensitiveInformationAction;
}

export interface RegexConfig extends Directional<SensitiveInformationAction> {
  name: string;
  description?: string;
  pattern: string;
  action: SensitiveInformationAction;
}

export type GroundingFilterType = 'GROUNDING' | 'RELEVANCE';

export interface GroundingFilterConfig {
  type: GroundingFilterType;
  /** 0 to 0.99: a score below it is caught */
  threshold: number;
  action?: PolicyAction;
  enabled?: boolean;
}

/**
 * A guardrail's policies, mirroring Bedrock's `*PolicyConfig` shapes without their wire names. The
 * control plane converts CreateGuardrail's request into this; the engine evaluates it.
 *
 * @example
 * const definition: GuardrailDefinition = {
 *   contentPolicy: { filters: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
 *   sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZE' }], regexes: [] },
 * };
 */
export interface GuardrailDefinition {
  contentPolicy?: { filters: ContentFilterConfig[] };
  topicPolicy?: { topics: DeniedTopicConfig[] };
  wordPolicy?: { words?: WordConfig[]; managedWordLists?: ManagedWordListConfig[] };
  sensitiveInformationPolicy?: { piiEntities?: PiiEntityConfig[]; regexes?: RegexConfig[] };
  contextualGroundingPolicy?: { filters: GroundingFilterConfig[] };
  /** replaces blocked input in `outputs` */
  blockedInputMessaging?: string;
  /** replaces blocked output in `outputs` */
  blockedOutputsMessaging?: string;
}

/** Resolves an entry's action and switch for one direction, with Bedrock's defaults. */
export function directionOf<Action>(entry: Directional<Action>, source: GuardrailSource, fallback: Action): { enabled: boolean; action: Action } {
  return source === 'INPUT'
    ? { enabled: entry.inputEnabled ?? true, action: entry.inputAction ?? fallback }
    : { enabled: entry.outputEnabled ?? true, action: entry.outputAction ?? fallback };
}
