/**
 * Outcrop against Portkey's open-source gateway (`npm run bench:portkey`; `npm run bench` runs it after
 * the gateway benchmark): the same loopback fake OpenAI-compatible upstream called directly, through
 * Outcrop's `/v1/chat/completions`, through Outcrop's Converse / ConverseStream, and through Portkey
 * (`@portkey-ai/gateway`, its own process), plain and streamed, at 1, 64 and 256 concurrent clients,
 * all in one run. Target: Outcrop at least 2× Portkey's throughput and at most half its added
 * latency. Prints a Markdown table and writes `bench/results/portkey-<date>.json` and
 * `bench/results/portkey-latest.md`.
 *
 * Environment:
 * - `BENCH_QUICK=1`: smoke run (1 s phases, short warm-up), written to the git-ignored `bench/tmp/results/`
 * - `BENCH_SECONDS`: seconds per path and phase (default 5)
 * - `BENCH_CONCURRENCY`: client counts, comma-separated (default `1,64,256`)
 * - `BENCH_SKIP_BUILD=1`: use the existing `dist/` instead of compiling `src/` first
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { type BenchChild, buildOutcrop, repositoryRoot, sourceRevision, startFakeUpstream, startOutcropChild, startPortkeyChild } from './support/child-processes.js';
import { CpuMeter, processCpuMs } from './support/cpu-accounting.js';
import { runLoad } from './support/load-generator.js';
import {
  type ComparisonPhase,
  type GatewayPath,
  type Mode,
  type PathResult,
  type PortkeyBenchResult,
  compare,
  pathLabels,
  renderPortkeyMarkdown,
} from './support/portkey-report.js';
import { type PreparedRequest, SignedRequestSource, jsonRequest } from './support/signed-request.js';
import { checkChatCompletion, checkConverse, checkConverseStream, checkDirect } from './support/validate-responses.js';

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  quick,
  phaseSeconds: Number(process.env.BENCH_SECONDS ?? (quick ? 1 : 5)),
  warmupSeconds: quick ? 0.5 : 3,
  concurrencies: (process.env.BENCH_CONCURRENCY ?? '1,64,256').split(',').map(Number),
};
const modelId = 'outcrop.bench';
const credentials = { accessKeyId: 'AKIAOUTCROPBENCH0001', secretAccessKey: 'outcrop/bench/secret/0123456789abcdefghij' };
const apiKey = 'ABSKb3V0Y3JvcC1iZW5jaC1hcGkta2V5';
const prompt = 'Describe granite in one sentence.';
const resultsDir = join(repositoryRoot, 'bench', quick ? 'tmp' : '', 'results');
const gateways: Exclude<GatewayPath, 'direct'>[] = ['outcrop-openai', 'outcrop-converse', 'portkey'];

/** Where each path sends its requests, and the request (read again per request: signatures renew). */
type Route = { origin: string; pid: number | null; request: () => PreparedRequest };

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') buildOutcrop();
  const loadAverageAtStart = loadavg();
  const upstream = await startFakeUpstream();
  const children: BenchChild[] = [upstream];
  try {
    const outcrop = await startOutcropChild({ upstreamUrl: upstream.url, modelId, apiKey, ...credentials });
    children.push(outcrop);
    const portkey = await startPortkeyChild();
    children.push(portkey);
    report(await measure(upstream, outcrop, portkey, loadAverageAtStart));
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

async function measure(upstream: BenchChild, outcrop: BenchChild, portkey: BenchChild, loadAverageAtStart: number[]): Promise<PortkeyBenchResult> {
  const runMeter = new CpuMeter([upstream.pid, outcrop.pid, portkey.pid]);
  const upstreamOrigin = new URL(upstream.url).origin;
  const chatPath = `${new URL(upstream.url).pathname}/chat/completions`;
  const chat = { model: 'bench-model', messages: [{ role: 'user', content: prompt }], max_tokens: 64 };
  const streamed = { stream: true, stream_options: { include_usage: true } };
  const converseBody = { messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 64 } };
  const signing = { origin: outcrop.url, ...credentials, region: 'us-east-1' };
  const converse = await SignedRequestSource.create(signing, `/model/${modelId}/converse`, converseBody);
  const converseStream = await SignedRequestSource.create(signing, `/model/${modelId}/converse-stream`, converseBody);
  const upstreamKey = { authorization: 'Bearer sk-bench' };
  const viaPortkey = { ...upstreamKey, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstream.url };
  const viaOutcrop = { authorization: `Bearer ${apiKey}` };
  const fixed = (request: PreparedRequest) => () => request;
  const routes: Record<Mode, Record<GatewayPath, Route>> = {
    plain: {
      direct: { origin: upstreamOrigin, pid: null, request: fixed(jsonRequest(chatPath, chat, upstreamKey)) },
      'outcrop-openai': { origin: outcrop.url, pid: outcrop.pid, request: fixed(jsonRequest('/v1/chat/completions', { ...chat, model: modelId }, viaOutcrop)) },
      'outcrop-converse': { origin: outcrop.url, pid: outcrop.pid, request: () => converse.current },
      portkey: { origin: portkey.url, pid: portkey.pid, request: fixed(jsonRequest('/v1/chat/completions', chat, viaPortkey)) },
    },
    stream: {
      direct: { origin: upstreamOrigin, pid: null, request: fixed(jsonRequest(chatPath, { ...chat, ...streamed }, upstreamKey)) },
      'outcrop-openai': { origin: outcrop.url, pid: outcrop.pid, request: fixed(jsonRequest('/v1/chat/completions', { ...chat, ...streamed, model: modelId }, viaOutcrop)) },
      'outcrop-converse': { origin: outcrop.url, pid: outcrop.pid, request: () => converseStream.current },
      portkey: { origin: portkey.url, pid: portkey.pid, request: fixed(jsonRequest('/v1/chat/completions', { ...chat, ...streamed }, viaPortkey)) },
    },
  };
  await preflight(routes);

  log(`warm-up: ${settings.warmupSeconds} s per gateway and mode at 64 clients`);
  for (const mode of ['plain', 'stream'] as const) {
    for (const path of gateways) await measurePath(routes[mode][path], 64, settings.warmupSeconds);
  }

  const phases: ComparisonPhase[] = [];
  for (const concurrency of settings.concurrencies) {
    for (const mode of ['plain', 'stream'] as const) {
      const meter = new CpuMeter([upstream.pid, outcrop.pid, portkey.pid]);
      const shift = phases.length % gateways.length;
      const order = [...gateways.slice(shift), ...gateways.slice(0, shift)];
      const direct = await measurePath(routes[mode].direct, concurrency, settings.phaseSeconds);
      const paths = { direct } as Record<GatewayPath, PathResult>;
      for (const path of order) {
        const measured = await measurePath(routes[mode][path], concurrency, settings.phaseSeconds);
        const latency = measured.load.latency;
        const firstByte = measured.load.firstByte;
        measured.added = {
          p50: latency.p50 - direct.load.latency.p50,
          p99: latency.p99 - direct.load.latency.p99,
          firstByteP50: firstByte.p50 - direct.load.firstByte.p50,
          firstByteP99: firstByte.p99 - direct.load.firstByte.p99,
        };
        paths[path] = measured;
      }
      const phase: ComparisonPhase = { mode, concurrency, order, paths, foreignCores: meter.read().foreignCores };
      phases.push(phase);
      log(
        `${mode.padEnd(6)} c=${String(concurrency).padStart(3)}: ` +
          (['direct', ...order] as GatewayPath[])
            .map((path) => `${pathLabels[path][mode]} ${Math.round(paths[path].load.rps)} req/s p50 ${paths[path].load.latency.p50.toFixed(2)}${paths[path].load.errors ? ` ERRORS ${paths[path].load.errors}: ${paths[path].load.firstError}` : ''}`)
            .join(' | '),
      );
    }
  }
  converse.stop();
  converseStream.stop();
  return {
    date: new Date().toISOString(),
    revision: sourceRevision(),
    portkeyVersion: (JSON.parse(readFileSync(join(repositoryRoot, 'node_modules', '@portkey-ai', 'gateway', 'package.json'), 'utf8')) as { version: string }).version,
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
    targets: phases.flatMap(compare),
    foreignCores: runMeter.read().foreignCores,
  };
}

/** One path at one concurrency: connections opened before the clock starts, then closed-loop load. */
async function measurePath(route: Route, concurrency: number, seconds: number): Promise<PathResult> {
  const pool = new Pool(route.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  try {
    await runLoad({ dispatcher: pool, request: route.request, concurrency, requests: concurrency * 2 });
    const cpuBefore = route.pid === null ? 0 : processCpuMs(route.pid);
    const load = await runLoad({ dispatcher: pool, request: route.request, concurrency, durationMs: seconds * 1000 });
    const gatewayCpuMicrosPerRequest = route.pid === null ? null : ((processCpuMs(route.pid) - cpuBefore) * 1000) / Math.max(1, load.requests);
    return { load, gatewayCpuMicrosPerRequest, added: null };
  } finally {
    await pool.close();
  }
}

/** One request on every path, checked field by field, so a broken path fails loudly instead of benchmarking errors. */
async function preflight(routes: Record<Mode, Record<GatewayPath, Route>>): Promise<void> {
  const send = async (route: Route) => {
    const pool = new Pool(route.origin, { connections: 1 });
    try {
      const request = route.request();
      const response = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
      return { statusCode: response.statusCode, headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
    } finally {
      await pool.close();
    }
  };
  checkDirect(await send(routes.plain.direct), false);
  checkDirect(await send(routes.stream.direct), true);
  checkConverse(await send(routes.plain['outcrop-converse']));
  checkConverseStream(await send(routes.stream['outcrop-converse']));
  for (const mode of ['plain', 'stream'] as const) {
    checkChatCompletion(`Outcrop /v1 (${mode})`, await send(routes[mode]['outcrop-openai']), mode === 'stream');
    checkChatCompletion(`Portkey (${mode})`, await send(routes[mode].portkey), mode === 'stream');
  }
}

function report(result: PortkeyBenchResult): void {
  const markdown = renderPortkeyMarkdown(result);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = result.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const jsonPath = join(resultsDir, `portkey-${stamp}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  const markdownPath = join(resultsDir, 'portkey-latest.md');
  writeFileSync(markdownPath, markdown);
  process.stdout.write(`\n${markdown}\nWrote ${jsonPath} and ${markdownPath}\n`);
}

function log(message: string): void {
  process.stderr.write(`[bench:portkey] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
