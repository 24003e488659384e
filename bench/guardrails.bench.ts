/**
 * The guardrails benchmark (`npx tsx bench/guardrails.bench.ts`):
 * - content filters: precision and recall per category and strength on the held-out labeled set
 *   (`data/guardrails/content-filters/heldout.jsonl`, never used in training);
 * - denied topics: precision and recall on the calibration set (not held out: it set the threshold);
 * - sensitive information: recall per PII entity type on generated documents, and findings on
 *   everyday held-out texts (false positives);
 * - recall inside 1,000-word texts: each held-out harmful text (and on-topic calibration text) placed
 *   among everyday sentences, where only a few units reach the encoder;
 * - engine latency p50/p99 for 1,000-word texts with every policy on (no judge, no embedding reuse
 *   between texts), as input and as output with a grounding source, and throughput in texts/s.
 * Writes `bench/results/guardrails-latest.md` and `.json`.
 *
 * Environment: `BENCH_TEXTS` (1,000-word texts per latency phase, default 60), `BENCH_ENCODER_THREADS`
 * (the built-in encoder's worker threads; default the provider's own: 2, or 1 on one core).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { type ConfidenceLevel, type ContentFilterType, contentFilterTypes, type FilterStrength, type GuardrailDefinition, GuardrailEngine, isCaught, piiEntityTypes } from '../src/core/guardrails/index.js';
import type { EmbeddingModel } from '../src/core/inference/embedding-model.js';
import { createUniversalSentenceEncoderProvider } from '../src/providers/universal-sentence-encoder/universal-sentence-encoder-provider.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';
import { summarizeLatency } from './support/latency-summary.js';
import { generatePiiDocuments, seededRandom } from './support/pii-documents.js';

interface Labeled {
  text: string;
  labels: ContentFilterType[];
  kind: 'harmful' | 'benign-mention' | 'benign';
  topic: string;
}

const latencyTexts = Number(process.env.BENCH_TEXTS ?? 60);
const encoderThreads = process.env.BENCH_ENCODER_THREADS ? Number(process.env.BENCH_ENCODER_THREADS) : undefined;
const dataDir = join(repositoryRoot, 'data', 'guardrails');
const readJsonl = <T>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
const heldout = readJsonl<Labeled>(join(dataDir, 'content-filters', 'heldout.jsonl'));
const train = readJsonl<Labeled>(join(dataDir, 'content-filters', 'train.jsonl'));
const topics = JSON.parse(readFileSync(join(dataDir, 'denied-topics', 'topics.json'), 'utf8')) as Array<{ name: string; definition: string; examples: string[] }>;
const topicTexts = readJsonl<{ topic: string; text: string; onTopic: boolean }>(join(dataDir, 'denied-topics', 'calibration.jsonl'));

const provider = createUniversalSentenceEncoderProvider({ name: 'outcrop-builtin', ...(encoderThreads ? { threads: encoderThreads } : {}) });
const builtinModel = provider.embeddingModel!('universal-sentence-encoder-lite');
/** Texts the guardrail engine sent to the encoder, counted for the latency phases. */
const encoderTexts = { calls: 0, texts: 0 };
const embeddingModel: EmbeddingModel = {
  specificationVersion: builtinModel.specificationVersion,
  provider: builtinModel.provider,
  modelId: builtinModel.modelId,
  dimensions: builtinModel.dimensions,
  maxBatchSize: builtinModel.maxBatchSize,
  embed(options) {
    encoderTexts.calls++;
    encoderTexts.texts += options.values.length;
    return builtinModel.embed(options);
  },
};
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function allContentFilters(strength: FilterStrength): GuardrailDefinition['contentPolicy'] {
  return { filters: contentFilterTypes.map((type) => ({ type, inputStrength: strength, outputStrength: type === 'PROMPT_ATTACK' ? 'NONE' : strength })) };
}

async function contentFilterQuality() {
  const engine = new GuardrailEngine({ embeddingModel, embeddingCacheSize: 0 });
  const guardrail = await engine.compile({ contentPolicy: allContentFilters('HIGH') });
  const confidences: Array<Map<ContentFilterType, ConfidenceLevel>> = [];
  for (const item of heldout) {
    const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: item.text }] });
    confidences.push(new Map((result.assessments[0].contentPolicy?.filters ?? []).map((filter) => [filter.type, filter.confidence])));
  }
  const rows = contentFilterTypes.map((type) => {
    const positives = heldout.filter((item) => item.labels.includes(type)).length;
    const mentions = heldout.filter((item) => item.kind === 'benign-mention' && item.topic === type).length;
    const byStrength = (['LOW', 'MEDIUM', 'HIGH'] as const).map((strength) => {
      let truePositives = 0;
      let falsePositives = 0;
      let mentionFlags = 0;
      heldout.forEach((item, index) => {
        const caught = isCaught(strength, confidences[index]!.get(type) ?? 'NONE');
        if (!caught) return;
        if (item.labels.includes(type)) truePositives++;
        else falsePositives++;
        if (item.kind === 'benign-mention' && item.topic === type) mentionFlags++;
      });
      return {
        strength,
        precision: round(truePositives / Math.max(1, truePositives + falsePositives)),
        recall: round(truePositives / positives),
        benignMentionsFlagged: round(mentionFlags / mentions),
      };
    });
    return { type, heldoutExamples: positives + mentions, positives, benignMentions: mentions, byStrength };
  });
  const everyday = heldout.map((item, index) => [item, confidences[index]!] as const).filter(([item]) => item.kind === 'benign');
  const everydayFlaggedAtHigh = everyday.filter(([, levels]) => levels.size > 0).length / everyday.length;
  return { heldoutSize: heldout.length, trainSize: train.length, rows, everydayFlaggedAtHigh: round(everydayFlaggedAtHigh) };
}

async function topicQuality() {
  const engine = new GuardrailEngine({ embeddingModel, embeddingCacheSize: 0 });
  const guardrail = await engine.compile({ topicPolicy: { topics: topics.map((topic) => ({ ...topic, type: 'DENY' })) } });
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const item of topicTexts) {
    const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: item.text }] });
    const matched = new Set((result.assessments[0].topicPolicy?.topics ?? []).map((topic) => topic.name));
    for (const topic of topics) {
      const expected = item.onTopic && item.topic === topic.name;
      if (matched.has(topic.name) && expected) truePositives++;
      else if (matched.has(topic.name)) falsePositives++;
      else if (expected) falseNegatives++;
    }
  }
  return { texts: topicTexts.length, topics: topics.length, precision: round(truePositives / Math.max(1, truePositives + falsePositives)), recall: round(truePositives / (truePositives + falseNegatives)), note: 'calibration set (the threshold was fitted on it), not held out' };
}

async function piiRecall() {
  const engine = new GuardrailEngine({ embeddingModel, embeddingCacheSize: 0 });
  const guardrail = await engine.compile({ sensitiveInformationPolicy: { piiEntities: piiEntityTypes.map((type) => ({ type, action: 'ANONYMIZE' })) } });
  const documents = generatePiiDocuments(piiEntityTypes, 40);
  const found = new Map<string, { total: number; detected: number; exact: number }>();
  for (const document of documents) {
    const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: document.text }] });
    const entities = result.assessments[0].sensitiveInformationPolicy?.piiEntities ?? [];
    const row = found.get(document.type) ?? { total: 0, detected: 0, exact: 0 };
    row.total++;
    const sameType = entities.filter((entity) => entity.type === document.type);
    if (sameType.some((entity) => entity.match.includes(document.value) || document.value.includes(entity.match))) row.detected++;
    if (sameType.some((entity) => entity.match === document.value)) row.exact++;
    found.set(document.type, row);
  }
  const everyday = heldout.filter((item) => item.kind !== 'harmful');
  let falseFindings = 0;
  const falseTypes = new Map<string, number>();
  for (const item of everyday) {
    const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: item.text }] });
    for (const entity of result.assessments[0].sensitiveInformationPolicy?.piiEntities ?? []) {
      falseFindings++;
      falseTypes.set(entity.type, (falseTypes.get(entity.type) ?? 0) + 1);
    }
  }
  return {
    documentsPerType: 40,
    rows: [...found].map(([type, row]) => ({ type, recall: round(row.detected / row.total), exactSpan: round(row.exact / row.total) })),
    everydayTexts: everyday.length,
    findingsOnEverydayTexts: falseFindings,
    findingsOnEverydayTextsByType: Object.fromEntries(falseTypes),
  };
}

/**
 * Recall when the harmful or on-topic sentence sits in a 1,000-word everyday text (where only a few
 * sentences reach the encoder): each held-out harmful text (and each on-topic calibration text) at a
 * random place among everyday sentences, with every content filter at HIGH and every topic on.
 */
async function longTextRecall() {
  const engine = new GuardrailEngine({ embeddingModel, embeddingCacheSize: 0 });
  const guardrail = await engine.compile({ contentPolicy: allContentFilters('HIGH'), topicPolicy: { topics: topics.map((topic) => ({ ...topic, type: 'DENY' })) } });
  const random = seededRandom(5);
  const pool = [...train, ...heldout].filter((item) => item.kind === 'benign').map((item) => item.text);
  const embed = (sentence: string) => {
    const sentences: string[] = [];
    let words = 0;
    while (words < 1000) {
      const next = pool[Math.floor(random() * pool.length)]!;
      sentences.push(next);
      words += next.split(/\s+/).length;
    }
    sentences.splice(Math.floor(random() * sentences.length), 0, sentence);
    return sentences.join(' ');
  };
  const rows = [];
  for (const type of contentFilterTypes) {
    const positives = heldout.filter((item) => item.kind === 'harmful' && item.labels.includes(type));
    let caught = 0;
    for (const item of positives) {
      const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: embed(item.text) }] });
      if (result.assessments[0].contentPolicy?.filters.some((filter) => filter.type === type)) caught++;
    }
    rows.push({ name: type, texts: positives.length, recall: round(caught / positives.length) });
  }
  const onTopic = topicTexts.filter((item) => item.onTopic);
  let caught = 0;
  for (const item of onTopic) {
    const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: embed(item.text) }] });
    if (result.assessments[0].topicPolicy?.topics.some((topic) => topic.name === item.topic)) caught++;
  }
  rows.push({ name: 'denied topics (calibration texts)', texts: onTopic.length, recall: round(caught / onTopic.length) });
  return rows;
}

/** A 1,000-word text of everyday sentences from both data splits, with a few PII values sprinkled in. */
function thousandWordText(random: () => number, pool: string[]): string {
  const sentences: string[] = [];
  let words = 0;
  const extras = ['Email me at dana.lee@example.com when you can.', 'My phone is (555) 201-3344.', 'Ask Maria Garcia about the invoice.'];
  while (words < 1000) {
    const sentence = random() < 0.03 ? extras[Math.floor(random() * extras.length)]! : pool[Math.floor(random() * pool.length)]!;
    sentences.push(sentence);
    words += sentence.split(/\s+/).length;
  }
  return sentences.join(' ');
}

function everyPolicy(): GuardrailDefinition {
  return {
    contentPolicy: allContentFilters('HIGH'),
    topicPolicy: { topics: topics.map((topic) => ({ ...topic, type: 'DENY' })) },
    wordPolicy: { words: ['project nightingale', 'rival corp', 'internal only', 'codename orca'].map((text) => ({ text })), managedWordLists: [{ type: 'PROFANITY' }] },
    sensitiveInformationPolicy: {
      piiEntities: piiEntityTypes.map((type) => ({ type, action: 'ANONYMIZE' })),
      regexes: [
        { name: 'employee id', pattern: String.raw`EMP-\d{6}`, action: 'ANONYMIZE' },
        { name: 'ticket', pattern: String.raw`TICKET-[A-Z]{3}-\d+`, action: 'BLOCK' },
      ],
    },
    contextualGroundingPolicy: { filters: [{ type: 'GROUNDING', threshold: 0.5 }, { type: 'RELEVANCE', threshold: 0.5 }] },
  };
}

/** Cores that other processes kept busy between `start()` and the returned function's call. */
function otherLoad(): () => number {
  const read = () => ({ at: performance.now(), machine: cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0), own: process.cpuUsage() });
  const start = read();
  return () => {
    const end = read();
    const own = (end.own.user - start.own.user + end.own.system - start.own.system) / 1000;
    return Math.max(0, end.machine - start.machine - own) / (end.at - start.at);
  };
}

async function latency(pool: string[], label: string) {
  const measuringLoad = otherLoad();
  const engine = new GuardrailEngine({ embeddingModel, embeddingCacheSize: 0 });
  const guardrail = await engine.compile(everyPolicy());
  const random = seededRandom(11);
  const texts = Array.from({ length: latencyTexts + 5 }, () => thousandWordText(random, pool));
  const source = thousandWordText(random, pool).split(/\s+/).slice(0, 300).join(' ');
  for (const text of texts.slice(0, 5)) await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text }] });
  const measured = texts.slice(5);
  const input: number[] = [];
  let escalated = 0;
  const encoderBefore = encoderTexts.texts;
  let started = performance.now();
  for (const text of measured) {
    const sent = performance.now();
    const result = await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text }] });
    input.push(performance.now() - sent);
    if (result.action !== 'NONE' && result.blocked) escalated++;
  }
  const sequentialSeconds = (performance.now() - started) / 1000;
  const encoderTextsPerInput = (encoderTexts.texts - encoderBefore) / measured.length;
  const output: number[] = [];
  for (const text of measured) {
    const sent = performance.now();
    await engine.evaluate(guardrail, {
      source: 'OUTPUT',
      content: [{ text }, { text: source, qualifiers: ['grounding_source'] }, { text: 'What happened at the meeting?', qualifiers: ['query'] }],
    });
    output.push(performance.now() - sent);
  }
  started = performance.now();
  const concurrency = 4;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < measured.length) await engine.evaluate(guardrail, { source: 'INPUT', content: [{ text: measured[next++]! }] });
    }),
  );
  const concurrentSeconds = (performance.now() - started) / 1000;
  const summary = (samples: number[]) => {
    const stats = summarizeLatency(samples);
    return { p50: round(stats.p50, 1), p90: round(stats.p90, 1), p99: round(stats.p99, 1), mean: round(stats.mean, 1) };
  };
  return {
    corpus: label,
    texts: measured.length,
    words: 1000,
    inputMs: summary(input),
    outputWithGroundingMs: summary(output),
    textsPerSecondSequential: round(measured.length / sequentialSeconds, 1),
    textsPerSecondConcurrent4: round(measured.length / concurrentSeconds, 1),
    blockedTexts: escalated,
    encoderTextsPerInput: round(encoderTextsPerInput, 2),
    otherProcessesCores: round(measuringLoad(), 2),
  };
}

const everydayPool = [...train, ...heldout].filter((item) => item.kind === 'benign').map((item) => item.text);
const mixedPool = [...everydayPool, ...[...train, ...heldout].filter((item) => item.kind === 'benign-mention').map((item) => item.text)];
const startedAt = new Date();
const content = await contentFilterQuality();
const topicResult = await topicQuality();
const pii = await piiRecall();
const longText = await longTextRecall();
const latencies = [await latency(everydayPool, 'everyday sentences'), await latency(mixedPool, 'everyday + sentences that mention sensitive topics')];
await provider.close();

const results = {
  startedAt: startedAt.toISOString(),
  revision: sourceRevision(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg().map((value) => round(value, 2)) },
  targets: { p50Ms: 30 },
  encoderThreads: encoderThreads ?? Math.min(2, cpus().length),
  contentFilters: content,
  deniedTopics: topicResult,
  sensitiveInformation: pii,
  longTextRecall: longText,
  latency: latencies,
};

const lines = [
  '# Guardrails benchmark',
  '',
  `${results.startedAt}, revision ${results.revision}, ${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}. Built-in embedding model in ${results.encoderThreads} worker thread(s); no judge model.`,
  '',
  `## Content filters (held-out set: ${content.heldoutSize} texts, never used in training; ${content.trainSize} training texts)`,
  '',
  'Precision / recall per strength; "mentions flagged" is the share of benign texts that only mention the category caught at that strength.',
  '',
  '| Filter | held-out (positive + mentions) | LOW P / R | MEDIUM P / R | HIGH P / R | mentions flagged at HIGH |',
  '|---|---|---|---|---|---|',
  ...content.rows.map((row) => {
    const cell = (strength: string) => {
      const entry = row.byStrength.find((item) => item.strength === strength)!;
      return `${entry.precision.toFixed(2)} / ${entry.recall.toFixed(2)}`;
    };
    return `| ${row.type} | ${row.heldoutExamples} (${row.positives} + ${row.benignMentions}) | ${cell('LOW')} | ${cell('MEDIUM')} | ${cell('HIGH')} | ${row.byStrength[2]!.benignMentionsFlagged.toFixed(2)} |`;
  }),
  '',
  `Everyday held-out texts caught by any filter at HIGH: ${(content.everydayFlaggedAtHigh * 100).toFixed(1)}%.`,
  '',
  `## Denied topics (${topicResult.topics} topics, ${topicResult.texts} texts; ${topicResult.note})`,
  '',
  `Precision ${topicResult.precision.toFixed(2)}, recall ${topicResult.recall.toFixed(2)}.`,
  '',
  '## Recall inside 1,000-word texts (content filters at HIGH, every topic on)',
  '',
  'Each held-out harmful text (and each on-topic calibration text) placed at a random point of a 1,000-word everyday text, where only the few units the fast stages rank most suspicious reach the encoder.',
  '',
  '| Policy | texts | recall |',
  '|---|---|---|',
  ...longText.map((row) => `| ${row.name} | ${row.texts} | ${row.recall.toFixed(2)} |`),
  '',
  `## Sensitive information: recall on generated documents (${pii.documentsPerType} per type)`,
  '',
  '| Entity type | recall | exact span |',
  '|---|---|---|',
  ...pii.rows.map((row) => `| ${row.type} | ${row.recall.toFixed(2)} | ${row.exactSpan.toFixed(2)} |`),
  '',
  `Findings on ${pii.everydayTexts} held-out texts without PII: ${pii.findingsOnEverydayTexts} (${JSON.stringify(pii.findingsOnEverydayTextsByType)}).`,
  '',
  '## Latency and throughput: 1,000-word texts, every policy on',
  '',
  'Six content filters at HIGH, eight denied topics, custom words and the profanity list, all 31 PII types (ANONYMIZE) and two regexes, grounding and relevance. Every text is new to the engine (no embedding reuse). Output texts also carry a 300-word grounding source and a query.',
  '',
  '| Corpus | input p50 | input p90 | input p99 | output + grounding p50 | p99 | texts/s (1 at a time) | texts/s (4 in flight) | encoder sentences per input | blocked inputs | other processes (cores busy) |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...latencies.map(
    (row) =>
      `| ${row.corpus} | ${row.inputMs.p50} ms | ${row.inputMs.p90} ms | ${row.inputMs.p99} ms | ${row.outputWithGroundingMs.p50} ms | ${row.outputWithGroundingMs.p99} ms | ${row.textsPerSecondSequential} | ${row.textsPerSecondConcurrent4} | ${row.encoderTextsPerInput} | ${row.blockedTexts}/${row.texts} | ${row.otherProcessesCores} |`,
  ),
  '',
  `Target: input p50 under ${results.targets.p50Ms} ms. Load average when the run ended: ${results.machine.loadAverageAtEnd.join(', ')} (this run's own threads included). "Other processes" is the CPU that other work on the machine took during each latency phase (machine busy time less this process's): above ~0.3 the encoder threads shared the cores, so latencies are higher than on a quiet machine and the encoder does not split a batch across its threads (it does so only with a core to spare).`,
  '',
];
const resultsDir = join(repositoryRoot, 'bench', 'results');
writeFileSync(join(resultsDir, 'guardrails-latest.md'), `${lines.join('\n')}\n`);
writeFileSync(join(resultsDir, 'guardrails-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
