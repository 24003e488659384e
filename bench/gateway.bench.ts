/**
 * The gateway benchmark (`npm run bench`): Converse and ConverseStream through Outcrop to a loopback
 * fake OpenAI-compatible upstream, against the same upstream called directly, at 1, 64 and 256
 * concurrent clients; then a Converse soak watching Outcrop's RSS. Prints a Markdown table and
 * writes `bench/results/gateway-<date>.json` and `bench/results/gateway-latest.md`.
 *
 * Environment:
 * - `BENCH_QUICK=1`: smoke run (1 s phases, short warm-up, 5,000-request soak), written to the
 *   git-ignored `bench/tmp/results/` so it never replaces a recorded run
 * - `BENCH_SECONDS`: seconds per measured phase and path (default 5)
 * - `BENCH_SOAK_REQUESTS`: soak length (default 100,000)
 * - `BENCH_CONCURRENCY`: client counts, comma-separated (default `1,64,256`)
 * - `BENCH_RATES`: offered loads of the paced 64-client phases, req/s, comma-separated (default
 *   `1000,2000`; empty skips them). The latency targets are also checked at 2,000 req/s, the
 *   throughput target: a closed loop at 64 clients saturates the machine, so its latency is queueing.
 * - `BENCH_SKIP_BUILD=1`: use the existing `dist/` instead of compiling `src/` first
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { type BenchChild, type OutcropChild, buildOutcrop, readRss, repositoryRoot, sourceRevision, startFakeUpstream, startOutcropChild } from './support/child-processes.js';
import { CpuMeter, processCpuMs } from './support/cpu-accounting.js';
import { type LoadResult, runLoad } from './support/load-generator.js';
import { type GatewayBenchResult, type Operation, type PhaseResult, type TargetResult, renderMarkdown } from './support/report.js';
import { type PreparedRequest, SignedRequestSource, jsonRequest } from './support/signed-request.js';
import { checkConverse, checkConverseStream, checkDirect } from './support/validate-responses.js';

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  quick,
  phaseSeconds: Number(process.env.BENCH_SECONDS ?? (quick ? 1 : 5)),
  warmupSeconds: quick ? 0.5 : 3,
  soakRequests: Number(process.env.BENCH_SOAK_REQUESTS ?? (quick ? 5_000 : 100_000)),
  pacedRates: (process.env.BENCH_RATES ?? '1000,2000').split(',').filter(Boolean).map(Number),
};
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,64,256').split(',').map(Number);
const idleMs = 2_000;
/** the throughput target, also the offered load at which the paced latency targets are checked */
const targetRate = 2_000;
const modelId = 'outcrop.bench';
const credentials = { accessKeyId: 'AKIAOUTCROPBENCH0001', secretAccessKey: 'outcrop/bench/secret/0123456789abcdefghij' };
const prompt = 'Describe granite in one sentence.';
const resultsDir = join(repositoryRoot, 'bench', quick ? 'tmp' : '', 'results');

/** Both ways to reach the upstream for one operation. */
interface Routes {
  outcrop: SignedRequestSource;
  direct: PreparedRequest;
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') buildOutcrop();
  const loadAverageAtStart = loadavg();
  const upstream = await startFakeUpstream();
  const outcrop = await startOutcropChild({ upstreamUrl: upstream.url, modelId, ...credentials });
  const children: BenchChild[] = [outcrop, upstream];
  try {
    report(await measure(outcrop, upstream, loadAverageAtStart));
  } finally {
    for (const child of children) await child.stop();
  }
}

async function measure(outcrop: OutcropChild, upstream: BenchChild, loadAverageAtStart: number[]): Promise<GatewayBenchResult> {
  const runMeter = new CpuMeter([outcrop.pid, upstream.pid]);
  await sleep(idleMs);
  const startupIdleBytes = readRss(outcrop.pid);
  const startupAfterGc = await outcrop.measureMemoryAfterGc();
  const signing = { origin: outcrop.url, ...credentials, region: 'us-east-1' };
  const converseBody = { messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 64 } };
  const directBody = { model: 'bench-model', messages: [{ role: 'user', content: prompt }], max_tokens: 64 };
  const upstreamPath = `${new URL(upstream.url).pathname}/chat/completions`;
  const upstreamOrigin = new URL(upstream.url).origin;
  const routes: Record<Operation, Routes> = {
    Converse: {
      outcrop: await SignedRequestSource.create(signing, `/model/${modelId}/converse`, converseBody),
      direct: jsonRequest(upstreamPath, directBody, { authorization: 'Bearer sk-bench' }),
    },
    ConverseStream: {
      outcrop: await SignedRequestSource.create(signing, `/model/${modelId}/converse-stream`, converseBody),
      direct: jsonRequest(upstreamPath, { ...directBody, stream: true, stream_options: { include_usage: true } }, { authorization: 'Bearer sk-bench' }),
    },
  };
  await preflight(outcrop.url, upstreamOrigin, routes);

  const operations: Operation[] = ['Converse', 'ConverseStream'];
  log(`warm-up: ${settings.warmupSeconds} s per operation and path at 64 clients`);
  for (const operation of operations) await runPhase(outcrop, upstream, routes[operation], operation, 64, null, settings.warmupSeconds);
  await sleep(idleMs);
  const afterWarmupIdleBytes = readRss(outcrop.pid);

  const phases: PhaseResult[] = [];
  for (const concurrency of concurrencies) {
    for (const operation of operations) phases.push(await runPhase(outcrop, upstream, routes[operation], operation, concurrency, null, settings.phaseSeconds));
  }
  for (const rate of settings.pacedRates) {
    for (const operation of operations) phases.push(await runPhase(outcrop, upstream, routes[operation], operation, 64, rate, settings.phaseSeconds));
  }

  await sleep(idleMs);
  const beforeSoakIdleBytes = readRss(outcrop.pid);
  const beforeSoakAfterGc = await outcrop.measureMemoryAfterGc();
  log(`soak: ${settings.soakRequests.toLocaleString('en-US')} Converse requests at 64 clients`);
  const soakPool = new Pool(outcrop.url, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
  const cpuBefore = processCpuMs(outcrop.pid);
  const soakSource = routes.Converse.outcrop;
  const progress = { completed: 0 };
  const duringSoak: { requests: number; rssBytes: number }[] = [];
  const sampler = setInterval(() => duringSoak.push({ requests: progress.completed, rssBytes: readRss(outcrop.pid) }), 100);
  const soak = await runLoad({ dispatcher: soakPool, request: () => soakSource.current, concurrency: 64, requests: settings.soakRequests, progress });
  clearInterval(sampler);
  const soakCpuMs = processCpuMs(outcrop.pid) - cpuBefore;
  const afterSoakBytes = readRss(outcrop.pid);
  await soakPool.close();
  await sleep(idleMs);
  const afterSoakIdleBytes = readRss(outcrop.pid);
  const afterSoakAfterGc = await outcrop.measureMemoryAfterGc();
  for (const route of Object.values(routes)) route.outcrop.stop();

  const memory = {
    startupIdleBytes,
    afterWarmupIdleBytes,
    beforeSoakIdleBytes,
    afterSoakBytes,
    afterSoakIdleBytes,
    startupAfterGc,
    beforeSoakAfterGc,
    afterSoakAfterGc,
    duringSoak,
    soakGrowth: afterSoakAfterGc.rss / beforeSoakAfterGc.rss - 1,
    rawSoakGrowth: afterSoakBytes / beforeSoakIdleBytes - 1,
  };
  const soakResult = { ...soak, concurrency: 64, outcropCpuMicrosPerRequest: (soakCpuMs * 1000) / Math.max(1, soak.requests) };
  return {
    date: new Date().toISOString(),
    revision: sourceRevision(),
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      totalMemoryBytes: totalmem(),
      loadAverageAtStart,
    },
    settings,
    phases,
    soak: soakResult,
    memory,
    foreignCores: runMeter.read().foreignCores,
    targets: evaluateTargets(phases, memory, soakResult),
  };
}

/** Runs one operation at one concurrency: straight to the upstream, then through Outcrop. */
async function runPhase(
  outcrop: BenchChild,
  upstream: BenchChild,
  routes: Routes,
  operation: Operation,
  concurrency: number,
  ratePerSecond: number | null,
  seconds: number,
): Promise<PhaseResult> {
  const meter = new CpuMeter([outcrop.pid, upstream.pid]);
  const upstreamOrigin = new URL(upstream.url).origin;
  const pace = ratePerSecond === null ? {} : { ratePerSecond };
  const directPool = new Pool(upstreamOrigin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const outcropPool = new Pool(outcrop.url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  try {
    // Open every connection before the clock starts.
    await runLoad({ dispatcher: directPool, request: () => routes.direct, concurrency, requests: concurrency * 2 });
    await runLoad({ dispatcher: outcropPool, request: () => routes.outcrop.current, concurrency, requests: concurrency * 2 });
    const direct = await runLoad({ dispatcher: directPool, request: () => routes.direct, concurrency, durationMs: seconds * 1000, ...pace });
    const cpuBefore = processCpuMs(outcrop.pid);
    const viaOutcrop = await runLoad({ dispatcher: outcropPool, request: () => routes.outcrop.current, concurrency, durationMs: seconds * 1000, ...pace });
    const outcropCpuMs = processCpuMs(outcrop.pid) - cpuBefore;
    const phase: PhaseResult = {
      operation,
      concurrency,
      ratePerSecond,
      direct,
      outcrop: viaOutcrop,
      added: {
        p50: viaOutcrop.latency.p50 - direct.latency.p50,
        p99: viaOutcrop.latency.p99 - direct.latency.p99,
        firstByteP50: viaOutcrop.firstByte.p50 - direct.firstByte.p50,
        firstByteP99: viaOutcrop.firstByte.p99 - direct.firstByte.p99,
      },
      outcropCpuMicrosPerRequest: (outcropCpuMs * 1000) / Math.max(1, viaOutcrop.requests),
      foreignCores: meter.read().foreignCores,
    };
    log(
      `${operation.padEnd(14)} c=${String(concurrency).padStart(3)} ${ratePerSecond === null ? 'closed' : `${ratePerSecond}/s`}: ` +
        `direct ${Math.round(direct.rps)} req/s p50 ${direct.latency.p50.toFixed(2)} p99 ${direct.latency.p99.toFixed(2)} | ` +
        `outcrop ${Math.round(viaOutcrop.rps)} req/s p50 ${viaOutcrop.latency.p50.toFixed(2)} p99 ${viaOutcrop.latency.p99.toFixed(2)}` +
        (direct.errors + viaOutcrop.errors ? ` | ERRORS ${direct.errors + viaOutcrop.errors}: ${direct.firstError ?? viaOutcrop.firstError}` : ''),
    );
    return phase;
  } finally {
    await Promise.all([directPool.close(), outcropPool.close()]);
  }
}

/** One request of each kind, checked field by field, so a broken path fails loudly instead of benchmarking errors. */
async function preflight(outcropUrl: string, upstreamOrigin: string, routes: Record<Operation, Routes>): Promise<void> {
  const outcropPool = new Pool(outcropUrl, { connections: 1 });
  const directPool = new Pool(upstreamOrigin, { connections: 1 });
  const send = async (pool: Pool, request: PreparedRequest) => {
    const response = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
    return { statusCode: response.statusCode, headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
  };
  try {
    checkConverse(await send(outcropPool, routes.Converse.outcrop.current));
    checkConverseStream(await send(outcropPool, routes.ConverseStream.outcrop.current));
    checkDirect(await send(directPool, routes.Converse.direct), false);
    checkDirect(await send(directPool, routes.ConverseStream.direct), true);
  } finally {
    await Promise.all([outcropPool.close(), directPool.close()]);
  }
}

function evaluateTargets(phases: PhaseResult[], memory: GatewayBenchResult['memory'], soak: LoadResult): TargetResult[] {
  const targets: TargetResult[] = [];
  const find = (operation: Operation, concurrency: number, rate: number | null) =>
    phases.find((phase) => phase.operation === operation && phase.concurrency === concurrency && phase.ratePerSecond === rate);
  const latencyTargets = (operation: Operation, rate: number | null) => {
    const phase = find(operation, 64, rate);
    if (!phase) return;
    const label = `${operation}, 64 clients${rate === null ? '' : `, paced ${rate.toLocaleString('en-US')} req/s`}`;
    targets.push({ name: `added p50 (${label})`, goal: '<= 1 ms', measured: `${phase.added.p50.toFixed(2)} ms`, pass: phase.added.p50 <= 1 });
    targets.push({ name: `added p99 (${label})`, goal: '<= 5 ms', measured: `${phase.added.p99.toFixed(2)} ms`, pass: phase.added.p99 <= 5 });
  };
  for (const operation of ['Converse', 'ConverseStream'] as const) latencyTargets(operation, null);
  const best = phases.filter((phase) => phase.operation === 'Converse' && phase.ratePerSecond === null).sort((a, b) => b.outcrop.rps - a.outcrop.rps)[0];
  if (best) {
    targets.push({
      name: 'Converse throughput through Outcrop (best closed-loop phase)',
      goal: '>= 2,000 req/s',
      measured: `${Math.round(best.outcrop.rps).toLocaleString('en-US')} req/s at ${best.concurrency} clients`,
      pass: best.outcrop.rps >= targetRate,
    });
  }
  targets.push({
    name: `RSS growth over the ${(soak.requests + soak.errors).toLocaleString('en-US')}-request soak (each after a full GC)`,
    goal: '< 10%',
    measured: `${(memory.soakGrowth * 100).toFixed(1)}%`,
    pass: memory.soakGrowth < 0.1,
  });
  if (settings.pacedRates.includes(targetRate)) for (const operation of ['Converse', 'ConverseStream'] as const) latencyTargets(operation, targetRate);
  const errors = phases.reduce((sum, phase) => sum + phase.direct.errors + phase.outcrop.errors, 0) + soak.errors;
  targets.push({ name: 'failed requests', goal: '0', measured: String(errors), pass: errors === 0 });
  return targets;
}

function report(result: GatewayBenchResult): void {
  const markdown = renderMarkdown(result);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = result.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const jsonPath = join(resultsDir, `gateway-${stamp}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  const markdownPath = join(resultsDir, 'gateway-latest.md');
  writeFileSync(markdownPath, markdown);
  process.stdout.write(`\n${markdown}\nWrote ${jsonPath} and ${markdownPath}\n`);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
