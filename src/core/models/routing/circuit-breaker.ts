export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** consecutive failures that open the circuit */
  failureThreshold: number;
  /** how long the circuit stays open before it lets one trial call through */
  cooldownMs: number;
}

/** What `acquire` hands out: whether the call is the half-open trial. */
export interface CircuitPermit {
  trial: boolean;
}

/**
 * A circuit breaker for one deployment: `failureThreshold` consecutive failures open it; after
 * `cooldownMs` it is half-open and lets exactly one trial call through, whose success closes it and
 * whose failure opens it for another cool-down. Time is passed in, so tests need no real clock.
 *
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000 });
 * if (breaker.isAvailable(now)) {
 *   const permit = breaker.acquire(now);
 *   try { await call(); breaker.succeed(permit); } catch { breaker.fail(permit, Date.now()); }
 * }
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private trialStartedAt = 0;

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** The state at `now` (an open circuit whose cool-down has passed reads half-open). */
  state(now: number): CircuitState {
    if (this.current === 'open' && now - this.openedAt >= this.options.cooldownMs) return 'half-open';
    return this.current;
  }

  /** Whether a call may go through now. */
  isAvailable(now: number): boolean {
    const state = this.state(now);
    // A trial whose outcome never came back (a stream nobody finished) expires after a cool-down.
    return state === 'closed' || (state === 'half-open' && (!this.trialInFlight || now - this.trialStartedAt >= this.options.cooldownMs));
  }

  /** Takes a slot for a call; call only after `isAvailable` said yes. */
  acquire(now: number): CircuitPermit {
    if (this.state(now) === 'closed') return { trial: false };
    this.current = 'half-open';
    this.trialInFlight = true;
    this.trialStartedAt = now;
    return { trial: true };
  }

  succeed(permit: CircuitPermit): void {
    if (permit.trial) this.trialInFlight = false;
    // A call that started before the circuit opened says nothing about the backend now.
    if (this.current === 'open' || (this.current === 'half-open' && !permit.trial)) return;
    this.current = 'closed';
    this.failures = 0;
  }

  fail(permit: CircuitPermit, now: number): void {
    if (permit.trial) {
      this.trialInFlight = false;
      this.open(now);
      return;
    }
    if (this.current !== 'closed') return;
    this.failures++;
    if (this.failures >= this.options.failureThreshold) this.open(now);
  }

  /** Gives back a slot whose call ended neither way (the client left). */
  release(permit: CircuitPermit): void {
    if (permit.trial) this.trialInFlight = false;
  }

  /** When an open circuit next lets a trial through. */
  reopensAt(): number {
    return this.openedAt + this.options.cooldownMs;
  }

  private open(now: number): void {
    this.current = 'open';
    this.openedAt = now;
    this.failures = 0;
  }
}
