/**
 * How a routed model spreads calls over its deployments and recovers from their failures.
 *
 * @example
 * const policy: RoutingPolicy = { ...defaultRoutingPolicy, maxAttempts: 4 };
 */
export interface RoutingPolicy {
  /** calls made for one request, counting the first (failover and retries alike) */
  maxAttempts: number;
  /** backoff before a retry round: a random wait up to `baseDelayMs * 2^round` (full jitter) */
  baseDelayMs: number;
  /** the most a backoff waits */
  maxDelayMs: number;
  /** the most a backend's `Retry-After` makes a request wait */
  maxRetryDelayMs: number;
  /** consecutive retryable failures that open a deployment's circuit */
  failureThreshold: number;
  /** how long an open circuit keeps its deployment out before one trial call */
  cooldownMs: number;
}

export const defaultRoutingPolicy: RoutingPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  maxRetryDelayMs: 5_000,
  failureThreshold: 3,
  cooldownMs: 30_000,
};

/** One backend that can serve a catalog model. */
export interface DeploymentTarget {
  /** a configured provider name */
  provider: string;
  /** the model name that provider knows */
  upstreamModel: string;
  /** share of calls within its priority tier (default 1) */
  weight: number;
  /** lower tiers are tried first (default 0); higher tiers take over when a whole tier fails */
  priority: number;
}

/** A deployment with the model object that calls it. */
export interface Deployment<M> extends DeploymentTarget {
  /** `provider/upstreamModel`, for logs and errors */
  name: string;
  model: M;
}

/** What the router reads from its surroundings; tests pass a fake clock and a seeded random. */
export interface RouterEnvironment {
  now(): number;
  /** uniform in [0, 1) */
  random(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** active health checks' verdict on a provider (absent: every provider counts as healthy) */
  isHealthy?(provider: string): boolean;
  /** told about every failure the client does not see */
  onFailover?(event: FailoverEvent): void;
}

export interface FailoverEvent {
  model: string;
  deployment: string;
  attempt: number;
  error: unknown;
}
