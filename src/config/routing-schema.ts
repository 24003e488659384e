import { z } from 'zod';
import { type RoutingPolicy, defaultRoutingPolicy } from '../core/models/routing/routing-policy.js';

/** One backend of a model with `deployments` (instead of `provider`/`upstreamModel`). */
export const deploymentSchema = z.object({
  provider: z.string().min(1),
  /** default: the model's `id` */
  upstreamModel: z.string().min(1).optional(),
  /** share of calls within its priority tier */
  weight: z.number().positive().default(1),
  /** lower tiers are tried first */
  priority: z.number().int().nonnegative().default(0),
});

/** Retry, backoff and circuit-breaker settings; every key optional (a model's own override the top-level ones). */
export const routingPolicySchema = z.object({
  maxAttempts: z.number().int().positive().optional(),
  baseDelayMs: z.number().int().nonnegative().optional(),
  maxDelayMs: z.number().int().nonnegative().optional(),
  maxRetryDelayMs: z.number().int().nonnegative().optional(),
  failureThreshold: z.number().int().positive().optional(),
  cooldownMs: z.number().int().nonnegative().optional(),
});

/** Top-level `routing:`: defaults for every model with deployments, and active health checks. */
export const routingSchema = routingPolicySchema
  .extend({
    /** `GET /models` (or the provider's own cheap call) every `intervalMs` on each provider that deployments use */
    healthCheck: z
      .object({
        intervalMs: z.number().int().positive(),
        timeoutMs: z.number().int().positive().optional(),
        unhealthyThreshold: z.number().int().positive().optional(),
      })
      .optional(),
  })
  .prefault({});

/** `storage:` — where Outcrop keeps what clients create (inference profiles, ...). */
export const storageSchema = z
  .object({
    driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** sqlite: a file path (default `<dataDir>/outcrop.db`); postgres: a connection string (required) */
    url: z.string().min(1).optional(),
  })
  .refine((storage) => storage.driver !== 'postgres' || storage.url !== undefined, { message: 'storage.driver postgres needs storage.url' })
  .prefault({});

/** A model's routing policy: its own settings over the top-level ones over the defaults. */
export function routingPolicyOf(...layers: (z.infer<typeof routingPolicySchema> | undefined)[]): RoutingPolicy {
  const policy = { ...defaultRoutingPolicy };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (key in policy && typeof value === 'number') policy[key as keyof RoutingPolicy] = value;
    }
  }
  return policy;
}
