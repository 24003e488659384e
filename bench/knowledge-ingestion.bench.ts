/**
 * The ingestion-throughput benchmark (`npm run bench:knowledge-ingestion`, issue #5): documents/s
 * and chunks/s of a real ingestion job with the default embedding model.
 *
 * Generates a corpus (`support/ingestion-corpus.ts`: by default 1,000 Markdown, HTML, text, CSV, PDF
 * and DOCX files of 200 to 1,500 words, generated text that does not repeat, 15% with metadata
 * sidecars) into a temporary folder, starts the real server in this process (`startOutcrop`, SQLite
 * stores in a temporary data directory, the folder served as the local bucket `bench-docs`), creates
 * a knowledge base on `amazon.titan-embed-text-v2:0` (the built-in Universal Sentence Encoder lite)
 * and an S3 data source with Bedrock's default chunking (300 tokens, 20% overlap) through the AWS
 * SDK, and runs three ingestion jobs with StartIngestionJob / GetIngestionJob:
 * 1. the full corpus; 2. a re-sync with nothing changed (nothing is read or embedded); 3. a re-sync
 * after 10% of the documents were rewritten with new text; 4. a re-sync after another 10% had one
 * paragraph (CSV: one row's note) rewritten.
 * Each job reports wall-clock time (StartIngestionJob to COMPLETE seen by polling every 100 ms),
 * documents/s, chunks/s, chunks sent to the model, its statistics (checked against what the phase must give), the time split
 * by stage from the server's own metrics (`GET /metrics`:
 * `outcrop_knowledge_ingestion_stage_duration_seconds`, summed over documents that run
 * concurrently, so shares rather than wall-clock time) and the process's peak RSS while it ran.
 * A Retrieve of a sentence from a rewritten document checks that its new text is what is indexed.
 *
 * Writes `bench/results/knowledge-ingestion-latest.md` and `.json` with the load average at start and
 * end. Environment: `BENCH_DOCUMENTS` (default 1000), `BENCH_CONCURRENCY`
 * (`knowledge.ingestion.concurrency`; default: the server's), `BENCH_LABEL` (writes
 * `knowledge-ingestion-<label>.*` instead of `-latest`). Runs other than the default document count
 * write to the git-ignored `bench/tmp/results/`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BedrockAgentClient,
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  GetIngestionJobCommand,
  type IngestionJob,
  type IngestionJobStatistics,
  StartIngestionJobCommand,
} from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import pino from 'pino';
import { parseConfig } from '../src/config/config.js';
import { startOutcrop } from '../src/server/outcrop.js';
import { type CorpusFile, type CorpusFormat, corpusFile } from './support/ingestion-corpus.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';
import { type StageTotals, readIngestionMetrics } from './support/ingestion-metrics.js';

const documentCount = Number(process.env.BENCH_DOCUMENTS ?? 1000);
const concurrency = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const label = process.env.BENCH_LABEL ?? 'latest';
const seed = 2026;
const changedShare = 0.1;
const bucket = 'bench-docs';
const credentials = { accessKeyId: 'AKIAOUTCROPBENCH0001', secretAccessKey: 'outcrop/bench/secret/key/0123456789abcdef' };
const apiKey = 'ABSKb3V0Y3JvcC1iZW5jaC1hcGkta2V5';
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

interface PhaseResult {
  name: string;
  seconds: number;
  documentsProcessed: number;
  chunks: number;
  /** chunks the model embedded (the others kept their stored vectors) */
  chunksEmbedded: number;
  documentsPerSecond: number;
  chunksPerSecond: number;
  statistics: IngestionJobStatistics;
  /** summed stage seconds over the phase's documents */
  stages: StageTotals;
  peakRssMiB: number;
}

/** Samples this process's resident set size (server, encoder threads and all) until stopped. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024;
    },
  };
}

function writeCorpusFile(folder: string, file: CorpusFile): void {
  writeFileSync(join(folder, file.name), file.content);
  if (file.sidecar) writeFileSync(join(folder, `${file.name}.metadata.json`), file.sidecar);
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const startedAt = new Date();
  const folder = mkdtempSync(join(tmpdir(), 'outcrop-bench-ingestion-docs-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'outcrop-bench-ingestion-data-'));
  const files: CorpusFile[] = [];
  for (let index = 0; index < documentCount; index++) {
    const file = corpusFile(seed, index);
    writeCorpusFile(folder, file);
    files.push({ ...file, content: '' });
  }
  const formats = new Map<CorpusFormat, { documents: number; words: number }>();
  for (const file of files) {
    const entry = formats.get(file.format) ?? { documents: 0, words: 0 };
    entry.documents++;
    entry.words += file.words;
    formats.set(file.format, entry);
  }
  const totalWords = files.reduce((sum, file) => sum + file.words, 0);
  console.log(`corpus: ${documentCount} documents, ${totalWords} words (${[...formats].map(([format, entry]) => `${format} ${entry.documents}`).join(', ')}) in ${folder}`);

  const config = parseConfig(`server:\n  port: 0\n  host: 127.0.0.1\nproviders: {}\nmodels: []\n`);
  config.server.dataDir = dataDir;
  config.knowledge.localBuckets = { [bucket]: folder };
  if (concurrency !== undefined) config.knowledge.ingestion.concurrency = concurrency;
  const server = await startOutcrop({
    config,
    noAuth: false,
    logger: pino({ level: 'warn' }),
    env: { OUTCROP_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, OUTCROP_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey, OUTCROP_ROOT_API_KEY: apiKey },
  });
  const agent = new BedrockAgentClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const runtime = new BedrockAgentRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const phases: PhaseResult[] = [];
  let retrievalCheck = '';
  try {
    const { knowledgeBase } = await agent.send(
      new CreateKnowledgeBaseCommand({
        name: 'ingestion-bench',
        roleArn: 'arn:aws:iam::123456789012:role/AmazonBedrockExecutionRoleForKnowledgeBase',
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' } },
      }),
    );
    const knowledgeBaseId = knowledgeBase?.knowledgeBaseId as string;
    const { dataSource } = await agent.send(
      new CreateDataSourceCommand({ knowledgeBaseId, name: 'bench-folder', dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: `arn:aws:s3:::${bucket}` } } }),
    );
    const dataSourceId = dataSource?.dataSourceId as string;

    const runPhase = async (name: string, expect: (statistics: IngestionJobStatistics) => string | undefined): Promise<PhaseResult> => {
      const before = await readIngestionMetrics(server.url, apiKey);
      const memory = rssSampler();
      const started = performance.now();
      const { ingestionJob } = await agent.send(new StartIngestionJobCommand({ knowledgeBaseId, dataSourceId }));
      let job: IngestionJob | undefined = ingestionJob;
      while (job && ['STARTING', 'IN_PROGRESS', 'STOPPING'].includes(job.status ?? '')) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await agent.send(new GetIngestionJobCommand({ knowledgeBaseId, dataSourceId, ingestionJobId: ingestionJob?.ingestionJobId }))).ingestionJob;
      }
      const seconds = (performance.now() - started) / 1000;
      const peakRssMiB = memory.stop();
      const after = await readIngestionMetrics(server.url, apiKey);
      if (job?.status !== 'COMPLETE') throw new Error(`${name}: the job ended ${job?.status}: ${(job?.failureReasons ?? []).join('; ')}`);
      const statistics = job.statistics as IngestionJobStatistics;
      const problem = expect(statistics);
      if (problem) throw new Error(`${name}: ${problem} (statistics ${JSON.stringify(statistics)})`);
      const documentsProcessed = (statistics.numberOfNewDocumentsIndexed ?? 0) + (statistics.numberOfModifiedDocumentsIndexed ?? 0) + (statistics.numberOfMetadataDocumentsModified ?? 0);
      const chunks = after.chunks - before.chunks;
      const chunksEmbedded = after.embedded - before.embedded;
      const stages = Object.fromEntries(Object.entries(after.stages).map(([stage, total]) => [stage, round(total - (before.stages[stage as keyof StageTotals] ?? 0), 2)])) as StageTotals;
      const result: PhaseResult = {
        name,
        seconds: round(seconds, 2),
        documentsProcessed,
        chunks,
        chunksEmbedded,
        documentsPerSecond: round(documentsProcessed / seconds, 2),
        chunksPerSecond: round(chunks / seconds, 1),
        statistics,
        stages,
        peakRssMiB: round(peakRssMiB, 0),
      };
      console.log(`${name}: ${result.seconds} s, ${documentsProcessed} documents (${result.documentsPerSecond}/s), ${chunks} chunks (${result.chunksPerSecond}/s, ${chunksEmbedded} embedded), stages ${JSON.stringify(stages)}, peak RSS ${result.peakRssMiB} MiB`);
      return result;
    };

    phases.push(
      await runPhase('full ingestion', (statistics) =>
        statistics.numberOfDocumentsScanned === documentCount && statistics.numberOfNewDocumentsIndexed === documentCount && statistics.numberOfDocumentsFailed === 0
          ? undefined
          : `expected ${documentCount} new documents and no failure`,
      ),
    );
    phases.push(
      await runPhase('re-sync, nothing changed', (statistics) =>
        statistics.numberOfDocumentsScanned === documentCount &&
        statistics.numberOfNewDocumentsIndexed === 0 &&
        statistics.numberOfModifiedDocumentsIndexed === 0 &&
        statistics.numberOfDocumentsFailed === 0
          ? undefined
          : 'expected nothing indexed',
      ),
    );

    // 10% of the documents rewritten entirely, then another 10% with one paragraph (or one CSV row) rewritten
    const every = Math.round(1 / changedShare);
    const changed = files.flatMap((_, index) => (index % every === 0 ? [index] : []));
    const edited = files.flatMap((_, index) => (index % every === Math.floor(every / 2) ? [index] : []));
    let probe: { uri: string; text: string } | undefined;
    for (const index of changed) {
      const file = corpusFile(seed, index, { revision: 1 });
      writeCorpusFile(folder, file);
      const paragraph = file.format === 'md' || file.format === 'txt' ? String(file.content).split('\n').find((line) => line.length > 200) : undefined;
      if (!probe && paragraph) probe = { uri: `s3://${bucket}/${file.name}`, text: paragraph };
    }
    phases.push(
      await runPhase(`re-sync, ${changed.length} documents (${changedShare * 100}%) changed`, (statistics) =>
        statistics.numberOfModifiedDocumentsIndexed === changed.length && statistics.numberOfNewDocumentsIndexed === 0 && statistics.numberOfDocumentsFailed === 0
          ? undefined
          : `expected ${changed.length} modified documents`,
      ),
    );
    for (const index of edited) writeCorpusFile(folder, corpusFile(seed, index, { edited: true }));
    phases.push(
      await runPhase(`re-sync, ${edited.length} documents (${changedShare * 100}%) with one paragraph edited`, (statistics) =>
        statistics.numberOfModifiedDocumentsIndexed === edited.length && statistics.numberOfNewDocumentsIndexed === 0 && statistics.numberOfDocumentsFailed === 0
          ? undefined
          : `expected ${edited.length} modified documents`,
      ),
    );

    if (!probe) throw new Error('no rewritten Markdown or text document to probe');
    const { uri, text } = probe;
    const { retrievalResults } = await runtime.send(
      new RetrieveCommand({ knowledgeBaseId, retrievalQuery: { text: text.slice(0, 400) }, retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 5 } } }),
    );
    const rank = (retrievalResults ?? []).findIndex((result) => result.location?.s3Location?.uri === uri);
    if (rank < 0) throw new Error(`Retrieve of a rewritten paragraph did not return ${uri} in the top 5`);
    retrievalCheck = `a paragraph of the rewritten ${uri.split('/').pop()} retrieves it at rank ${rank + 1}`;
    console.log(retrievalCheck);
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }

  const loadAtEnd = loadavg();
  const report = {
    startedAt: startedAt.toISOString(),
    revision: sourceRevision(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    loadAverage: { start: loadAtStart.map((value) => round(value, 2)), end: loadAtEnd.map((value) => round(value, 2)) },
    corpus: { documents: documentCount, words: totalWords, formats: Object.fromEntries(formats), seed },
    settings: { embeddingModel: 'amazon.titan-embed-text-v2:0 → outcrop.use-lite-v1', chunking: 'FIXED_SIZE 300 tokens, 20% overlap (Bedrock default)', concurrency: concurrency ?? 'server default' },
    phases,
    retrievalCheck,
  };
  const outputDirectory = documentCount === 1000 ? join(repositoryRoot, 'bench', 'results') : join(repositoryRoot, 'bench', 'tmp', 'results');
  mkdirSync(outputDirectory, { recursive: true });
  writeFileSync(join(outputDirectory, `knowledge-ingestion-${label}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outputDirectory, `knowledge-ingestion-${label}.md`), markdownReport(report));
  console.log(`written to ${join(outputDirectory, `knowledge-ingestion-${label}.md`)}`);
}

function markdownReport(report: {
  startedAt: string;
  revision: string;
  machine: { cpu: string; cores: number; node: string };
  loadAverage: { start: number[]; end: number[] };
  corpus: { documents: number; words: number; formats: Record<string, { documents: number; words: number }> };
  settings: { concurrency: number | string };
  phases: PhaseResult[];
  retrievalCheck: string;
}): string {
  const stageNames: (keyof StageTotals)[] = ['read', 'parse', 'chunk', 'embed', 'index'];
  const split = (stages: StageTotals) => {
    const total = stageNames.reduce((sum, stage) => sum + (stages[stage] ?? 0), 0);
    return stageNames.map((stage) => (total > 0 ? `${Math.round(((stages[stage] ?? 0) / total) * 100)}%` : '–')).join(' | ');
  };
  const lines = [
    '# Knowledge ingestion benchmark',
    '',
    `${report.startedAt}, revision ${report.revision}; ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; load average ${report.loadAverage.start.join(' / ')} at start, ${report.loadAverage.end.join(' / ')} at end (other work on the machine makes the numbers provisional).`,
    '',
    `Corpus: ${report.corpus.documents} generated documents, ${report.corpus.words} words (${Object.entries(report.corpus.formats)
      .map(([format, entry]) => `${entry.documents} ${format}`)
      .join(', ')}; 200 to 1,500 words each, text that does not repeat, 15% with metadata sidecars). The real server in-process (SQLite sqlite-vec + FTS5 stores), a knowledge base on \`amazon.titan-embed-text-v2:0\` (the built-in Universal Sentence Encoder lite, worker threads), an S3 data source on a local folder with Bedrock's default chunking (300 tokens, 20% overlap), ingestion concurrency ${report.settings.concurrency}; jobs started and polled through the AWS SDK.`,
    '',
    '| job | seconds | documents indexed | documents/s | chunks | chunks/s | chunks embedded | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.phases.map(
      (phase) =>
        `| ${phase.name} | ${phase.seconds} | ${phase.documentsProcessed} | ${phase.documentsPerSecond} | ${phase.chunks} | ${phase.chunksPerSecond} | ${phase.chunksEmbedded} | ${phase.peakRssMiB} |`,
    ),
    '',
    '"chunks" counts every chunk written to the index; "chunks embedded" those sent to the embedding model (a changed document keeps the stored vectors of chunks whose text did not change).',
    '',
    'Where the time goes: seconds each stage took, summed over documents (documents run concurrently, so these are shares of the work, not of the wall clock).',
    '',
    `| job | ${stageNames.join(' | ')} | ${stageNames.map((stage) => `${stage} s`).join(' | ')} |`,
    `| --- | ${stageNames.map(() => '---:').join(' | ')} | ${stageNames.map(() => '---:').join(' | ')} |`,
    ...report.phases.map((phase) => `| ${phase.name} | ${split(phase.stages)} | ${stageNames.map((stage) => phase.stages[stage] ?? 0).join(' | ')} |`),
    '',
    `Check: ${report.retrievalCheck}.`,
    '',
  ];
  return lines.join('\n');
}

await main();
