import { OutcropError } from '../../errors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../../inference/language-model.js';
import type { Provider } from '../provider.js';
import { systemRouterEnvironment } from './deployment-router.js';
import { type HealthCheckOptions, HealthMonitor } from './health-monitor.js';
import { RoutedEmbeddingModel } from './routed-embedding-model.js';
import { RoutedLanguageModel } from './routed-language-model.js';
import { type Deployment, type DeploymentTarget, type FailoverEvent, type RouterEnvironment, type RoutingPolicy, defaultRoutingPolicy } from './routing-policy.js';

/** What routing needs of a catalog entry that has deployments. */
export interface RoutedEntry {
  id: string;
  capabilities: ModelCapabilities;
  deployments?: DeploymentTarget[];
  routing?: RoutingPolicy;
  dimensions?: number;
}

export interface CatalogRoutingOptions {
  /** active health checks of the providers that deployments use (none when absent) */
  healthCheck?: HealthCheckOptions;
  /** told about failures that routing hid from the client */
  onFailover?: (event: FailoverEvent) => void;
  /** told when a provider's health-check verdict changes */
  onHealthChange?: (provider: string, healthy: boolean, error?: unknown) => void;
  /** the clock, randomness and timer (tests pass fakes) */
  environment?: Partial<RouterEnvironment>;
}

/**
 * Builds routed models for catalog entries with `deployments` and runs the health checks of the
 * providers those deployments use.
 */
export class CatalogRouting {
  private readonly monitor: HealthMonitor | undefined;
  private readonly environment: RouterEnvironment;

  constructor(
    entries: RoutedEntry[],
    private readonly providers: Map<string, Provider>,
    options: CatalogRoutingOptions = {},
  ) {
    const names = new Set(entries.flatMap((entry) => (entry.deployments ?? []).map((deployment) => deployment.provider)));
    const targets = [...names].flatMap((name) => {
      const provider = providers.get(name);
      const check = provider?.healthCheck?.bind(provider);
      return check ? [{ name, check }] : [];
    });
    this.monitor = options.healthCheck && targets.length > 0 ? new HealthMonitor(targets, options.healthCheck, options.onHealthChange) : undefined;
    this.environment = {
      ...systemRouterEnvironment,
      ...(this.monitor ? { isHealthy: this.monitor.isHealthy } : {}),
      ...(options.onFailover ? { onFailover: options.onFailover } : {}),
      ...options.environment,
    };
  }

  languageModel(entry: RoutedEntry): LanguageModel {
    const deployments = this.deployments(entry, (provider, target) => provider.languageModel?.(target.upstreamModel, entry.capabilities));
    return new RoutedLanguageModel(entry.id, entry.capabilities, deployments, entry.routing ?? defaultRoutingPolicy, this.environment);
  }

  embeddingModel(entry: RoutedEntry): EmbeddingModel {
    const settings = entry.dimensions === undefined ? {} : { dimensions: entry.dimensions };
    const deployments = this.deployments(entry, (provider, target) => provider.embeddingModel?.(target.upstreamModel, settings));
    return new RoutedEmbeddingModel(entry.id, deployments, entry.routing ?? defaultRoutingPolicy, this.environment);
  }

  startHealthChecks(): void {
    this.monitor?.start();
  }

  /** Runs one round of health checks now (tests, and a first verdict at start). */
  async checkHealth(): Promise<void> {
    await this.monitor?.checkAll();
  }

  stop(): void {
    this.monitor?.stop();
  }

  private deployments<M>(entry: RoutedEntry, create: (provider: Provider, target: DeploymentTarget) => M | undefined): Deployment<M>[] {
    return (entry.deployments ?? []).map((target) => {
      const model = create(this.providers.get(target.provider) as Provider, target);
      if (model === undefined) throw new OutcropError('ValidationException', `The provider ${target.provider} of ${entry.id} cannot serve this kind of model.`);
      return { ...target, name: `${target.provider}/${target.upstreamModel}`, model };
    });
  }
}
