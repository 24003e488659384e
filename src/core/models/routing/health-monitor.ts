/** Active health checks: how often, how long one may take, how many failures mark a provider down. */
export interface HealthCheckOptions {
  intervalMs: number;
  /** default 5 s */
  timeoutMs?: number;
  /** consecutive failed checks that mark a provider unhealthy (default 1); one passing check marks it healthy */
  unhealthyThreshold?: number;
}

/** Something to check: a provider and its cheap health endpoint. */
export interface HealthTarget {
  name: string;
  check(signal: AbortSignal): Promise<void>;
}

/**
 * Checks each target every `intervalMs` and keeps a verdict the router reads synchronously. A
 * target counts as healthy until checks say otherwise. Timers are unref'd and stop with `stop()`.
 *
 * @example
 * const monitor = new HealthMonitor([{ name: 'vllm', check: (signal) => provider.healthCheck!(signal) }], { intervalMs: 10_000 });
 * monitor.start();
 * monitor.isHealthy('vllm');
 */
export class HealthMonitor {
  private readonly verdicts = new Map<string, { healthy: boolean; failures: number }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly targets: HealthTarget[],
    private readonly options: HealthCheckOptions,
    private readonly onChange?: (name: string, healthy: boolean, error?: unknown) => void,
  ) {}

  readonly isHealthy = (name: string): boolean => this.verdicts.get(name)?.healthy ?? true;

  start(): void {
    if (this.timer || this.targets.length === 0) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
  }

  /** Runs one round of checks (a round still running is joined, not doubled). */
  checkAll(): Promise<void> {
    this.running ??= Promise.all(this.targets.map((target) => this.checkOne(target))).then(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async checkOne(target: HealthTarget): Promise<void> {
    const verdict = this.verdicts.get(target.name) ?? { healthy: true, failures: 0 };
    this.verdicts.set(target.name, verdict);
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`the health check took longer than ${timeoutMs} ms`)), timeoutMs);
    try {
      await target.check(AbortSignal.any([this.stopping.signal, timeout.signal]));
      verdict.failures = 0;
      if (!verdict.healthy) {
        verdict.healthy = true;
        this.onChange?.(target.name, true);
      }
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      verdict.failures++;
      if (verdict.healthy && verdict.failures >= (this.options.unhealthyThreshold ?? 1)) {
        verdict.healthy = false;
        this.onChange?.(target.name, false, error);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
