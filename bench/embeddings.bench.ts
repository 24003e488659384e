/**
 * The embedding benchmark (`npx tsx bench/embeddings.bench.ts`): sentences per second of the
 * built-in model (Universal Sentence Encoder lite) at batch 1 and batch 32, called directly and
 * through InvokeModel (Titan v2 bodies for batch 1, Cohere bodies for batch 32) on a server in this
 * process; then how long the server takes to answer ListFoundationModels, and how late its event
 * loop runs, while a 256-text batch is embedded in the worker thread and inline. Writes
 * `bench/results/embeddings-latest.md` and `bench/results/embeddings-latest.json`.
 *
 * Environment: `BENCH_SECONDS` (seconds per throughput phase, default 5).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import pino from 'pino';
import { parseConfig } from '../src/config/config.js';
import type { EmbeddingModel } from '../src/core/inference/embedding-model.js';
import { createUniversalSentenceEncoderProvider } from '../src/providers/universal-sentence-encoder/universal-sentence-encoder-provider.js';
import { startOutcrop } from '../src/server/outcrop.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';

const phaseSeconds = Number(process.env.BENCH_SECONDS ?? 5);
const resultsDir = join(repositoryRoot, 'bench', 'results');

const subjects = ['The survey team', 'A young geologist', 'The old quarry', 'Our field guide', 'The river', 'A sudden storm', 'The museum', 'Her research'];
const verbs = ['mapped', 'described', 'exposed', 'photographed', 'carved', 'revealed', 'catalogued', 'dated'];
const objects = ['granite outcrops along the ridge', 'layers of red sandstone', 'a vein of quartz in the schist', 'basalt columns by the shore', 'fossils in grey limestone', 'the fault under the valley'];

/** Varied sentences of 6 to 12 words, so no batch is a repeat of one text. */
function sentence(index: number): string {
  return `${subjects[index % subjects.length]} ${verbs[Math.floor(index / subjects.length) % verbs.length]} ${objects[index % objects.length]} in ${1900 + (index % 120)}.`;
}

interface Throughput {
  path: 'direct' | 'InvokeModel';
  batch: number;
  sentencesPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

/** Sends batches one after another for `phaseSeconds` and reports sentences/s and batch latency. */
async function throughput(path: Throughput['path'], batch: number, send: (texts: string[]) => Promise<void>): Promise<Throughput> {
  let next = 0;
  const take = () => Array.from({ length: batch }, () => sentence(next++));
  for (let warm = 0; warm < 3; warm++) await send(take());
  const latencies: number[] = [];
  const started = performance.now();
  while (performance.now() - started < phaseSeconds * 1000) {
    const texts = take();
    const sent = performance.now();
    await send(texts);
    latencies.push(performance.now() - sent);
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? Number.NaN;
  return { path, batch, sentencesPerSecond: (latencies.length * batch) / elapsed, requests: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

interface Responsiveness {
  isolation: 'worker' | 'inline';
  batchMs: number;
  listLatenciesMs: number[];
  eventLoopDelayMaxMs: number;
}

async function main(): Promise<void> {
  const loadAverageAtStart = loadavg();

  // Cold start: the first call loads TensorFlow.js and the weights in a fresh worker.
  const provider = createUniversalSentenceEncoderProvider({ name: 'bench' });
  const model = provider.embeddingModel!('universal-sentence-encoder-lite') as EmbeddingModel;
  const coldStarted = performance.now();
  await model.embed({ values: [sentence(0)] });
  const coldStartMs = performance.now() - coldStarted;

  const results: Throughput[] = [];
  for (const batch of [1, 32]) results.push(await throughput('direct', batch, async (values) => void (await model.embed({ values }))));
  await provider.close();

  const responsiveness: Responsiveness[] = [];
  for (const isolation of ['worker', 'inline'] as const) {
    const config = parseConfig(`server: { port: 0, logLevel: silent }\nproviders: { outcrop-builtin: { type: universal-sentence-encoder, isolation: ${isolation} } }`);
    const server = await startOutcrop({ config, noAuth: true, logger: pino({ level: 'silent' }) });
    const clientOptions = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAOUTCROPBENCH0001', secretAccessKey: 'bench' }, maxAttempts: 1 };
    const runtime = new BedrockRuntimeClient(clientOptions);
    const control = new BedrockClient(clientOptions);
    const invoke = async (modelId: string, body: unknown) => {
      const response = await runtime.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json' }));
      return JSON.parse(Buffer.from(response.body).toString('utf8')) as Record<string, unknown>;
    };
    try {
      if (isolation === 'worker') {
        results.push(await throughput('InvokeModel', 1, async ([inputText]) => void (await invoke('amazon.titan-embed-text-v2:0', { inputText }))));
        results.push(await throughput('InvokeModel', 32, async (texts) => void (await invoke('cohere.embed-english-v3', { texts, input_type: 'search_document' }))));
      } else {
        await invoke('cohere.embed-english-v3', { texts: ['warm up'], input_type: 'search_query' });
      }
      const texts = Array.from({ length: 256 }, (_, index) => sentence(index));
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      const batches = Promise.all([texts.slice(0, 96), texts.slice(96, 192), texts.slice(192)].map((slice) => invoke('cohere.embed-english-v3', { texts: slice, input_type: 'search_document' })));
      const listLatenciesMs: number[] = [];
      let done = false;
      batches.finally(() => {
        done = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      while (!done && listLatenciesMs.length < 20) {
        const asked = performance.now();
        await control.send(new ListFoundationModelsCommand({}));
        listLatenciesMs.push(performance.now() - asked);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await batches;
      delay.disable();
      responsiveness.push({ isolation, batchMs: performance.now() - started, listLatenciesMs, eventLoopDelayMaxMs: delay.max / 1e6 });
    } finally {
      runtime.destroy();
      control.destroy();
      await server.close();
    }
  }

  const report = {
    date: new Date().toISOString(),
    revision: sourceRevision(),
    machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverageAtStart, loadAverageAtEnd: loadavg() },
    settings: { phaseSeconds, model: 'outcrop.use-lite-v1 (Universal Sentence Encoder lite, TensorFlow.js WebAssembly backend)' },
    coldStartMs,
    throughput: results,
    responsiveness,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'embeddings-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(join(resultsDir, 'embeddings-latest.md'), markdown);
  console.log(markdown);
}

function renderMarkdown(report: {
  date: string;
  revision: string;
  machine: { cpuModel: string; cores: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  settings: { phaseSeconds: number };
  coldStartMs: number;
  throughput: Throughput[];
  responsiveness: Responsiveness[];
}): string {
  const fixed = (value: number, digits = 1) => value.toFixed(digits);
  const lines = [
    '# Embedding benchmark',
    '',
    `${report.date}, revision ${report.revision}; ${report.machine.cpuModel}, ${report.machine.cores} cores, Node ${report.machine.node}; load average ${report.machine.loadAverageAtStart.map((value) => fixed(value, 2)).join(' / ')} at start, ${report.machine.loadAverageAtEnd.map((value) => fixed(value, 2)).join(' / ')} at end (other work on the machine makes the numbers provisional).`,
    '',
    `Model: \`outcrop.use-lite-v1\`, Universal Sentence Encoder lite on TensorFlow.js's WebAssembly backend, in a worker thread. Sentences of 6 to 12 words; batches sent one after another for ${report.settings.phaseSeconds} s. Cold start (first call: worker, TensorFlow.js and weights): ${fixed(report.coldStartMs, 0)} ms.`,
    '',
    '| path | batch | sentences/s | requests | batch p50 ms | batch p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.throughput.map((row) => `| ${row.path === 'direct' ? 'direct (`model.embed`)' : row.batch === 1 ? 'InvokeModel, Titan v2 body' : 'InvokeModel, Cohere body'} | ${row.batch} | ${fixed(row.sentencesPerSecond)} | ${row.requests} | ${fixed(row.p50Ms)} | ${fixed(row.p99Ms)} |`),
    '',
    '## Responsiveness during a 256-text batch',
    '',
    'Three Cohere requests (96 + 96 + 64 texts) at once; meanwhile ListFoundationModels every 100 ms, and the largest event-loop delay of the server process.',
    '',
    '| encoder runs | batch ms | ListFoundationModels ms (each call) | event-loop delay max ms |',
    '| --- | ---: | --- | ---: |',
    ...report.responsiveness.map((row) => `| ${row.isolation === 'worker' ? 'worker thread (default)' : 'inline (`isolation: inline`)'} | ${fixed(row.batchMs, 0)} | ${row.listLatenciesMs.map((value) => fixed(value)).join(', ')} | ${fixed(row.eventLoopDelayMaxMs)} |`),
    '',
  ];
  return lines.join('\n');
}

await main();
