import { createRequire } from 'node:module';
import vm from 'node:vm';
import { OutcropError } from '../../errors.js';

interface Re2Instance {
  lastIndex: number;
  exec(input: string): (string[] & { index: number }) | null;
}

type Re2Constructor = new (pattern: string, flags?: string) => Re2Instance;

const require = createRequire(import.meta.url);
let re2: Re2Constructor | null | undefined;

/** RE2 compiled to WebAssembly (`re2-wasm`): linear-time matching, no build step. Null when it does not load. */
function loadRe2(): Re2Constructor | null {
  if (re2 !== undefined) return re2;
  try {
    re2 = (require('re2-wasm') as { RE2: Re2Constructor }).RE2;
  } catch {
    re2 = null;
  }
  return re2;
}

/** Longest pattern Bedrock accepts. */
export const maxPatternLength = 500;
/** Text a custom regex sees at most per block; longer text is matched in consecutive slices. */
const sliceLength = 64 * 1024;
/** Most matches reported per regex and block. */
const maxMatches = 1000;
/** Wall-clock budget of one backtracking-engine run, for patterns RE2 cannot take. */
const backtrackingBudgetMs = 100;

/** A custom regex that passed the definition-time checks, with the engine that will run it. */
export interface CompiledRegex {
  source: string;
  engine: 're2' | 'backtracking';
  find(text: string): Array<{ start: number; end: number; text: string }>;
}

/**
 * Checks a guardrail's custom regex the way CreateGuardrail must, and prepares it:
 * - it must compile as a JavaScript regular expression and be at most 500 characters;
 * - it must not be able to backtrack catastrophically: patterns `safe-regex2` flags (nested
 *   quantifiers, star height above one, too many repetitions) are rejected with a ValidationException;
 * - it runs on RE2 (linear time) when RE2 accepts its syntax, otherwise (lookaround, backreferences)
 *   on V8's engine inside a `vm` context with a 100 ms timeout per slice: a run that exceeds it fails the
 *   evaluation rather than passing the text unchecked.
 *
 * @example
 * const employeeId = compileCustomRegex('EMP-\\d{6}');
 * employeeId.find('badge EMP-123456'); // [{ start: 6, end: 16, text: 'EMP-123456' }]
 */
export function compileCustomRegex(pattern: string, name = 'regex'): CompiledRegex {
  if (pattern.length === 0 || pattern.length > maxPatternLength) {
    throw new OutcropError('ValidationException', `The regex pattern of ${name} must be between 1 and ${maxPatternLength} characters long.`);
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new OutcropError('ValidationException', `The regex pattern of ${name} is not a valid regular expression: ${(error as Error).message}`);
  }
  const safeRegex = require('safe-regex2') as (pattern: string, options?: { limit?: number }) => boolean;
  if (!safeRegex(pattern, { limit: 50 })) {
    throw new OutcropError(
      'ValidationException',
      `The regex pattern of ${name} could take exponential time on some inputs (nested or overlapping quantifiers such as (a+)+). Rewrite it without nested repetition.`,
    );
  }
  const Re2 = loadRe2();
  if (Re2) {
    try {
      // Compiled once (about 3 ms in WebAssembly) and reused: `find` runs synchronously, and each slice
      // starts its search at `lastIndex` 0.
      const expression = new Re2(pattern, 'gu');
      return { source: pattern, engine: 're2', find: (text) => findWithRe2(expression, text) };
    } catch {
      // RE2 lacks lookaround and backreferences: fall through to the time-bounded engine.
    }
  }
  const script = new vm.Script(
    'const found = []; const expression = new RegExp(pattern, "gu"); let match; while (found.length < limit && (match = expression.exec(input)) !== null) { found.push([match.index, match[0]]); if (match[0] === "") expression.lastIndex++; } found',
  );
  return { source: pattern, engine: 'backtracking', find: (text) => findBounded(script, pattern, name, text) };
}

function findWithRe2(expression: Re2Instance, text: string): Array<{ start: number; end: number; text: string }> {
  const found: Array<{ start: number; end: number; text: string }> = [];
  for (let offset = 0; offset < text.length && found.length < maxMatches; offset += sliceLength) {
    const slice = text.slice(offset, offset + sliceLength);
    expression.lastIndex = 0;
    let match = expression.exec(slice);
    while (match && found.length < maxMatches) {
      const value = match[0] ?? '';
      if (value) found.push({ start: offset + match.index, end: offset + match.index + value.length, text: value });
      else expression.lastIndex++;
      match = expression.exec(slice);
    }
  }
  return found;
}

function findBounded(script: vm.Script, pattern: string, name: string, text: string): Array<{ start: number; end: number; text: string }> {
  const found: Array<{ start: number; end: number; text: string }> = [];
  for (let offset = 0; offset < text.length && found.length < maxMatches; offset += sliceLength) {
    const context = vm.createContext({ pattern, input: text.slice(offset, offset + sliceLength), limit: maxMatches - found.length });
    let matches: Array<[number, string]>;
    try {
      matches = script.runInContext(context, { timeout: backtrackingBudgetMs }) as Array<[number, string]>;
    } catch (error) {
      throw new OutcropError('InternalServerException', `The guardrail's regex ${name} did not finish within ${backtrackingBudgetMs} ms, so the text could not be checked.`, { cause: error });
    }
    for (const [index, value] of matches) if (value) found.push({ start: offset + index, end: offset + index + value.length, text: value });
  }
  return found;
}
