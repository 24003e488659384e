import { OutcropError } from '../../core/errors.js';
import type { GuardrailDefinition } from '../../core/guardrails/index.js';
import type { GuardrailVersionRecord } from '../../core/guardrails/registry/guardrail-record.js';
import type {
  CreateGuardrailRequest,
  GuardrailContentPolicy,
  GuardrailContextualGroundingPolicy,
  GuardrailSensitiveInformationPolicy,
  GuardrailTopicPolicy,
  GuardrailWordPolicy,
} from '../../protocol/generated/bedrock-types.js';

type PolicyConfigs = Pick<
  CreateGuardrailRequest,
  | 'topicPolicyConfig'
  | 'contentPolicyConfig'
  | 'wordPolicyConfig'
  | 'sensitiveInformationPolicyConfig'
  | 'contextualGroundingPolicyConfig'
  | 'automatedReasoningPolicyConfig'
  | 'crossRegionConfig'
  | 'blockedInputMessaging'
  | 'blockedOutputsMessaging'
>;

/** Drops `undefined` members, so stored definitions hold only what the client sent. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

const directional = (entry: { inputAction?: string; outputAction?: string; inputEnabled?: boolean; outputEnabled?: boolean }) =>
  defined({ inputAction: entry.inputAction, outputAction: entry.outputAction, inputEnabled: entry.inputEnabled, outputEnabled: entry.outputEnabled });

/** CreateGuardrail / UpdateGuardrail policy configs → the engine's neutral definition. */
export function definitionFromRequest(input: PolicyConfigs): GuardrailVersionRecord['definition'] {
  if (input.automatedReasoningPolicyConfig) throw new OutcropError('ValidationException', 'Automated Reasoning policies are not supported by this server.');
  if (input.crossRegionConfig) throw new OutcropError('ValidationException', 'Cross-Region guardrail profiles are not supported by this server.');
  const definition: GuardrailVersionRecord['definition'] = { blockedInputMessaging: input.blockedInputMessaging, blockedOutputsMessaging: input.blockedOutputsMessaging };
  if (input.contentPolicyConfig) {
    definition.contentPolicy = {
      filters: input.contentPolicyConfig.filtersConfig.map((filter) => ({ type: filter.type, inputStrength: filter.inputStrength, outputStrength: filter.outputStrength, ...directional(filter) })) as NonNullable<GuardrailDefinition['contentPolicy']>['filters'],
    };
  }
  if (input.topicPolicyConfig) {
    definition.topicPolicy = {
      topics: input.topicPolicyConfig.topicsConfig.map((topic) => defined({ name: topic.name, definition: topic.definition, examples: topic.examples, ...directional(topic) })) as NonNullable<GuardrailDefinition['topicPolicy']>['topics'],
    };
  }
  if (input.wordPolicyConfig) {
    definition.wordPolicy = {
      words: (input.wordPolicyConfig.wordsConfig ?? []).map((word) => ({ text: word.text, ...directional(word) })) as NonNullable<NonNullable<GuardrailDefinition['wordPolicy']>['words']>,
      managedWordLists: (input.wordPolicyConfig.managedWordListsConfig ?? []).map((list) => ({ type: list.type, ...directional(list) })) as NonNullable<NonNullable<GuardrailDefinition['wordPolicy']>['managedWordLists']>,
    };
  }
  if (input.sensitiveInformationPolicyConfig) {
    definition.sensitiveInformationPolicy = {
      piiEntities: (input.sensitiveInformationPolicyConfig.piiEntitiesConfig ?? []).map((entity) => ({ type: entity.type, action: entity.action, ...directional(entity) })) as NonNullable<
        NonNullable<GuardrailDefinition['sensitiveInformationPolicy']>['piiEntities']
      >,
      regexes: (input.sensitiveInformationPolicyConfig.regexesConfig ?? []).map((regex) =>
        defined({ name: regex.name, description: regex.description, pattern: regex.pattern, action: regex.action, ...directional(regex) }),
      ) as NonNullable<NonNullable<GuardrailDefinition['sensitiveInformationPolicy']>['regexes']>,
    };
  }
  if (input.contextualGroundingPolicyConfig) {
    definition.contextualGroundingPolicy = {
      filters: input.contextualGroundingPolicyConfig.filtersConfig.map((filter) => defined({ type: filter.type, threshold: filter.threshold, action: filter.action, enabled: filter.enabled })),
    };
  }
  return definition;
}

const withDefaults = <Action extends string>(entry: { inputAction?: Action; outputAction?: Action; inputEnabled?: boolean; outputEnabled?: boolean }, action: Action) => ({
  inputAction: entry.inputAction ?? action,
  outputAction: entry.outputAction ?? action,
  inputEnabled: entry.inputEnabled ?? true,
  outputEnabled: entry.outputEnabled ?? true,
});

/** A stored definition → GetGuardrail's policy members, with Bedrock's defaults filled in. */
export function policiesForResponse(definition: GuardrailDefinition): {
  topicPolicy?: GuardrailTopicPolicy;
  contentPolicy?: GuardrailContentPolicy;
  wordPolicy?: GuardrailWordPolicy;
  sensitiveInformationPolicy?: GuardrailSensitiveInformationPolicy;
  contextualGroundingPolicy?: GuardrailContextualGroundingPolicy;
} {
  return defined({
    topicPolicy: definition.topicPolicy && {
      topics: definition.topicPolicy.topics.map((topic) => ({ name: topic.name, definition: topic.definition, ...(topic.examples ? { examples: topic.examples } : {}), type: 'DENY' as const, ...withDefaults(topic, 'BLOCK') })),
    },
    contentPolicy: definition.contentPolicy && {
      filters: definition.contentPolicy.filters.map((filter) => ({ type: filter.type, inputStrength: filter.inputStrength, outputStrength: filter.outputStrength, ...withDefaults(filter, 'BLOCK') })),
    },
    wordPolicy: definition.wordPolicy && {
      words: (definition.wordPolicy.words ?? []).map((word) => ({ text: word.text, ...withDefaults(word, 'BLOCK') })),
      managedWordLists: (definition.wordPolicy.managedWordLists ?? []).map((list) => ({ type: list.type, ...withDefaults(list, 'BLOCK') })),
    },
    sensitiveInformationPolicy: definition.sensitiveInformationPolicy && {
      piiEntities: (definition.sensitiveInformationPolicy.piiEntities ?? []).map((entity) => ({ type: entity.type, action: entity.action, ...withDefaults(entity, entity.action) })),
      regexes: (definition.sensitiveInformationPolicy.regexes ?? []).map((regex) => ({
        name: regex.name,
        ...(regex.description === undefined ? {} : { description: regex.description }),
        pattern: regex.pattern,
        action: regex.action,
        ...withDefaults(regex, regex.action),
      })),
    },
    contextualGroundingPolicy: definition.contextualGroundingPolicy && {
      filters: definition.contextualGroundingPolicy.filters.map((filter) => ({ type: filter.type, threshold: filter.threshold, action: filter.action ?? 'BLOCK', enabled: filter.enabled ?? true })),
    },
  });
}
