import { OutcropError } from '../errors.js';
import { contentFilterTypes } from './content-filters/content-filter-types.js';
import type { GuardrailDefinition } from './guardrail-definition.js';
import { compileCustomRegex } from './sensitive-information/custom-regex.js';
import { piiEntityTypes } from './sensitive-information/pii-entity-types.js';

const strengths = new Set(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
const policyActions = new Set(['BLOCK', 'NONE']);
const sensitiveActions = new Set(['BLOCK', 'ANONYMIZE', 'NONE']);
const topicName = /^[0-9a-zA-Z-_ !?.]+$/;

/**
 * Bedrock's rules for a guardrail's policies beyond what the wire shapes already enforce (lengths and
 * enums are checked there too, but the engine may be called directly): no duplicate filter types,
 * topic names, entity types or regex names; PROMPT_ATTACK only on input; grounding thresholds in
 * 0..0.99; every custom regex safe from catastrophic backtracking. Collects every problem and throws
 * one ValidationException naming them all.
 *
 * @example
 * validateGuardrailDefinition({ contentPolicy: { filters: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'HIGH' }] } });
 * // throws: PROMPT_ATTACK filter's outputStrength must be NONE ...
 */
export function validateGuardrailDefinition(definition: GuardrailDefinition): void {
  const problems: string[] = [];
  const duplicates = (values: string[], what: string) => {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) problems.push(`${what} ${value} is configured more than once.`);
      seen.add(value);
    }
  };
  const directional = (entry: { inputAction?: string; outputAction?: string }, allowed: Set<string>, what: string) => {
    for (const key of ['inputAction', 'outputAction'] as const) {
      const value = entry[key];
      if (value !== undefined && !allowed.has(value)) problems.push(`${what} has an invalid ${key} ${value}.`);
    }
  };

  const content = definition.contentPolicy;
  if (content) {
    if (content.filters.length === 0 || content.filters.length > 6) problems.push('A content policy needs between 1 and 6 filters.');
    duplicates(content.filters.map((filter) => filter.type), 'Content filter');
    for (const filter of content.filters) {
      if (!(contentFilterTypes as readonly string[]).includes(filter.type)) problems.push(`Unknown content filter type ${filter.type}.`);
      if (!strengths.has(filter.inputStrength) || !strengths.has(filter.outputStrength)) problems.push(`Content filter ${filter.type} has an invalid strength; use NONE, LOW, MEDIUM or HIGH.`);
      if (filter.type === 'PROMPT_ATTACK' && filter.outputStrength !== 'NONE') problems.push('PROMPT_ATTACK filter outputStrength must be NONE: prompt attacks are only detected in input.');
      directional(filter, policyActions, `Content filter ${filter.type}`);
    }
  }

  const topics = definition.topicPolicy?.topics;
  if (topics) {
    if (topics.length === 0 || topics.length > 30) problems.push('A topic policy needs between 1 and 30 topics.');
    duplicates(topics.map((topic) => topic.name), 'Topic');
    for (const topic of topics) {
      if (!topic.name || topic.name.length > 100 || !topicName.test(topic.name)) problems.push(`Topic name ${JSON.stringify(topic.name)} must be 1 to 100 letters, digits, spaces or -_!?.`);
      if (!topic.definition || topic.definition.length > 1000) problems.push(`Topic ${topic.name} needs a definition of 1 to 1000 characters.`);
      if ((topic.examples?.length ?? 0) > 5) problems.push(`Topic ${topic.name} may have at most 5 examples.`);
      for (const example of topic.examples ?? []) if (!example || example.length > 100) problems.push(`Each example of topic ${topic.name} must be 1 to 100 characters.`);
      directional(topic, policyActions, `Topic ${topic.name}`);
    }
  }

  const words = definition.wordPolicy;
  if (words) {
    if ((words.words?.length ?? 0) > 10_000) problems.push('A word policy may have at most 10,000 words.');
    for (const word of words.words ?? []) {
      if (!word.text.trim() || word.text.length > 100) problems.push('Each word or phrase must be 1 to 100 characters.');
      directional(word, policyActions, `Word ${JSON.stringify(word.text)}`);
    }
    duplicates((words.managedWordLists ?? []).map((list) => list.type), 'Managed word list');
    for (const list of words.managedWordLists ?? []) if (list.type !== 'PROFANITY') problems.push(`Unknown managed word list ${list.type}.`);
  }

  const sensitive = definition.sensitiveInformationPolicy;
  if (sensitive) {
    duplicates((sensitive.piiEntities ?? []).map((entity) => entity.type), 'PII entity type');
    for (const entity of sensitive.piiEntities ?? []) {
      if (!(piiEntityTypes as readonly string[]).includes(entity.type)) problems.push(`Unknown PII entity type ${entity.type}.`);
      if (!sensitiveActions.has(entity.action)) problems.push(`PII entity ${entity.type} has an invalid action ${entity.action}.`);
      directional(entity, sensitiveActions, `PII entity ${entity.type}`);
    }
    if ((sensitive.regexes?.length ?? 0) > 10) problems.push('A sensitive information policy may have at most 10 regexes.');
    duplicates((sensitive.regexes ?? []).map((regex) => regex.name), 'Regex');
    for (const regex of sensitive.regexes ?? []) {
      if (!regex.name || regex.name.length > 100) problems.push('Each regex needs a name of 1 to 100 characters.');
      if (!sensitiveActions.has(regex.action)) problems.push(`Regex ${regex.name} has an invalid action ${regex.action}.`);
      directional(regex, sensitiveActions, `Regex ${regex.name}`);
      try {
        compileCustomRegex(regex.pattern, regex.name);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }

  const grounding = definition.contextualGroundingPolicy;
  if (grounding) {
    duplicates(grounding.filters.map((filter) => filter.type), 'Contextual grounding filter');
    for (const filter of grounding.filters) {
      if (filter.type !== 'GROUNDING' && filter.type !== 'RELEVANCE') problems.push(`Unknown contextual grounding filter ${filter.type}.`);
      if (!(filter.threshold >= 0 && filter.threshold <= 0.99)) problems.push(`The ${filter.type} threshold must be between 0 and 0.99.`);
      if (filter.action !== undefined && !policyActions.has(filter.action)) problems.push(`The ${filter.type} filter has an invalid action ${filter.action}.`);
    }
  }

  for (const [key, value] of [['blockedInputMessaging', definition.blockedInputMessaging], ['blockedOutputsMessaging', definition.blockedOutputsMessaging]] as const) {
    if (value !== undefined && (value.length === 0 || value.length > 500)) problems.push(`${key} must be 1 to 500 characters.`);
  }

  if (problems.length > 0) {
    throw new OutcropError('ValidationException', problems.length === 1 ? problems[0]! : `${problems.length} validation errors detected: ${problems.join(' ')}`);
  }
}
