import type { CustomWordFinding, ManagedWordFinding } from '../guardrail-assessment.js';
import { lazily, readGuardrailData } from '../guardrail-data-files.js';
import { directionOf, type GuardrailDefinition, type GuardrailSource, type PolicyAction } from '../guardrail-definition.js';
import { createWordMatcher, type WordMatcher } from './word-matcher.js';

const loadProfanity = lazily(async () => createWordMatcher((await readGuardrailData<{ words: string[] }>('profanity.json')).words));

interface Direction {
  enabled: boolean;
  action: PolicyAction;
}

/** Word filters prepared once per guardrail: one matcher per direction and action. */
export interface CompiledWordPolicy {
  words: Array<{ text: string; input: Direction; output: Direction }>;
  matchers: Record<GuardrailSource, WordMatcher>;
  profanity: { input: Direction; output: Direction } | undefined;
  profanityMatcher: WordMatcher | undefined;
}

export async function compileWordPolicy(policy: NonNullable<GuardrailDefinition['wordPolicy']>): Promise<CompiledWordPolicy> {
  const words = (policy.words ?? []).map((word) => ({ text: word.text, input: directionOf(word, 'INPUT', 'BLOCK' as PolicyAction), output: directionOf(word, 'OUTPUT', 'BLOCK' as PolicyAction) }));
  const managed = policy.managedWordLists?.find((list) => list.type === 'PROFANITY');
  return {
    words,
    matchers: {
      INPUT: createWordMatcher(words.filter((word) => word.input.enabled).map((word) => word.text)),
      OUTPUT: createWordMatcher(words.filter((word) => word.output.enabled).map((word) => word.text)),
    },
    profanity: managed ? { input: directionOf(managed, 'INPUT', 'BLOCK' as PolicyAction), output: directionOf(managed, 'OUTPUT', 'BLOCK' as PolicyAction) } : undefined,
    profanityMatcher: managed ? await loadProfanity() : undefined,
  };
}

export interface WordPolicyResult {
  customWords: CustomWordFinding[];
  managedWordLists: ManagedWordFinding[];
  blocked: boolean;
}

/**
 * Custom words and the managed profanity list on one text. A BLOCK entry that matches intervenes; a
 * NONE entry is reported as detected without intervening.
 */
export function evaluateWords(policy: CompiledWordPolicy, text: string, source: GuardrailSource): WordPolicyResult {
  const side = (entry: { input: Direction; output: Direction }) => (source === 'INPUT' ? entry.input : entry.output);
  const actions = new Map(policy.words.map((word) => [word.text.trim().toLocaleLowerCase('en').replace(/\s+/g, ' '), side(word).action] as const));
  const customWords: CustomWordFinding[] = policy.matchers[source].find(text).map((match) => {
    const action = actions.get(match.toLocaleLowerCase('en').replace(/\s+/g, ' ')) ?? 'BLOCK';
    return { match, action: action === 'BLOCK' ? 'BLOCKED' : 'NONE', detected: true };
  });
  const profanity = policy.profanity && side(policy.profanity);
  const managedWordLists: ManagedWordFinding[] =
    profanity?.enabled && policy.profanityMatcher
      ? policy.profanityMatcher.find(text).map((match) => ({ match, type: 'PROFANITY', action: profanity.action === 'BLOCK' ? 'BLOCKED' : 'NONE', detected: true }))
      : [];
  return { customWords, managedWordLists, blocked: [...customWords, ...managedWordLists].some((finding) => finding.action === 'BLOCKED') };
}
