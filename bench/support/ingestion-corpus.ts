import { makeDocx, makePdf } from '../../test/support/document-fixtures.js';
import { seededRandom } from './pii-documents.js';

/**
 * A deterministic corpus of business documents for the ingestion benchmark: Markdown, HTML, plain
 * text, CSV, PDF and DOCX files of a few hundred to a few thousand words. The prose is generated
 * sentence by sentence from topic vocabularies, sentence templates, names, places and numbers, so
 * paragraphs do not repeat (a repeated paragraph would flatter any cache in the pipeline) while the
 * text still reads like English the embedding model and the chunker have to work on.
 */

type Random = () => number;

/** One generated file (and its metadata sidecar, for some). */
export interface CorpusFile {
  name: string;
  format: CorpusFormat;
  content: string | Uint8Array;
  words: number;
  sidecar?: string;
}

export type CorpusFormat = 'md' | 'html' | 'txt' | 'csv' | 'pdf' | 'docx';

/** Share of each format in the corpus (sums to 1). */
export const formatMix: Record<CorpusFormat, number> = { md: 0.3, html: 0.22, txt: 0.2, csv: 0.1, pdf: 0.09, docx: 0.09 };

interface Topic {
  name: string;
  department: string;
  nouns: string[];
  verbs: string[];
  adjectives: string[];
}

const topics: Topic[] = [
  {
    name: 'field geology',
    department: 'science',
    nouns: ['outcrop', 'fault line', 'sandstone bed', 'core sample', 'basalt flow', 'fossil horizon', 'drill site', 'moraine', 'quartz vein', 'sediment layer', 'rock hammer', 'survey grid'],
    verbs: ['logged', 'sampled', 'mapped', 'dated', 'photographed', 'measured', 'catalogued', 'cleaned'],
    adjectives: ['weathered', 'folded', 'exposed', 'fractured', 'layered', 'coarse', 'iron-rich', 'calcareous'],
  },
  {
    name: 'payroll and benefits',
    department: 'hr',
    nouns: ['pension contribution', 'payslip', 'overtime claim', 'holiday allowance', 'salary band', 'expense report', 'parental leave request', 'bonus pool', 'tax code', 'health plan', 'timesheet', 'relocation grant'],
    verbs: ['approved', 'submitted', 'reviewed', 'adjusted', 'processed', 'rejected', 'audited', 'reconciled'],
    adjectives: ['monthly', 'pending', 'retroactive', 'annual', 'provisional', 'taxable', 'quarterly', 'disputed'],
  },
  {
    name: 'network operations',
    department: 'it',
    nouns: ['core router', 'firewall rule', 'VPN gateway', 'DNS resolver', 'load balancer', 'switch stack', 'fibre link', 'certificate', 'access point', 'backup circuit', 'packet capture', 'monitoring probe'],
    verbs: ['restarted', 'patched', 'replaced', 'reconfigured', 'upgraded', 'isolated', 'rerouted', 'decommissioned'],
    adjectives: ['redundant', 'congested', 'misconfigured', 'encrypted', 'degraded', 'primary', 'standby', 'regional'],
  },
  {
    name: 'customer support',
    department: 'support',
    nouns: ['support ticket', 'refund request', 'escalation', 'chat transcript', 'warranty claim', 'service level target', 'knowledge article', 'callback', 'complaint', 'satisfaction survey', 'queue backlog', 'shipping delay'],
    verbs: ['resolved', 'escalated', 'answered', 'reopened', 'triaged', 'closed', 'assigned', 'followed up'],
    adjectives: ['urgent', 'overdue', 'recurring', 'first-contact', 'unresolved', 'priority', 'duplicate', 'billing-related'],
  },
  {
    name: 'laboratory safety',
    department: 'facilities',
    nouns: ['fume hood', 'eyewash station', 'chemical inventory', 'spill kit', 'gas cylinder', 'safety data sheet', 'waste container', 'fire blanket', 'glove box', 'ventilation duct', 'risk assessment', 'first-aid box'],
    verbs: ['inspected', 'labelled', 'restocked', 'certified', 'recalibrated', 'sealed', 'tested', 'relocated'],
    adjectives: ['flammable', 'corrosive', 'expired', 'ventilated', 'locked', 'hazardous', 'refrigerated', 'shielded'],
  },
  {
    name: 'quarterly finance',
    department: 'finance',
    nouns: ['revenue forecast', 'cash flow statement', 'purchase order', 'invoice run', 'budget line', 'capital expenditure', 'depreciation schedule', 'audit finding', 'currency hedge', 'cost centre', 'accrual', 'vendor payment'],
    verbs: ['forecast', 'booked', 'deferred', 'written off', 'allocated', 'restated', 'consolidated', 'signed off'],
    adjectives: ['unaudited', 'year-to-date', 'operating', 'non-recurring', 'consolidated', 'fixed', 'variable', 'overspent'],
  },
  {
    name: 'product engineering',
    department: 'engineering',
    nouns: ['release branch', 'feature flag', 'regression test', 'build pipeline', 'design review', 'memory leak', 'database migration', 'API endpoint', 'code review', 'performance budget', 'incident report', 'dependency upgrade'],
    verbs: ['merged', 'rolled back', 'benchmarked', 'refactored', 'deployed', 'profiled', 'documented', 'deprecated'],
    adjectives: ['flaky', 'backwards-compatible', 'experimental', 'blocking', 'stable', 'latency-sensitive', 'stale', 'critical'],
  },
  {
    name: 'fleet logistics',
    department: 'operations',
    nouns: ['delivery van', 'route plan', 'fuel card', 'loading dock', 'pallet count', 'tyre inspection', 'driver roster', 'customs form', 'cold chain', 'depot', 'tracking beacon', 'service interval'],
    verbs: ['dispatched', 'rerouted', 'serviced', 'unloaded', 'scheduled', 'weighed', 'delayed', 'tracked'],
    adjectives: ['refrigerated', 'overweight', 'late', 'electric', 'leased', 'cross-border', 'overnight', 'fragile'],
  },
  {
    name: 'marketing campaigns',
    department: 'marketing',
    nouns: ['landing page', 'press release', 'newsletter', 'brand guideline', 'trade show booth', 'ad budget', 'focus group', 'conversion rate', 'social post', 'product launch', 'webinar', 'customer testimonial'],
    verbs: ['launched', 'drafted', 'tested', 'translated', 'paused', 'measured', 'approved', 'redesigned'],
    adjectives: ['seasonal', 'regional', 'sponsored', 'organic', 'underperforming', 'viral', 'targeted', 'bilingual'],
  },
  {
    name: 'building maintenance',
    department: 'facilities',
    nouns: ['boiler', 'roof membrane', 'lift', 'heating loop', 'window seal', 'car park barrier', 'sprinkler head', 'emergency light', 'air handling unit', 'water tank', 'door access reader', 'solar panel'],
    verbs: ['repaired', 'serviced', 'replaced', 'drained', 'inspected', 'repainted', 'insulated', 'upgraded'],
    adjectives: ['leaking', 'noisy', 'energy-efficient', 'worn', 'newly installed', 'out-of-service', 'scheduled', 'temporary'],
  },
  {
    name: 'clinical research',
    department: 'research',
    nouns: ['trial protocol', 'consent form', 'patient cohort', 'adverse event', 'blood panel', 'dosing schedule', 'ethics submission', 'case report form', 'placebo arm', 'follow-up visit', 'biomarker', 'site monitor'],
    verbs: ['enrolled', 'randomised', 'reported', 'amended', 'monitored', 'unblinded', 'screened', 'withdrawn'],
    adjectives: ['double-blind', 'serious', 'preliminary', 'eligible', 'longitudinal', 'statistically significant', 'missing', 'open-label'],
  },
  {
    name: 'legal and compliance',
    department: 'legal',
    nouns: ['supplier contract', 'data processing agreement', 'non-disclosure agreement', 'trademark filing', 'compliance audit', 'retention policy', 'export licence', 'whistleblower report', 'board resolution', 'privacy notice', 'indemnity clause', 'litigation hold'],
    verbs: ['signed', 'renewed', 'terminated', 'negotiated', 'filed', 'redlined', 'notarised', 'archived'],
    adjectives: ['binding', 'confidential', 'expired', 'exclusive', 'mandatory', 'cross-border', 'draft', 'statutory'],
  },
];

const people = [
  'Amira Haddad', 'Bjorn Lindqvist', 'Chen Wei', 'Dolores Ortega', 'Emeka Obi', 'Fatima Rahman', 'Gareth Price', 'Hana Sato', 'Ivan Petrov', 'Jamal Carter',
  'Keiko Mori', 'Lars Jensen', 'Maria Rossi', 'Nadia Benali', 'Oscar Nilsson', 'Priya Nair', 'Quentin Blake', 'Rosa Alvarez', 'Samuel Okafor', 'Tamsin Reed',
];
const places = ['Leeds', 'the Aberdeen depot', 'Building C', 'the Lisbon office', 'the north site', 'Rotterdam', 'the main campus', 'Kestrel Ridge', 'the Denver warehouse', 'Oslo', 'the second floor', 'the river plant'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const connectives = ['However,', 'As a result,', 'In addition,', 'Meanwhile,', 'For this reason,', 'By contrast,', 'Later that week,', 'Following the review,', 'Where possible,', 'Until further notice,'];
const units = ['hours', 'days', 'percent', 'units', 'kilograms', 'metres', 'euros', 'tickets', 'samples', 'visits'];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** One sentence about the topic; the templates and slots make repeats rare. */
function sentence(random: Random, topic: Topic): string {
  const noun = () => pick(random, topic.nouns);
  const verb = () => pick(random, topic.verbs);
  const adjective = () => pick(random, topic.adjectives);
  const number = () => String(Math.floor(random() * (random() < 0.5 ? 100 : 5000)) + 1);
  const date = () => `${pick(random, weekdays)} ${Math.floor(random() * 28) + 1} ${pick(random, months)}`;
  const templates: (() => string)[] = [
    () => `The ${adjective()} ${noun()} at ${pick(random, places)} was ${verb()} by ${pick(random, people)} on ${date()}.`,
    () => `${pick(random, people)} ${verb()} ${number()} ${noun()}s before the end of ${pick(random, months)}.`,
    () => `Every ${noun()} must be ${verb()} within ${number()} ${pick(random, units)} of being reported as ${adjective()}.`,
    () => `${pick(random, connectives)} the team ${verb()} the ${noun()} and noted that it remained ${adjective()}.`,
    () => `A ${adjective()} ${noun()} costs about ${number()} euros a year to keep in service at ${pick(random, places)}.`,
    () => `Questions about the ${noun()} go to ${pick(random, people)}, who also owns the ${adjective()} ${noun()}.`,
    () => `In ${pick(random, months)} the ${noun()} was ${verb()} twice, and the second attempt took ${number()} ${pick(random, units)}.`,
    () => `Nobody should treat a ${adjective()} ${noun()} as routine; it is ${verb()} only after a written check.`,
    () => `The review found ${number()} ${adjective()} cases, most of them linked to the ${noun()} in ${pick(random, places)}.`,
    () => `${capitalize(noun())} records are kept for ${number()} ${pick(random, units)} and then ${verb()}.`,
    () => `If the ${noun()} is ${adjective()}, call ${pick(random, people)} before anything is ${verb()}.`,
    () => `${pick(random, connectives)} ${number()} ${pick(random, units)} were spent on the ${adjective()} ${noun()} this quarter.`,
    () => `The ${noun()} that ${pick(random, people)} ${verb()} last ${pick(random, weekdays)} is now ${adjective()} again.`,
    () => `Our target is to keep each ${noun()} ${adjective()} for at least ${number()} ${pick(random, units)}.`,
    () => `Why was the ${noun()} ${verb()} so late? The log from ${date()} shows a ${adjective()} ${noun()} upstream.`,
    () => `${capitalize(adjective())} ${noun()}s are listed separately, with ${number()} entries added since ${pick(random, months)}.`,
    () => `Staff at ${pick(random, places)} ${verb()} the ${noun()} without waiting for ${pick(random, people)} to sign it off.`,
    () => `The figures for the ${noun()} rose from ${number()} to ${number()} ${pick(random, units)} over the period.`,
  ];
  return pick(random, templates)();
}

function paragraph(random: Random, topic: Topic): string {
  const count = 3 + Math.floor(random() * 5);
  return Array.from({ length: count }, () => sentence(random, topic)).join(' ');
}

function heading(random: Random, topic: Topic): string {
  return capitalize(`${pick(random, topic.adjectives)} ${pick(random, topic.nouns)} ${pick(random, ['procedure', 'summary', 'findings', 'overview', 'checklist', 'notes', 'status', 'plan'])}`);
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Sections (heading + paragraphs) until the document reaches about `targetWords` words. */
function sections(random: Random, topic: Topic, targetWords: number): { heading: string; paragraphs: string[] }[] {
  const result: { heading: string; paragraphs: string[] }[] = [];
  let words = 0;
  while (words < targetWords) {
    const section = { heading: heading(random, topic), paragraphs: [] as string[] };
    const count = 2 + Math.floor(random() * 4);
    for (let index = 0; index < count && words < targetWords; index++) {
      const text = paragraph(random, topic);
      section.paragraphs.push(text);
      words += wordCount(text);
    }
    result.push(section);
  }
  return result;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Lines of at most `width` characters, broken at spaces (for PDF pages). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV register: one row per record with a short free-text note, about `targetWords` words; `edit` rewrites one row's note. */
function csvDocument(random: Random, topic: Topic, targetWords: number, edit?: Random): string {
  const rows: string[][] = [];
  let words = 0;
  for (let row = 1; words < targetWords; row++) {
    const note = sentence(random, topic);
    const cells = [
      `${topic.department.slice(0, 3).toUpperCase()}-${String(row).padStart(4, '0')}`,
      pick(random, topic.nouns),
      pick(random, topic.adjectives),
      pick(random, people),
      pick(random, places),
      String(Math.floor(random() * 900) + 1),
      `2024-${String(Math.floor(random() * 12) + 1).padStart(2, '0')}-${String(Math.floor(random() * 28) + 1).padStart(2, '0')}`,
      note,
    ];
    rows.push(cells);
    words += wordCount(cells.join(' '));
  }
  if (edit) {
    const row = rows[Math.floor(edit() * rows.length)] as string[];
    row[row.length - 1] = sentence(edit, topic);
  }
  return `${['id,item,status,owner,site,quantity,date,note', ...rows.map((cells) => cells.map(csvCell).join(','))].join('\n')}\n`;
}

/** Document length in words: log-uniform between `min` and `max`, so most are short and a few long. */
function documentWords(random: Random, min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))));
}

function formatOf(random: Random): CorpusFormat {
  let roll = random();
  for (const [format, share] of Object.entries(formatMix) as [CorpusFormat, number][]) {
    roll -= share;
    if (roll < 0) return format;
  }
  return 'md';
}

/** Which version of a document: `revision` > 0 rewrites all its text; `edited` replaces one paragraph (or one CSV row's note) of revision 0. */
export interface CorpusVariant {
  revision?: number;
  edited?: boolean;
}

/**
 * Generates document `index` of the corpus (its format, topic and length fixed by seed and index)
 * in the given variant. The same arguments always give the same bytes.
 *
 * @example
 * const file = corpusFile(42, 7); // writeFileSync(join(folder, file.name), file.content)
 * const edited = corpusFile(42, 7, { edited: true }); // the same document with one paragraph rewritten
 */
export function corpusFile(seed: number, index: number, variant: CorpusVariant = {}, length: { min: number; max: number } = { min: 200, max: 1500 }): CorpusFile {
  const revision = variant.revision ?? 0;
  const edit = variant.edited ? seededRandom(seed * 31 + index * 7_727 + 99_991) : undefined;
  const shape = seededRandom(seed * 100_003 + index);
  const format = formatOf(shape);
  const topic = pick(shape, topics);
  const target = documentWords(shape, length.min, length.max);
  const random = seededRandom(seed * 7_919 + index * 104_729 + revision * 15_485_863 + 1);
  const title = `${capitalize(topic.name)}: ${heading(random, topic).toLowerCase()} ${index}`;
  const base = `${String(index).padStart(5, '0')}-${topic.name.replace(/\s+/g, '-')}`;
  const sidecar = shape() < 0.15 ? JSON.stringify({ metadataAttributes: { department: topic.department, year: 2018 + Math.floor(shape() * 7), public: shape() < 0.5 } }) : undefined;
  const withSidecar = (file: CorpusFile): CorpusFile => (sidecar ? { ...file, sidecar } : file);
  if (format === 'csv') {
    const content = csvDocument(random, topic, target, edit);
    return withSidecar({ name: `${base}.csv`, format, content, words: wordCount(content.replace(/,/g, ' ')) });
  }
  const body = sections(random, topic, target);
  if (edit) {
    const paragraphs = body.flatMap((section) => section.paragraphs.map((_, position) => ({ section, position })));
    const chosen = paragraphs[Math.floor(edit() * paragraphs.length)];
    if (chosen) chosen.section.paragraphs[chosen.position] = paragraph(edit, topic);
  }
  const totalWords = body.reduce((sum, section) => sum + wordCount(section.heading) + section.paragraphs.reduce((total, text) => total + wordCount(text), 0), 0);
  switch (format) {
    case 'md': {
      const text = [`# ${title}`, '', ...body.flatMap((section) => [`## ${section.heading}`, '', ...section.paragraphs.flatMap((text) => [text, ''])])].join('\n');
      return withSidecar({ name: `${base}.md`, format, content: text, words: totalWords });
    }
    case 'html': {
      const html = `<!doctype html><html lang="en"><head><title>${escapeHtml(title)}</title><style>body{font-family:sans-serif}</style></head><body><nav><a href="/">Intranet</a></nav><main><h1>${escapeHtml(title)}</h1>${body
        .map((section) => `<section><h2>${escapeHtml(section.heading)}</h2>${section.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('')}</section>`)
        .join('')}</main><footer>Internal use only</footer></body></html>`;
      return withSidecar({ name: `${base}.html`, format, content: html, words: totalWords });
    }
    case 'txt': {
      const text = [title.toUpperCase(), '', ...body.flatMap((section) => [section.heading, '', ...section.paragraphs.flatMap((text) => [text, ''])])].join('\n');
      return withSidecar({ name: `${base}.txt`, format, content: text, words: totalWords });
    }
    case 'pdf': {
      const lines = body.flatMap((section) => [section.heading, '', ...section.paragraphs.flatMap((text) => [...wrap(text, 90), ''])]);
      const pages: string[][] = [];
      for (let start = 0; start < lines.length; start += 46) pages.push(lines.slice(start, start + 46));
      return withSidecar({ name: `${base}.pdf`, format, content: makePdf(pages, { title }), words: totalWords });
    }
    case 'docx': {
      const blocks = [{ heading: 1, text: title }, ...body.flatMap((section) => [{ heading: 2, text: section.heading }, ...section.paragraphs])];
      return withSidecar({ name: `${base}.docx`, format, content: makeDocx(blocks), words: totalWords });
    }
  }
}
