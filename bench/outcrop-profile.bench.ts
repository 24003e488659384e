/**
 * Where Outcrop spends its CPU per request (`npm run bench:profile`): runs the compiled server under
 * `node --cpu-prof` in front of the fake upstream, drives one operation closed-loop, stops the
 * server so V8 writes the profile, and prints self time by area and by function, and inclusive time
 * by function, each also per request. Writes `bench/results/profile-<operation>-latest.md`; the raw
 * profile stays in `bench/tmp/profiles/` (open it in Chrome DevTools or speedscope).
 *
 * Environment:
 * - `BENCH_OPERATION`: `Converse` (default) or `ConverseStream`
 * - `BENCH_SECONDS`: seconds of load (default 10)
 * - `BENCH_CONCURRENCY`: clients (default 64)
 * - `BENCH_SKIP_BUILD=1`: use the existing `dist/`
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { buildOutcrop, repositoryRoot, startFakeUpstream, startOutcropChild } from './support/child-processes.js';
import { type ProfileEntry, summarizeCpuProfile } from './support/cpu-profile-summary.js';
import { runLoad } from './support/load-generator.js';
import { SignedRequestSource } from './support/signed-request.js';

const operation = process.env.BENCH_OPERATION ?? 'Converse';
if (operation !== 'Converse' && operation !== 'ConverseStream') throw new Error('BENCH_OPERATION must be Converse or ConverseStream');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const modelId = 'outcrop.bench';
const credentials = { accessKeyId: 'AKIAOUTCROPBENCH0001', secretAccessKey: 'outcrop/bench/secret/0123456789abcdefghij' };
const profileDir = join(repositoryRoot, 'bench', 'tmp', 'profiles');

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') buildOutcrop();
  mkdirSync(profileDir, { recursive: true });
  const before = new Set(readdirSync(profileDir));
  const upstream = await startFakeUpstream();
  const outcrop = await startOutcropChild({ upstreamUrl: upstream.url, modelId, ...credentials, cpuProfileDir: profileDir });
  let served = 0;
  try {
    const path = `/model/${modelId}/${operation === 'Converse' ? 'converse' : 'converse-stream'}`;
    const body = { messages: [{ role: 'user', content: [{ text: 'Describe granite in one sentence.' }] }], inferenceConfig: { maxTokens: 64 } };
    const source = await SignedRequestSource.create({ origin: outcrop.url, ...credentials, region: 'us-east-1' }, path, body);
    const pool = new Pool(outcrop.url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
    const result = await runLoad({ dispatcher: pool, request: () => source.current, concurrency, durationMs: seconds * 1000 });
    source.stop();
    await pool.close();
    served = result.requests;
    process.stderr.write(`[profile] ${operation} c=${concurrency}: ${Math.round(result.rps)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, ${result.errors} errors\n`);
  } finally {
    await outcrop.stop();
    await upstream.stop();
  }
  const written = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile') && !before.has(name));
  if (!written) throw new Error(`no new .cpuprofile in ${profileDir}`);
  const profilePath = join(profileDir, written);
  const summary = summarizeCpuProfile(profilePath, repositoryRoot, 30);
  const perRequest = (entry: ProfileEntry) => ((entry.ms * 1000) / Math.max(1, served)).toFixed(1);
  const table = (title: string, entries: ProfileEntry[]) => [
    `| ${title} | ms | share | µs/request |`,
    '|---|--:|--:|--:|',
    ...entries.map((entry) => `| \`${entry.name}\` | ${Math.round(entry.ms)} | ${(entry.share * 100).toFixed(1)}% | ${perRequest(entry)} |`),
    '',
  ];
  const markdown = [
    `# Outcrop CPU profile — ${operation}, ${concurrency} clients, ${seconds} s (${new Date().toISOString()})`,
    '',
    `${served.toLocaleString('en-US')} requests served; ${Math.round(summary.busyMs)} ms of sampled non-idle CPU in the Outcrop process ` +
      `(includes start-up and shutdown), ${((summary.busyMs * 1000) / Math.max(1, served)).toFixed(1)} µs per request. ` +
      'Timings under `--cpu-prof` run slower than without it. `(program)` is native work with no JavaScript on the stack ' +
      '(libuv, socket I/O, the HTTP parser); `(garbage collector)` is V8 GC.',
    '',
    `Raw profile: \`${profilePath.slice(repositoryRoot.length + 1)}\``,
    '',
    ...table('Area (self time)', summary.areas),
    ...table('Function (self time)', summary.functions),
    ...table('Function (inclusive time)', summary.inclusive),
  ].join('\n');
  const resultsDir = join(repositoryRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const outputPath = join(resultsDir, `profile-${operation.toLowerCase()}-latest.md`);
  writeFileSync(outputPath, markdown);
  process.stdout.write(`${markdown}\nWrote ${outputPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
