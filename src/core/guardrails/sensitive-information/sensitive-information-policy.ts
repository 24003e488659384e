import type { PiiEntityFinding, RegexFinding } from '../guardrail-assessment.js';
import { directionOf, type GuardrailDefinition, type GuardrailSource, type SensitiveInformationAction } from '../guardrail-definition.js';
import { type CompiledRegex, compileCustomRegex } from './custom-regex.js';
import { detectNames } from './name-recognizer.js';
import { detectByPattern } from './pattern-detectors.js';
import type { PiiEntityType, PiiSpan } from './pii-entity-types.js';
import { piiRank, resolveOverlaps } from './resolve-overlaps.js';

/** A sensitive-information policy prepared once per guardrail: regexes checked and compiled. */
export interface CompiledSensitiveInformationPolicy {
  entities: Array<{ type: PiiEntityType; input: Direction; output: Direction }>;
  regexes: Array<{ name: string; pattern: string; compiled: CompiledRegex; input: Direction; output: Direction }>;
}

interface Direction {
  enabled: boolean;
  action: SensitiveInformationAction;
}

export function compileSensitiveInformationPolicy(policy: NonNullable<GuardrailDefinition['sensitiveInformationPolicy']>): CompiledSensitiveInformationPolicy {
  return {
    entities: (policy.piiEntities ?? []).map((entity) => ({
      type: entity.type,
      input: directionOf(entity, 'INPUT', entity.action),
      output: directionOf(entity, 'OUTPUT', entity.action),
    })),
    regexes: (policy.regexes ?? []).map((regex) => ({
      name: regex.name,
      pattern: regex.pattern,
      compiled: compileCustomRegex(regex.pattern, regex.name),
      input: directionOf(regex, 'INPUT', regex.action),
      output: directionOf(regex, 'OUTPUT', regex.action),
    })),
  };
}

/** A span to mask or block, found either by a PII detector or by a custom regex. */
interface Finding {
  start: number;
  end: number;
  text: string;
  action: SensitiveInformationAction;
  /** `{EMAIL}` for entities, `{name}` for regexes */
  placeholder: string;
  report: { kind: 'entity'; type: PiiEntityType } | { kind: 'regex'; name: string; pattern: string };
}

export interface SensitiveInformationResult {
  piiEntities: PiiEntityFinding[];
  regexes: RegexFinding[];
  blocked: boolean;
  masked: boolean;
  /** the text with ANONYMIZE findings replaced by their placeholders */
  maskedText: string;
}

const assessed = { BLOCK: 'BLOCKED', ANONYMIZE: 'ANONYMIZED', NONE: 'NONE' } as const;

/**
 * Finds the configured entity types and custom regexes in one text block and applies their actions:
 * BLOCK intervenes, ANONYMIZE replaces the match with `{TYPE}` (or `{regex name}`), NONE only reports.
 *
 * @example
 * const result = await evaluateSensitiveInformation(policy, 'mail me at ana@example.com', 'INPUT');
 * result.maskedText // 'mail me at {EMAIL}'
 */
export async function evaluateSensitiveInformation(policy: CompiledSensitiveInformationPolicy, text: string, source: GuardrailSource): Promise<SensitiveInformationResult> {
  const side = (entry: { input: Direction; output: Direction }) => (source === 'INPUT' ? entry.input : entry.output);
  const entityActions = new Map<PiiEntityType, SensitiveInformationAction>();
  for (const entity of policy.entities) if (side(entity).enabled) entityActions.set(entity.type, side(entity).action);

  const spans: PiiSpan[] = detectByPattern(text, new Set(entityActions.keys()));
  if (entityActions.has('NAME')) spans.push(...(await detectNames(text)));
  const findings: Finding[] = resolveOverlaps(spans, piiRank).map((span) => ({
    start: span.start,
    end: span.end,
    text: span.text,
    action: entityActions.get(span.type) ?? 'NONE',
    placeholder: `{${span.type}}`,
    report: { kind: 'entity', type: span.type },
  }));
  for (const regex of policy.regexes) {
    if (!side(regex).enabled) continue;
    for (const match of regex.compiled.find(text)) {
      findings.push({ ...match, action: side(regex).action, placeholder: `{${regex.name}}`, report: { kind: 'regex', name: regex.name, pattern: regex.pattern } });
    }
  }
  // Custom regexes outrank built-in entities where they overlap.
  const kept = resolveOverlaps(findings, (finding) => (finding.report.kind === 'regex' ? 4 : 0));

  let maskedText = '';
  let cursor = 0;
  for (const finding of kept) {
    if (finding.action !== 'ANONYMIZE') continue;
    maskedText += text.slice(cursor, finding.start) + finding.placeholder;
    cursor = finding.end;
  }
  maskedText += text.slice(cursor);

  return {
    piiEntities: kept.flatMap((finding) => (finding.report.kind === 'entity' ? [{ match: finding.text, type: finding.report.type, action: assessed[finding.action], detected: true }] : [])),
    regexes: kept.flatMap((finding) =>
      finding.report.kind === 'regex' ? [{ name: finding.report.name, match: finding.text, regex: finding.report.pattern, action: assessed[finding.action], detected: true }] : [],
    ),
    blocked: kept.some((finding) => finding.action === 'BLOCK'),
    masked: kept.some((finding) => finding.action === 'ANONYMIZE'),
    maskedText,
  };
}
