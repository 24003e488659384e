import { createRequire } from 'node:module';
import { lazily, readGuardrailData } from '../guardrail-data-files.js';
import type { PiiSpan } from './pii-entity-types.js';

interface WinkDocument {
  tokens(): { out(property: unknown): string[] };
}

interface Wink {
  readDoc(text: string): WinkDocument;
  its: { value: unknown; pos: unknown; precedingSpaces: unknown };
}

interface NameLists {
  firstNames: string[];
  surnames: string[];
}

const titles = /^(mr|mrs|ms|miss|mx|dr|prof|professor|sir|madam|dame|lord|lady|rev|reverend|capt|captain|sgt|officer|judge|senator|president|uncle|aunt)\.?$/i;
const cueBefore = /(?:\bmy name is|\bname'?s|\bnamed|\bcalled|\bi am|\bi'm|\bthis is|\bdear|\bhi|\bhello|\bhey|\bthanks|\bthank you|\bregards|\bsincerely|\bcheers|\bsigned|\bcontact|\bask for|\bpatient|\bemployee|\bcustomer|\bclient|\bspouse|\bwife|\bhusband|\bson|\bdaughter|\bmother|\bfather|\bfriend)\W{0,3}$/i;
const cueAfter = /^\W{0,2}\s*(said|says|told|wrote|asked|replied|called|emailed|texted|signed|is my|was born)\b/i;
const capitalized = /^\p{Lu}[\p{L}'’-]*\.?$/u;
const notNames = new Set(['I', 'The', 'A', 'An', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'God', 'Street', 'Avenue', 'Road']);

/** Lazily loads wink-nlp's English model (about 100 ms) and the shipped name lists. */
const loadRecognizer = lazily(async () => {
  const require = createRequire(import.meta.url);
  const winkNlp = require('wink-nlp') as (model: unknown, pipe?: string[]) => Wink;
  // Part-of-speech tagging only: it reads nothing the other annotations (sentence boundaries,
  // entities, negation, sentiment) write, so the tags are the same at about half the cost.
  const nlp = winkNlp(require('wink-eng-lite-web-model'), ['pos']);
  const lists = await readGuardrailData<NameLists>('person-names.json');
  return { nlp, firstNames: new Set(lists.firstNames), surnames: new Set(lists.surnames) };
});

/** Loads the recognizer ahead of the first call (engines do this while compiling a guardrail that needs it). */
export async function prepareNameRecognizer(): Promise<void> {
  await loadRecognizer();
}

/**
 * Finds person names: wink-nlp's part-of-speech tags give runs of capitalized proper nouns, and a run
 * counts as a name when it holds a known given name, ends in a known surname after another proper
 * noun, follows a title (Dr., Mrs.) or a cue ("my name is", "Dear", "Regards,"), or precedes one
 * ("... said"). Only sentences with such a hint are tagged at all, which keeps long texts cheap.
 *
 * @example
 * await detectNames('Please ask Maria Garcia to call me.') // [{ type: 'NAME', text: 'Maria Garcia', start: 11, end: 23 }]
 */
export async function detectNames(text: string): Promise<PiiSpan[]> {
  const { nlp, firstNames, surnames } = await loadRecognizer();
  const hinted = (word: string) => firstNames.has(word) || surnames.has(word) || titles.test(word);
  const spans: PiiSpan[] = [];
  // Tag only the paragraphs that contain a capitalized word that could start a name.
  for (const paragraph of text.matchAll(/[^\n]+/g)) {
    const chunk = paragraph[0];
    const offset = paragraph.index ?? 0;
    const lead = text.slice(Math.max(0, offset - 24), offset) + chunk;
    const words = chunk.match(/\p{Lu}[\p{L}'’-]*\.?/gu) ?? [];
    const hasHint = words.some((word) => hinted(word) || hinted(word.replace(/\.$/, '').replace(/['’]s$/, '')));
    if (!hasHint && !/\b(name|named|called|dear|regards|sincerely|thanks|cheers|signed)\b/i.test(lead)) continue;
    const tokens = nlp.readDoc(chunk).tokens();
    const values = tokens.out(nlp.its.value);
    const tags = tokens.out(nlp.its.pos);
    const spaces = tokens.out(nlp.its.precedingSpaces);
    const starts: number[] = [];
    let cursor = 0;
    values.forEach((value, index) => {
      cursor += spaces[index]?.length ?? 0;
      starts.push(cursor);
      cursor += value.length;
    });
    const isNameToken = (index: number) => {
      const value = values[index] ?? '';
      if (!capitalized.test(value) || notNames.has(value) || titles.test(value)) return false;
      return tags[index] === 'PROPN' || firstNames.has(value) || surnames.has(value);
    };
    for (let index = 0; index < values.length; index++) {
      if (!isNameToken(index)) continue;
      let last = index;
      while (last + 1 < values.length && (spaces[last + 1]?.length ?? 0) <= 1 && (isNameToken(last + 1) || (values[last + 1] === '-' && isNameToken(last + 2)))) last++;
      const run = values.slice(index, last + 1).filter((value) => value !== '-');
      const before = text.slice(Math.max(0, offset + starts[index]! - 24), offset + starts[index]!);
      const previous = values[index - 1] ?? '';
      const after = chunk.slice(starts[last]! + values[last]!.length, starts[last]! + values[last]!.length + 24);
      const accepted =
        run.some((value) => firstNames.has(value.replace(/[’']s$/, ''))) ||
        (run.length >= 2 && surnames.has(run[run.length - 1]!)) ||
        titles.test(previous) ||
        cueBefore.test(before) ||
        cueAfter.test(after);
      if (accepted) {
        const start = offset + starts[index]!;
        let end = offset + starts[last]! + values[last]!.length;
        const possessive = text.slice(start, end).match(/[’']s$/);
        if (possessive) end -= 2;
        spans.push({ type: 'NAME', start, end, text: text.slice(start, end) });
      }
      index = last;
    }
  }
  return spans;
}
