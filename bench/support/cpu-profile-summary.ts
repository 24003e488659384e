import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** time in milliseconds: self time, or for `inclusive` self time plus everything it called */
  ms: number;
  /** share of the busy (non-idle) time */
  share: number;
}

export interface ProfileSummary {
  /** sampled time that was not idle, in milliseconds */
  busyMs: number;
  /** the functions with the most self time */
  functions: ProfileEntry[];
  /** the functions with the most time including their callees (each sample counted once per function) */
  inclusive: ProfileEntry[];
  /** self time by where the code lives: Outcrop's own files, each npm package, Node's internals, GC */
  areas: ProfileEntry[];
}

/**
 * Sums a CPU profile's samples by function (self and inclusive time) and by area (Outcrop source
 * file, npm package, `node:` internals, garbage collector).
 *
 * @example
 * const summary = summarizeCpuProfile('bench/tmp/profiles/CPU.123.cpuprofile', '/work/main');
 * summary.functions[0] // { name: 'writev (node:internal/stream_base_commons:123)', ms: 812, share: 0.09 }
 */
export function summarizeCpuProfile(path: string, root: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const nameOf = (id: number) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return '(unknown)';
    const where = describeUrl(frame.url, root);
    return `${frame.functionName || '(anonymous)'}${where ? ` (${where}:${frame.lineNumber + 1})` : ''}`;
  };
  const stacks = new Map<number, Set<string>>();
  const stackOf = (id: number): Set<string> => {
    let names = stacks.get(id);
    if (!names) {
      const parent = parents.get(id);
      names = new Set(parent === undefined ? [] : stackOf(parent));
      names.add(nameOf(id));
      stacks.set(id, names);
    }
    return names;
  };
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyMs = 0;
  for (const [id, selfMs] of selfByNode) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    busyMs += selfMs;
    const name = nameOf(id);
    byFunction.set(name, (byFunction.get(name) ?? 0) + selfMs);
    const area = areaOf(frame.url, frame.functionName, root);
    byArea.set(area, (byArea.get(area) ?? 0) + selfMs);
    for (const caller of stackOf(id)) inclusive.set(caller, (inclusive.get(caller) ?? 0) + selfMs);
  }
  inclusive.delete('(root)');
  const entries = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
  return { busyMs, functions: entries(byFunction), inclusive: entries(inclusive), areas: entries(byArea) };
}

function describeUrl(url: string, root: string): string {
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  return relative(root, path);
}

function areaOf(url: string, functionName: string, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'native builtins and syscalls';
  if (url.startsWith('node:')) return 'node internals';
  const path = describeUrl(url, root);
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch) return `npm ${packageMatch[1]}`;
  return path.startsWith('dist/') ? `outcrop ${path.slice('dist/'.length)}` : path;
}
