import type { Logger } from 'pino';
import type { OutcropConfig } from '../config/config.js';
import type { CatalogOptions } from '../core/models/catalog.js';
import type { InferenceProfileLookup, UsageRecord } from '../core/models/inference-profiles/inference-profile.js';

/**
 * The catalog's hooks as the server wires them: routing's hidden failures and health changes go
 * to the log; usage through application inference profiles goes to `onUsage`, or else to the log
 * as one structured `inference profile usage` line per call (for metering to pick up).
 */
export function catalogOptions(config: OutcropConfig, logger: Logger, profiles: InferenceProfileLookup, onUsage?: (record: UsageRecord) => void): CatalogOptions {
  return {
    profiles,
    onUsage: onUsage ?? ((record) => logger.info({ usage: record }, 'inference profile usage')),
    ...(config.routing.healthCheck ? { healthCheck: config.routing.healthCheck } : {}),
    onFailover: (event) =>
      logger.warn({ model: event.model, deployment: event.deployment, attempt: event.attempt, err: event.error }, 'a deployment failed; routing the call on'),
    onHealthChange: (provider, healthy, error) =>
      logger.warn({ provider, healthy, err: error }, healthy ? 'provider passed its health check again' : 'provider failed its health check'),
  };
}
