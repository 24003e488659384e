import type { EmbedOptions, EmbedResult, EmbeddingModel } from '../../inference/embedding-model.js';
import { DeploymentRouter } from './deployment-router.js';
import type { Deployment, RouterEnvironment, RoutingPolicy } from './routing-policy.js';

/**
 * An embedding model served by several deployments, routed and failed over like
 * `RoutedLanguageModel`. Its deployments should produce vectors of one size; the first one's is
 * reported, and batches fit the smallest deployment.
 *
 * @example
 * const model = new RoutedEmbeddingModel('titan-v2', [a, b], defaultRoutingPolicy, systemRouterEnvironment);
 */
export class RoutedEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly dimensions: number;
  readonly maxBatchSize: number;
  readonly router: DeploymentRouter<EmbeddingModel>;

  constructor(
    readonly modelId: string,
    deployments: Deployment<EmbeddingModel>[],
    policy: RoutingPolicy,
    environment: RouterEnvironment,
  ) {
    this.router = new DeploymentRouter(modelId, deployments, policy, environment);
    this.provider = [...new Set(deployments.map((deployment) => deployment.provider))].join('|');
    this.dimensions = deployments[0]?.model.dimensions ?? 0;
    this.maxBatchSize = Math.min(...deployments.map((deployment) => deployment.model.maxBatchSize));
  }

  embed(options: EmbedOptions): Promise<EmbedResult> {
    return this.router.run(({ deployment }) => deployment.model.embed(options), options.abortSignal);
  }
}
