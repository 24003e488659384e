import { cpus } from 'node:os';

/** How long one measurement of the machine's load stands before it is taken again. */
const sampleMs = 250;

/** A reading of the machine's and this process's CPU time. */
export interface CpuSnapshot {
  at: number;
  /** busy CPU time of every core together, ms */
  machineBusy: number;
  /** this process's CPU time (every thread), ms */
  ownBusy: number;
}

function readCpuTimes(): CpuSnapshot {
  let machineBusy = 0;
  for (const { times } of cpus()) machineBusy += times.user + times.nice + times.sys + times.irq;
  const own = process.cpuUsage();
  return { at: performance.now(), machineBusy, ownBusy: (own.user + own.system) / 1000 };
}

/**
 * Cores this process could have to itself now: the machine's cores less what other processes kept
 * busy over the last quarter second or so (this process's own threads do not count against it).
 * Splitting a batch across encoder threads only pays when the parts really run side by side; on a
 * machine whose other work holds the cores, the parts would queue for the same core and only add runs.
 *
 * @example
 * const spare = spareCores();
 * spare(); // 1.8 on an idle two-core machine
 */
export function spareCores(options: { cores?: number; read?: () => CpuSnapshot; now?: () => number } = {}): () => number {
  const cores = Math.max(1, options.cores ?? cpus().length);
  const snapshot = options.read ?? readCpuTimes;
  const now = options.now ?? (() => performance.now());
  let last = snapshot();
  let spare = cores;
  return () => {
    if (now() - last.at < sampleMs) return spare;
    const current = snapshot();
    const elapsed = current.at - last.at;
    const others = Math.max(0, current.machineBusy - last.machineBusy - (current.ownBusy - last.ownBusy)) / elapsed;
    spare = Math.max(0, cores - others);
    last = current;
    return spare;
  };
}
