import type { LoadResult } from './load-generator.js';

/** How a request reaches the fake upstream. */
export type GatewayPath = 'direct' | 'outcrop-openai' | 'outcrop-converse' | 'portkey';
export type OutcropPath = 'outcrop-openai' | 'outcrop-converse';
/** A plain completion, or a streamed one (SSE for OpenAI, event stream for ConverseStream). */
export type Mode = 'plain' | 'stream';

export const pathLabels: Record<GatewayPath, Record<Mode, string>> = {
  direct: { plain: 'direct (upstream)', stream: 'direct (upstream)' },
  'outcrop-openai': { plain: 'Outcrop /v1/chat/completions', stream: 'Outcrop /v1/chat/completions' },
  'outcrop-converse': { plain: 'Outcrop Converse', stream: 'Outcrop ConverseStream' },
  portkey: { plain: 'Portkey /v1/chat/completions', stream: 'Portkey /v1/chat/completions' },
};

export interface PathResult {
  load: LoadResult;
  /** CPU time of the gateway process per request it served, in microseconds (null for direct) */
  gatewayCpuMicrosPerRequest: number | null;
  /** gateway minus direct at the same percentile, in milliseconds (null for direct) */
  added: { p50: number; p99: number; firstByteP50: number; firstByteP99: number } | null;
}

export interface ComparisonPhase {
  mode: Mode;
  concurrency: number;
  /** the order the gateways ran in (rotated from phase to phase so drift favours none) */
  order: GatewayPath[];
  paths: Record<GatewayPath, PathResult>;
  /** cores other processes on the machine kept busy during the phase, on average */
  foreignCores: number;
}

export interface ComparisonTarget {
  mode: Mode;
  concurrency: number;
  path: OutcropPath;
  /** Outcrop's req/s over Portkey's; goal >= 2 */
  throughputRatio: number;
  /** Outcrop's added latency over Portkey's; goal <= 0.5 */
  addedP50Ratio: number;
  addedP99Ratio: number;
  /** streams only */
  addedFirstByteP50Ratio: number | null;
  pass: boolean;
}

export interface PortkeyBenchResult {
  date: string;
  revision: string;
  portkeyVersion: string;
  machine: { cpuModel: string; cores: number; node: string; platform: string; totalMemoryBytes: number; loadAverageAtStart: number[] };
  settings: { quick: boolean; phaseSeconds: number; warmupSeconds: number; concurrencies: number[] };
  phases: ComparisonPhase[];
  targets: ComparisonTarget[];
  /** cores other processes kept busy over the whole run, on average: above ~0.1 the numbers are provisional */
  foreignCores: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const signedMs = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : 'n/a');
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number | null, goal: (value: number) => boolean) =>
  value === null ? '—' : Number.isFinite(value) ? `${value.toFixed(2)}× ${goal(value) ? '✓' : '✗'}` : 'n/a';

/** Outcrop's two paths against Portkey, from one phase. */
export function compare(phase: ComparisonPhase): ComparisonTarget[] {
  const portkey = phase.paths.portkey;
  return (['outcrop-openai', 'outcrop-converse'] as const).map((path) => {
    const outcrop = phase.paths[path];
    const throughputRatio = outcrop.load.rps / portkey.load.rps;
    const addedP50Ratio = (outcrop.added?.p50 ?? Number.NaN) / (portkey.added?.p50 ?? Number.NaN);
    const addedP99Ratio = (outcrop.added?.p99 ?? Number.NaN) / (portkey.added?.p99 ?? Number.NaN);
    const addedFirstByteP50Ratio = phase.mode === 'stream' ? (outcrop.added?.firstByteP50 ?? Number.NaN) / (portkey.added?.firstByteP50 ?? Number.NaN) : null;
    const halfOrLess = (value: number | null) => value === null || (Number.isFinite(value) && value <= 0.5);
    const pass = throughputRatio >= 2 && halfOrLess(addedP50Ratio) && halfOrLess(addedP99Ratio) && halfOrLess(addedFirstByteP50Ratio);
    return { mode: phase.mode, concurrency: phase.concurrency, path, throughputRatio, addedP50Ratio, addedP99Ratio, addedFirstByteP50Ratio, pass };
  });
}

/** The comparison as Markdown: machine, settings, every path of every phase, then the targets. */
export function renderPortkeyMarkdown(result: PortkeyBenchResult): string {
  const { machine, settings } = result;
  const lines = [
    `# Outcrop against Portkey — ${result.date}`,
    '',
    `Source: ${result.revision}; Portkey gateway ${result.portkeyVersion} (\`@portkey-ai/gateway\` from npm).`,
    `Machine: ${machine.cpuModel}, ${machine.cores} cores; Node ${machine.node} (${machine.platform}); load average at start ${machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' / ')}.`,
    `Other processes kept ${result.foreignCores.toFixed(2)} cores busy on average during the run` + (result.foreignCores > 0.1 ? ' — **numbers are provisional**.' : '.'),
    `Settings: ${settings.quick ? 'QUICK smoke run, ' : ''}${settings.phaseSeconds} s per path and phase, ${settings.warmupSeconds} s warm-up per path and mode, clients ${settings.concurrencies.join(', ')}.`,
    '',
    'The fake OpenAI-compatible upstream, Outcrop and Portkey run as separate processes beside the load generator, all on the same cores; ' +
      'every gateway proxies the same upstream. Closed loop: each client sends its next request when the previous response has been read. ' +
      'Latencies in ms; "added" is the gateway minus direct at the same percentile; TTFB is time to the first body byte. ' +
      'Outcrop /v1 uses a Bearer API key, Converse SigV4 (verified on every request); Portkey needs no key of its own.',
    '',
    '| Mode | Clients | Path | req/s | p50 | p99 | Added p50 | Added p99 | Added TTFB p50 | Added TTFB p99 | Gateway CPU µs/req | Errors | Other load (cores) |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const phase of result.phases) {
    for (const path of ['direct', ...phase.order] as GatewayPath[]) {
      const { load, added, gatewayCpuMicrosPerRequest } = phase.paths[path];
      const stream = phase.mode === 'stream';
      lines.push(
        `| ${phase.mode} | ${phase.concurrency} | ${pathLabels[path][phase.mode]} | ${count(load.rps)} | ${ms(load.latency.p50)} | ${ms(load.latency.p99)} | ` +
          `${added ? signedMs(added.p50) : '—'} | ${added ? signedMs(added.p99) : '—'} | ${added && stream ? signedMs(added.firstByteP50) : '—'} | ` +
          `${added && stream ? signedMs(added.firstByteP99) : '—'} | ${gatewayCpuMicrosPerRequest === null ? '—' : count(gatewayCpuMicrosPerRequest)} | ${load.errors} | ${phase.foreignCores.toFixed(2)} |`,
      );
    }
  }
  lines.push(
    '',
    '## Targets: Outcrop at least 2× Portkey’s throughput and at most half its added latency',
    '',
    '| Mode | Clients | Outcrop path | Throughput vs Portkey (≥ 2×) | Added p50 vs Portkey (≤ 0.5×) | Added p99 vs Portkey (≤ 0.5×) | Added TTFB p50 vs Portkey (≤ 0.5×) | Result |',
    '|---|--:|---|--:|--:|--:|--:|---|',
  );
  for (const target of result.targets) {
    lines.push(
      `| ${target.mode} | ${target.concurrency} | ${pathLabels[target.path][target.mode]} | ${ratio(target.throughputRatio, (value) => value >= 2)} | ` +
        `${ratio(target.addedP50Ratio, (value) => value <= 0.5)} | ${ratio(target.addedP99Ratio, (value) => value <= 0.5)} | ` +
        `${ratio(target.addedFirstByteP50Ratio, (value) => value <= 0.5)} | ${target.pass ? 'PASS' : '**FAIL**'} |`,
    );
  }
  const errors = result.phases.flatMap((phase) => Object.values(phase.paths).map((path) => path.load.firstError)).filter(Boolean);
  if (errors.length) lines.push('', `First error seen: ${errors[0]}`);
  lines.push('');
  return lines.join('\n');
}
