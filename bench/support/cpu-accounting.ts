import { readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const ticksPerSecond = 100;

/** CPU time a process has used so far (user + system), in milliseconds. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return ((user + system) * 1000) / ticksPerSecond;
}

/** Busy CPU time of the whole machine so far (every core, everything but idle and iowait), in milliseconds. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / ticksPerSecond;
}

/**
 * Measures how much CPU the benchmark's own processes used, and how much went to everything else
 * on the machine over the same interval: a high foreign share means the numbers are provisional.
 *
 * @example
 * const meter = new CpuMeter([outcrop.pid, upstream.pid]);
 * // ... run load ...
 * meter.read().foreignShare // 0.02
 */
export class CpuMeter {
  private readonly startedAt = performance.now();
  private readonly machineStart = machineBusyMs();
  private readonly ownStart: number;

  constructor(private readonly pids: number[]) {
    this.ownStart = this.ownMs();
  }

  private ownMs(): number {
    const self = process.cpuUsage();
    let total = (self.user + self.system) / 1000;
    for (const pid of this.pids) total += processCpuMs(pid);
    return total;
  }

  /** `foreignCores`: the average number of cores that other processes kept busy. */
  read(): { wallMs: number; ownMs: number; foreignMs: number; foreignShare: number; foreignCores: number } {
    const wallMs = performance.now() - this.startedAt;
    const ownMs = this.ownMs() - this.ownStart;
    const busyMs = machineBusyMs() - this.machineStart;
    const foreignMs = Math.max(0, busyMs - ownMs);
    return { wallMs, ownMs, foreignMs, foreignShare: busyMs > 0 ? foreignMs / busyMs : 0, foreignCores: wallMs > 0 ? foreignMs / wallMs : 0 };
  }
}
