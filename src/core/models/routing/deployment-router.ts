import { OutcropError } from '../../errors.js';
import { backoffDelay } from './backoff-delay.js';
import { type CircuitPermit, CircuitBreaker } from './circuit-breaker.js';
import { isRetryableFailure, retryAfterMs } from './is-retryable-failure.js';
import { pickDeployment } from './pick-deployment.js';
import type { Deployment, RouterEnvironment, RoutingPolicy } from './routing-policy.js';

/** A deployment with its health: its circuit and how long a `Retry-After` keeps it out. */
export class DeploymentState<M> {
  readonly breaker: CircuitBreaker;
  /** no calls before this time (a backend's `Retry-After`) while others can take them */
  coolingUntil = 0;

  constructor(
    readonly deployment: Deployment<M>,
    policy: RoutingPolicy,
  ) {
    this.breaker = new CircuitBreaker(policy);
  }

  get weight(): number {
    return this.deployment.weight;
  }

  get priority(): number {
    return this.deployment.priority;
  }
}

/** One call handed to a deployment. */
export interface Attempt<M> {
  deployment: Deployment<M>;
  /**
   * Says the call's outcome is known only later (a stream handed to the client): the router then
   * records nothing when the call returns, and the caller settles the outcome once it is known.
   */
  defer(): Settle;
}

/** How a deferred call ended; only the first report counts. */
export interface Settle {
  succeeded(): void;
  failed(error: unknown): void;
  /** the client left before the end */
  abandoned(): void;
}

/**
 * Runs calls over a model's deployments: picks by priority tier then weight, skips deployments
 * whose circuit is open or whose provider fails its health checks, fails over on retryable errors
 * without the client seeing them, and backs off (full jitter, or the backend's `Retry-After` up to
 * `maxRetryDelayMs`) before trying a set of deployments again, within `maxAttempts` calls.
 */
export class DeploymentRouter<M> {
  readonly states: DeploymentState<M>[];

  constructor(
    readonly modelName: string,
    deployments: Deployment<M>[],
    private readonly policy: RoutingPolicy,
    private readonly environment: RouterEnvironment,
  ) {
    if (deployments.length === 0) throw new Error(`model ${modelName}: a routed model needs at least one deployment`);
    this.states = deployments.map((deployment) => new DeploymentState(deployment, policy));
  }

  /**
   * Calls `call` on one deployment after another until one succeeds, a failure is not retryable,
   * or the attempts run out; the last failure is what the caller sees.
   */
  async run<T>(call: (attempt: Attempt<M>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { environment, policy } = this;
    const tried = new Set<DeploymentState<M>>();
    let lastError: unknown;
    let round = 0;
    for (let attempt = 1; ; attempt++) {
      let state = this.pick(tried);
      if (!state) {
        // Every deployment that may take a call has been tried (or waits out a Retry-After): wait, then go round again.
        const waiting = this.candidates();
        if (waiting.length === 0) throw lastError ?? this.unavailable();
        const cooling = Math.min(...waiting.map((candidate) => candidate.coolingUntil)) - environment.now();
        const backoff = tried.size > 0 ? backoffDelay(round++, policy, environment.random) : 0;
        tried.clear();
        if (Math.max(backoff, cooling) > 0) await environment.sleep(Math.max(backoff, cooling), signal);
        state = this.pick(tried) ?? this.pick(tried, { ignoreCooling: true });
        if (!state) throw lastError ?? this.unavailable();
      }
      const permit = state.breaker.acquire(environment.now());
      let deferred = false;
      const settle = this.settleOn(state, permit);
      const defer = () => {
        deferred = true;
        return settle;
      };
      try {
        const result = await call({ deployment: state.deployment, defer });
        if (!deferred) state.breaker.succeed(permit);
        return result;
      } catch (error) {
        if (signal?.aborted) {
          state.breaker.release(permit);
          throw error;
        }
        if (!isRetryableFailure(error)) {
          // The backend answered: it is up, the request is what failed.
          state.breaker.succeed(permit);
          throw error;
        }
        this.recordFailure(state, permit, error);
        lastError = error;
        tried.add(state);
        environment.onFailover?.({ model: this.modelName, deployment: state.deployment.name, attempt, error });
        if (attempt >= policy.maxAttempts) throw error;
      }
    }
  }

  private settleOn(state: DeploymentState<M>, permit: CircuitPermit): Settle {
    let settled = false;
    const settleOnce = (record: () => void) => {
      if (settled) return;
      settled = true;
      record();
    };
    return {
      succeeded: () => settleOnce(() => state.breaker.succeed(permit)),
      abandoned: () => settleOnce(() => state.breaker.release(permit)),
      failed: (error) =>
        settleOnce(() => (isRetryableFailure(error) ? this.recordFailure(state, permit, error) : state.breaker.succeed(permit))),
    };
  }

  private recordFailure(state: DeploymentState<M>, permit: CircuitPermit, error: unknown): void {
    const now = this.environment.now();
    state.breaker.fail(permit, now);
    const wait = retryAfterMs(error);
    if (wait !== undefined) state.coolingUntil = now + Math.min(wait, this.policy.maxRetryDelayMs);
  }

  /** Deployments whose circuit lets a call through, healthy ones only unless none is (then all). */
  private candidates(): DeploymentState<M>[] {
    const now = this.environment.now();
    const available = this.states.filter((state) => state.breaker.isAvailable(now));
    const isHealthy = this.environment.isHealthy;
    if (!isHealthy) return available;
    const healthy = available.filter((state) => isHealthy(state.deployment.provider));
    return healthy.length > 0 ? healthy : available;
  }

  private pick(tried: Set<DeploymentState<M>>, { ignoreCooling = false } = {}): DeploymentState<M> | undefined {
    const now = this.environment.now();
    const fresh = this.candidates().filter((state) => !tried.has(state) && (ignoreCooling || state.coolingUntil <= now));
    return pickDeployment(fresh, this.environment.random);
  }

  private unavailable(): OutcropError {
    const now = this.environment.now();
    const reopens = Math.min(...this.states.map((state) => state.breaker.reopensAt()));
    return new OutcropError('ServiceUnavailableException', `No deployment of ${this.modelName} is available: every one has failed recently. Retry shortly.`, {
      retryAfterSeconds: Math.max(1, Math.ceil((reopens - now) / 1000)),
    });
  }
}

/** The real clock, `Math.random` and an abortable timer. */
export const systemRouterEnvironment: RouterEnvironment = {
  now: () => Date.now(),
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
