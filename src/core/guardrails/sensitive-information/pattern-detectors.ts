import { isIPv6 } from 'node:net';
import { abaRoutingValid, cardNetworkKnown, digitsOf, ibanValid, itinValid, luhnValid, nhsNumberValid, ssnValid, vinCheckDigitValid } from './checksums.js';
import type { PiiEntityType, PiiSpan } from './pii-entity-types.js';

/** Finds one entity type by pattern, optionally checking each candidate. */
interface PatternDetector {
  type: PiiEntityType;
  pattern: RegExp;
  /** which capture group is the entity (default: the whole match) */
  group?: number;
  accept?(candidate: string, text: string, start: number, end: number): boolean;
}

/** Whether `cue` occurs within `window` characters before `start` (or after `end` when `after`). */
function near(text: string, start: number, end: number, cue: RegExp, window = 48, after = false): boolean {
  if (cue.test(text.slice(Math.max(0, start - window), start))) return true;
  return after && cue.test(text.slice(end, end + window));
}

const b = String.raw`(?<![\p{L}\p{N}_])`;
const e = String.raw`(?![\p{L}\p{N}_])`;
const regex = (source: string, flags = 'giu') => new RegExp(source, flags);

const detectors: PatternDetector[] = [
  { type: 'EMAIL', pattern: regex(String.raw`${b}[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}${e}`) },
  { type: 'URL', pattern: regex(String.raw`${b}(?:(?:https?|ftp)://|www\.)[^\s<>"'\u0060]+[^\s<>"'\u0060.,;:!?)\]]`) },
  {
    type: 'IP_ADDRESS',
    pattern: regex(String.raw`${b}(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\p{L}\p{N}_]|\.\d)`),
  },
  {
    type: 'IP_ADDRESS',
    pattern: regex(String.raw`(?<![\p{L}\p{N}_:])(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?:[0-9a-f:]*)(?![\p{L}\p{N}_:])`),
    accept: (candidate) => isIPv6(candidate) && !/^\d{1,2}:\d{2}(:\d{2})?$/.test(candidate),
  },
  { type: 'MAC_ADDRESS', pattern: regex(String.raw`${b}(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})${e}`) },
  { type: 'AWS_ACCESS_KEY', pattern: regex(`${b}(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{16}${e}`, 'gu') },
  {
    type: 'AWS_SECRET_KEY',
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (candidate, text, start, end) =>
      /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /\d/.test(candidate) && (/[/+]/.test(candidate) || near(text, start, end, /secret|aws|access|key|credential/i, 64)),
  },
  {
    type: 'CREDIT_DEBIT_CARD_NUMBER',
    pattern: regex(String.raw`${b}\d(?:[ -]?\d){11,18}${e}`),
    accept: (candidate) => luhnValid(candidate) && cardNetworkKnown(candidate) && /^(\d+|\d{4}([ -])(\d{4}\2)*\d{1,4}|\d{4}([ -])\d{6}\4\d{4,5})$/.test(candidate),
  },
  {
    type: 'CREDIT_DEBIT_CARD_EXPIRY',
    pattern: regex(String.raw`${b}(0[1-9]|1[0-2])\s?[/-]\s?(\d{4}|\d{2})${e}`),
    accept: (_, text, start) => near(text, start, start, /\b(exp(iry|iration|ires|\.)?|valid (thru|through|until)|good thru|card|mm\s?\/\s?yy)\b/i, 40),
  },
  {
    type: 'CREDIT_DEBIT_CARD_CVV',
    pattern: regex(String.raw`\b(?:cvv2?|cvc2?|cid|csc|security code|card verification(?: value| code)?)\b\W{0,6}(?:(?:is|was|number|code|of)\W{1,3})*(\d{3,4})${e}`),
    group: 1,
  },
  {
    type: 'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
    pattern: regex(String.raw`${b}[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?${e}`, 'gu'),
    accept: (candidate) => ibanValid(candidate),
  },
  {
    type: 'SWIFT_CODE',
    pattern: regex(`${b}[A-Z]{4}(?:A[DEFGILMORTUWZ]|B[ABDEFGHIJNORSTY]|C[ADFGHIKLMNORUVWYZ]|D[EJKMOZ]|E[CEGS]|F[IJMOR]|G[ABDEFHILMNQRTY]|H[KNRTU]|I[DELNQRST]|J[EMOP]|K[EGHMNRWYZ]|L[ABIKRTUVY]|M[ACDEGKLMNOQRSTUVWXYZ]|N[AEGILOPRZ]|OM|P[AEFGHKLNRSTWY]|QA|R[OSUW]|S[ABCDEGIKLMNORTVYZ]|T[CDGHJLMNORTWZ]|U[AGSYZ]|V[ACEGNU]|WS|XK|YE|Z[AMW])[A-Z0-9]{2}(?:[A-Z0-9]{3})?${e}`, 'gu'),
    accept: (candidate, text, start, end) => near(text, start, end, /\b(swift|bic|bank identifier|bank code|sort)\b/i, 48) || (/\d/.test(candidate.slice(6)) && /^[A-Z]{6}/.test(candidate) && !/^[A-Z]+$/.test(candidate)),
  },
  {
    type: 'US_SOCIAL_SECURITY_NUMBER',
    pattern: regex(String.raw`${b}\d{3}([- ])\d{2}\1\d{4}${e}`),
    accept: (candidate) => ssnValid(candidate) && !itinValid(candidate),
  },
  {
    type: 'US_SOCIAL_SECURITY_NUMBER',
    pattern: regex(String.raw`${b}\d{9}${e}`),
    accept: (candidate, text, start) => ssnValid(candidate) && !itinValid(candidate) && near(text, start, start, /\b(ssn|social security|social sec|ss#)/i, 40),
  },
  {
    type: 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
    pattern: regex(String.raw`${b}9\d{2}([- ]?)\d{2}\1\d{4}${e}`),
    accept: (candidate, text, start) => itinValid(candidate) && (/[- ]/.test(candidate) || near(text, start, start, /\b(itin|taxpayer|tax id|tin)\b/i, 40)),
  },
  {
    type: 'US_PASSPORT_NUMBER',
    pattern: regex(String.raw`${b}([A-Z]?\d{8,9})${e}`, 'gu'),
    accept: (candidate, text, start) => (candidate.length === 9 || /^[A-Z]\d{8}$/.test(candidate)) && near(text, start, start, /\bpassport\b/i, 48),
  },
  {
    type: 'US_BANK_ROUTING_NUMBER',
    pattern: regex(String.raw`${b}\d{9}${e}`),
    accept: (candidate, text, start) => abaRoutingValid(candidate) && near(text, start, start, /\b(routing|aba|rtn|transit number)\b/i, 48),
  },
  {
    type: 'US_BANK_ACCOUNT_NUMBER',
    pattern: regex(String.raw`${b}\d{8,17}${e}`),
    accept: (_, text, start) =>
      near(text, start, start, /\b(account|acct|a\/c|checking|savings)\b(\s*(number|no\.?|#))?/i, 40) && !near(text, start, start, /\b(routing|aba|card|phone)\b/i, 24),
  },
  {
    type: 'UK_NATIONAL_INSURANCE_NUMBER',
    pattern: regex(String.raw`${b}(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]${e}`, 'gu'),
  },
  {
    type: 'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
    pattern: regex(String.raw`${b}\d{3}([ -]?)\d{3}\1\d{4}${e}`),
    accept: (candidate, text, start) => nhsNumberValid(candidate) && (/[ -]/.test(candidate) || near(text, start, start, /\bnhs\b/i, 40)) && near(text, start, start, /\b(nhs|health|patient|hospital|gp)\b/i, 64),
  },
  {
    type: 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
    pattern: regex(String.raw`${b}(\d{5} ?\d{5}K?|\d{13}K?)${e}`),
    accept: (_, text, start) => near(text, start, start, /\b(utr|unique taxpayer reference|self assessment|hmrc)\b/i, 64),
  },
  {
    type: 'CA_SOCIAL_INSURANCE_NUMBER',
    pattern: regex(String.raw`${b}[0-79]\d{2}([ -]?)\d{3}\1\d{3}${e}`),
    accept: (candidate, text, start) => luhnValid(candidate) && (near(text, start, start, /\b(sin|social insurance)\b/i, 48) || /[ -]/.test(candidate) && near(text, start, start, /\bcanad/i, 120)),
  },
  {
    type: 'CA_HEALTH_NUMBER',
    pattern: regex(String.raw`${b}\d{4}([ -]?)\d{3}\1\d{3}(?:[ -]?[A-Z]{2})?${e}`, 'gu'),
    accept: (_, text, start) => near(text, start, start, /\b(health (card|number|insurance)|ohip|msp|ramq|carte santé|phn)\b/i, 48),
  },
  {
    type: 'VEHICLE_IDENTIFICATION_NUMBER',
    pattern: regex(`${b}[A-HJ-NPR-Z0-9]{17}${e}`, 'giu'),
    accept: (candidate, text, start) => /\d/.test(candidate) && /[A-Z]/i.test(candidate) && (vinCheckDigitValid(candidate) || near(text, start, start, /\b(vin|vehicle identification|chassis)\b/i, 48)),
  },
  {
    type: 'LICENSE_PLATE',
    pattern: regex(String.raw`\b(?:licen[cs]e plate|plate(?: number| no\.?)?|registration(?: number| plate)?|reg\.?(?: no\.?| number)?|tag number)\b\W{0,4}(?:(?:is|was|number|of|reads)\W{1,3})*([A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,3})?)${e}`),
    group: 1,
    accept: (candidate) => /\d/.test(candidate) && /[A-Z]/i.test(candidate) && candidate === candidate.toUpperCase(),
  },
  { type: 'LICENSE_PLATE', pattern: regex(String.raw`${b}[A-Z]{2}\d{2} ?[A-Z]{3}${e}`, 'gu') },
  {
    type: 'DRIVER_ID',
    pattern: regex(String.raw`\b(?:driver'?s? licen[cs]e|driving licen[cs]e|driver id|dl|licen[cs]e)(?: number| no\.?| #| id)?\b\W{0,4}(?:(?:is|was|number|of)\W{1,3})*([A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9])${e}`),
    group: 1,
    accept: (candidate) => /\d/.test(candidate) && !/^(19|20)\d{2}$/.test(candidate),
  },
  {
    type: 'PIN',
    pattern: regex(String.raw`\b(?:pin(?: code| number)?|passcode)\b\W{0,4}(?:(?:is|was|number|code|of)\W{1,3})*(\d{4,8})${e}`),
    group: 1,
  },
  {
    type: 'PASSWORD',
    pattern: regex(String.raw`\b(?:password|passwd|pwd|passphrase|pass word)\b\s*(?:(?:is|was|=|:|-|to|as)\s*)+["'\u201c]?([^\s"'\u201d]{4,64}?)["'\u201d]?(?=[\s,;]|\.(?:\s|$)|$)`),
    group: 1,
  },
  {
    type: 'USERNAME',
    pattern: regex(String.raw`\b(?:user ?name|user id|userid|login(?: name| id)?|handle|screen name)\b\s*(?:(?:is|was|=|:|-)\s*)+["'\u201c]?([\p{L}\p{N}._@-]{3,40}?)["'\u201d]?(?=[\s,;]|\.(?:\s|$)|$)`),
    group: 1,
  },
  { type: 'USERNAME', pattern: regex(String.raw`(?<![\p{L}\p{N}_.@])@([\p{L}\p{N}_]{3,30})${e}`), group: 0, accept: (candidate) => !/^@\d+$/.test(candidate) },
  {
    type: 'AGE',
    pattern: regex(String.raw`${b}(\d{1,3}(?:[- ]years?[- ]old|[- ]year[- ]old|[- ]yrs?(?: old)?|[- ]y\.?o\.?${e}))`),
    group: 1,
    accept: (candidate) => Number(candidate.match(/\d+/)?.[0]) <= 125,
  },
  {
    type: 'AGE',
    pattern: regex(String.raw`\b(?:aged?|age of|age is|age:)\s*(\d{1,3})${e}`),
    group: 1,
    accept: (candidate) => Number(candidate) <= 125,
  },
  {
    type: 'PHONE',
    pattern: regex(String.raw`(?<![\p{L}\p{N}_+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?|\d{2,5}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?${e}`),
    accept: (candidate) => {
      const count = digitsOf(candidate).length;
      return count >= 10 && count <= 15;
    },
  },
  {
    type: 'PHONE',
    pattern: regex(String.raw`(?<![\p{L}\p{N}_+])\+\d{7,14}${e}`),
  },
  {
    type: 'PHONE',
    pattern: regex(String.raw`${b}\d{3}[\s.-]\d{4}${e}`),
    accept: (_, text, start) => near(text, start, start, /\b(phone|call|tel|mobile|cell|fax|text me|number)\b/i, 32),
  },
  {
    type: 'ADDRESS',
    pattern: regex(
      String.raw`${b}\d{1,6}[A-Z]?(?:[ -]\d+)?,?\s+(?:[\p{Lu}][\p{L}'.-]*\s+){0,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Close|Crescent|Cres|Highway|Hwy|Parkway|Pkwy|Square|Sq|Circle|Cir|Trail|Row|Gardens|Grove|Hill|Mews|Walk|Alley|Plaza)\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West))?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.?\s*#?[\p{L}\p{N}-]+)?(?:,\s*(?:[\p{Lu}][\p{L}'.-]*\s?){1,3})?(?:,?\s+(?:[A-Z]{2}\s+\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d))?(?![\p{L}\p{N}])`,
      'gu',
    ),
  },
  { type: 'ADDRESS', pattern: regex(String.raw`\b(?:P\.?\s?O\.?\s?Box|Post Office Box)\s+\d{1,6}(?:,\s*(?:[\p{Lu}][\p{L}'.-]*\s?){1,3})?(?:,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?`) },
];

/**
 * Runs every pattern detector over the text. Candidates are checked (Luhn, mod 97, ABA, mod 11,
 * VIN check digits, SSN/ITIN ranges) or need a context cue nearby ("passport", "routing"...), so a
 * bare nine-digit number is not called a passport number.
 */
export function detectByPattern(text: string, wanted: ReadonlySet<PiiEntityType>): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const detector of detectors) {
    if (!wanted.has(detector.type)) continue;
    detector.pattern.lastIndex = 0;
    for (const match of text.matchAll(detector.pattern)) {
      const group = detector.group ?? 0;
      const value = match[group];
      if (!value) continue;
      const start = (match.index ?? 0) + (group === 0 ? 0 : match[0].indexOf(value));
      const end = start + value.length;
      if (detector.accept && !detector.accept(value, text, start, end)) continue;
      spans.push({ type: detector.type, start, end, text: value });
    }
  }
  return spans;
}
