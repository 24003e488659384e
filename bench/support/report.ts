import type { MemorySnapshot } from './child-processes.js';
import type { LoadResult } from './load-generator.js';

export type Operation = 'Converse' | 'ConverseStream';

/** One operation at one concurrency, through Outcrop and straight to the upstream. */
export interface PhaseResult {
  operation: Operation;
  concurrency: number;
  /** offered load in requests/s when paced; null for closed loop (clients send as fast as they can) */
  ratePerSecond: number | null;
  direct: LoadResult;
  outcrop: LoadResult;
  /** Outcrop minus direct at the same percentile, in milliseconds */
  added: { p50: number; p99: number; firstByteP50: number; firstByteP99: number };
  /** CPU time of the Outcrop process per request it served, in microseconds */
  outcropCpuMicrosPerRequest: number;
  /** cores other processes on the machine kept busy during the phase, on average */
  foreignCores: number;
}

export interface TargetResult {
  name: string;
  goal: string;
  measured: string;
  pass: boolean;
}

export interface GatewayBenchResult {
  date: string;
  /** the commit measured; `+dirty` when src/ had uncommitted changes */
  revision: string;
  machine: { cpuModel: string; cores: number; node: string; platform: string; totalMemoryBytes: number; loadAverageAtStart: number[] };
  settings: { quick: boolean; phaseSeconds: number; warmupSeconds: number; soakRequests: number; pacedRates: number[] };
  phases: PhaseResult[];
  soak: LoadResult & { concurrency: number; outcropCpuMicrosPerRequest: number };
  memory: {
    startupIdleBytes: number;
    afterWarmupIdleBytes: number;
    beforeSoakIdleBytes: number;
    afterSoakBytes: number;
    afterSoakIdleBytes: number;
    /** after a full garbage collection in the Outcrop process */
    startupAfterGc: MemorySnapshot;
    beforeSoakAfterGc: MemorySnapshot;
    afterSoakAfterGc: MemorySnapshot;
    /** RSS sampled every 100 ms during the soak, with the requests finished by then */
    duringSoak: { requests: number; rssBytes: number }[];
    /** RSS after the soak against before it, each after a full GC: the target */
    soakGrowth: number;
    /** RSS right after the soak against idle before it, without a GC: moves with the collector's saw-tooth */
    rawSoakGrowth: number;
  };
  /** cores other processes kept busy over the whole run, on average: above ~0.1 the numbers are provisional */
  foreignCores: number;
  targets: TargetResult[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const signedMs = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : 'n/a');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The results as Markdown: machine, settings, phases, memory, targets. */
export function renderMarkdown(result: GatewayBenchResult): string {
  const lines: string[] = [];
  const { machine, settings } = result;
  lines.push(`# Gateway benchmark — ${result.date}`, '', `Source: ${result.revision}.`);
  lines.push(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${mib(machine.totalMemoryBytes)}; Node ${machine.node} (${machine.platform}); ` +
      `load average at start ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' / ')}.`,
  );
  lines.push(
    `Other processes kept ${result.foreignCores.toFixed(2)} cores busy on average during the run` +
      (result.foreignCores > 0.1 ? ' — **numbers are provisional**.' : '.'),
  );
  lines.push(
    `Settings: ${settings.quick ? 'QUICK smoke run, ' : ''}${settings.phaseSeconds} s per phase, ${settings.warmupSeconds} s warm-up, ` +
      `${count(settings.soakRequests)}-request soak, paced phases at ${settings.pacedRates.map(count).join(', ') || 'none'} req/s` +
      '.',
  );
  lines.push(
    '',
    'Outcrop and the fake OpenAI-compatible upstream run as separate processes beside the load generator, all on the same cores. ' +
      'Latencies are in ms; "added" is Outcrop minus direct at the same percentile; TTFB is time to the first body byte. ' +
      'Closed loop: each client sends its next request when the previous response has been read.',
    '',
  );
  lines.push(
    '| Operation | Clients | Load | Direct req/s | Outcrop req/s | Direct p50 | Outcrop p50 | Added p50 | Direct p99 | Outcrop p99 | Added p99 | Added TTFB p50 | Added TTFB p99 | Outcrop CPU µs/req | Errors | Other load (cores) |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const phase of result.phases) {
    const stream = phase.operation === 'ConverseStream';
    lines.push(
      `| ${phase.operation} | ${phase.concurrency} | ${phase.ratePerSecond === null ? 'closed' : `${count(phase.ratePerSecond)}/s`} | ${count(phase.direct.rps)} | ${count(phase.outcrop.rps)} | ` +
        `${ms(phase.direct.latency.p50)} | ${ms(phase.outcrop.latency.p50)} | ${signedMs(phase.added.p50)} | ` +
        `${ms(phase.direct.latency.p99)} | ${ms(phase.outcrop.latency.p99)} | ${signedMs(phase.added.p99)} | ` +
        `${stream ? signedMs(phase.added.firstByteP50) : '—'} | ${stream ? signedMs(phase.added.firstByteP99) : '—'} | ` +
        `${count(phase.outcropCpuMicrosPerRequest)} | ${phase.direct.errors + phase.outcrop.errors} | ${phase.foreignCores.toFixed(2)} |`,
    );
  }
  const { memory, soak } = result;
  lines.push('', '## Memory (Outcrop process RSS)', '');
  const gcColumns = (snapshot: MemorySnapshot) => `${mib(snapshot.rss)} | ${mib(snapshot.heapUsed)} | ${mib(snapshot.external)}`;
  lines.push('| Point | RSS | RSS after full GC | JS heap used after GC | external after GC |', '|---|--:|--:|--:|--:|');
  lines.push(`| idle after start | ${mib(memory.startupIdleBytes)} | ${gcColumns(memory.startupAfterGc)} |`);
  lines.push(`| idle after warm-up | ${mib(memory.afterWarmupIdleBytes)} | | | |`);
  lines.push(`| idle before soak | ${mib(memory.beforeSoakIdleBytes)} | ${gcColumns(memory.beforeSoakAfterGc)} |`);
  lines.push(`| right after the ${count(soak.requests + soak.errors)}-request soak | ${mib(memory.afterSoakBytes)} | | | |`);
  lines.push(`| after the soak + 2 s idle | ${mib(memory.afterSoakIdleBytes)} | ${gcColumns(memory.afterSoakAfterGc)} |`);
  lines.push(
    '',
    `Growth over the soak: ${(memory.soakGrowth * 100).toFixed(1)}% after a full GC (the target); ` +
      `${(memory.rawSoakGrowth * 100).toFixed(1)}% comparing raw readings, which land anywhere in the collector's saw-tooth.`,
  );
  const samples = memory.duringSoak.map((sample) => sample.rssBytes);
  if (samples.length >= 8) {
    // RSS saw-tooths with garbage collection, so one reading can land anywhere in the swing; a leak
    // shows as the whole band rising from the first quarter of the soak to the last.
    const quarter = Math.floor(samples.length / 4);
    const band = (values: number[]) => `${mib(Math.min(...values))} – ${mib(Math.max(...values))}`;
    lines.push(
      '',
      `RSS during the soak (sampled every 100 ms) swings with garbage collection: first quarter ${band(samples.slice(0, quarter))}, ` +
        `last quarter ${band(samples.slice(-quarter))}.`,
    );
  }
  lines.push(
    '',
    `Soak: Converse at ${soak.concurrency} clients, ${count(soak.rps)} req/s, p50 ${ms(soak.latency.p50)} ms, p99 ${ms(soak.latency.p99)} ms, ` +
      `${count(soak.outcropCpuMicrosPerRequest)} µs Outcrop CPU per request, ${soak.errors} errors${soak.firstError ? ` (first: ${soak.firstError})` : ''}.`,
  );
  lines.push('', '## Targets', '', '| Target | Goal | Measured | Result |', '|---|---|---|---|');
  for (const target of result.targets) lines.push(`| ${target.name} | ${target.goal} | ${target.measured} | ${target.pass ? 'PASS' : '**FAIL**'} |`);
  lines.push(
    '',
    'With 64 closed-loop clients both paths run the cores flat out, so latency is mostly queueing (clients ÷ throughput) and ' +
      '"added" there measures the throughput gap between the paths. The paced rows offer a fixed load instead, and show the ' +
      'latency Outcrop adds at the 2,000 req/s throughput target.',
  );
  const errors = result.phases.flatMap((phase) => [phase.direct.firstError, phase.outcrop.firstError]).filter(Boolean);
  if (errors.length) lines.push('', `First error seen: ${errors[0]}`);
  lines.push('');
  return lines.join('\n');
}
