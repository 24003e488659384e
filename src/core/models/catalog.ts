import { OutcropError } from '../errors.js';
import type { EmbeddingModel } from '../inference/embedding-model.js';
import type { LanguageModel, ModelCapabilities } from '../inference/language-model.js';
import type { RerankingModel } from '../inference/reranking-model.js';
import type { ApplicationInferenceProfile, InferenceProfileLookup, UsageRecord } from './inference-profiles/inference-profile.js';
import { withEmbeddingUsageReporting, withUsageReporting } from './inference-profiles/report-usage.js';
import type { Provider } from './provider.js';
import { CatalogRouting, type CatalogRoutingOptions } from './routing/catalog-routing.js';
import type { DeploymentTarget, RoutingPolicy } from './routing/routing-policy.js';

export type Modality = 'TEXT' | 'IMAGE' | 'EMBEDDING';

/** One model as the catalog knows it. */
export interface CatalogModel {
  /** the ID clients call; Bedrock-style IDs are fine (`meta.llama3-1-8b-instruct-v1:0`) */
  id: string;
  /** a text (chat) model, an embedding model or a reranking model */
  kind: 'text' | 'embedding' | 'rerank';
  name: string;
  /** shown as `providerName` by ListFoundationModels */
  providerName: string;
  /** the configured provider instance that serves it */
  provider: string;
  /** the model name the backend knows */
  upstreamModel: string;
  /** the native InvokeModel body family (`anthropic`, `meta`, ...) */
  family: string;
  inputModalities: Modality[];
  outputModalities: Modality[];
  streaming: boolean;
  capabilities: ModelCapabilities;
  /** other IDs (Bedrock model IDs, ARNs) that resolve to this model */
  aliases: string[];
  /** embedding models: the native vector size, when configured */
  dimensions?: number;
  /** several backends serving the model (`provider`/`upstreamModel` then name the first) */
  deployments?: DeploymentTarget[];
  /** how calls spread over `deployments` and recover from their failures */
  routing?: RoutingPolicy;
}

/** What the catalog may be given besides its entries and providers. */
export interface CatalogOptions extends CatalogRoutingOptions {
  /** application inference profiles, looked up on every call */
  profiles?: InferenceProfileLookup;
  /** told the token usage of each call made through an application inference profile */
  onUsage?: (record: UsageRecord) => void;
}

/** A resolved model: the catalog entry, the ID the client asked for, and the model to call. */
export interface ResolvedModel<M = LanguageModel> {
  entry: CatalogModel;
  requestedId: string;
  /** the family implied by the ID the client used (an alias `anthropic.*` speaks Anthropic bodies) */
  family: string;
  model: M;
  /** the application inference profile the client called through */
  profile?: ApplicationInferenceProfile;
}

const arnPattern = /^arn:aws(?:-[a-z]+)*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model|imported-model|default-prompt-router|prompt-router)\/(.+)$/;
const profilePrefix = /^(?:us|eu|apac|us-gov|ca|jp|au|global)\.(.+)$/;

/**
 * Bedrock model IDs and the native InvokeModel body family each implies. First match wins; the
 * names are the keys of the family codec registries in services/runtime/families/.
 */
const familyPatterns: [RegExp, string][] = [
  [/^anthropic\./, 'anthropic'],
  [/^amazon\.nova-/, 'amazon-nova'],
  [/^amazon\.titan-embed-text-v1/, 'amazon-titan-embed-v1'],
  [/^amazon\.titan-embed-(text-v2|g1-text)/, 'amazon-titan-embed-v2'],
  [/^amazon\.titan-text-/, 'amazon-titan-text'],
  [/^meta\./, 'meta'],
  [/^mistral\.(mistral-large-2407|mistral-large-2411|pixtral)/, 'mistral-chat'],
  [/^mistral\./, 'mistral'],
  [/^cohere\.embed-/, 'cohere-embed'],
  [/^cohere\.rerank-/, 'cohere-rerank'],
  [/^amazon\.rerank-/, 'amazon-rerank'],
  [/^cohere\.command-r/, 'cohere-command-r'],
  [/^ai21\.jamba/, 'ai21-jamba'],
  [/^deepseek\./, 'deepseek'],
  [/^openai\./, 'openai'],
];

/** The body family a Bedrock-style ID implies (`anthropic.claude-...` -> `anthropic`), if any. */
export function familyOfId(id: string): string | undefined {
  return familyPatterns.find(([pattern]) => pattern.test(id))?.[1];
}

/**
 * The model catalog: resolves the IDs clients send (IDs, aliases, ARNs, inference-profile IDs) to a
 * configured model and its provider.
 */
export class ModelCatalog {
  private readonly byId = new Map<string, CatalogModel>();
  private readonly models = new Map<string, LanguageModel>();
  private readonly embeddingModels = new Map<string, EmbeddingModel>();
  private readonly rerankingModels = new Map<string, RerankingModel>();
  private readonly routing: CatalogRouting;

  constructor(
    readonly entries: CatalogModel[],
    private readonly providers: Map<string, Provider>,
    private readonly options: CatalogOptions = {},
  ) {
    for (const entry of entries) {
      for (const { provider } of entry.deployments ?? [entry]) {
        if (!providers.has(provider)) throw new Error(`model ${entry.id}: provider '${provider}' is not configured`);
      }
      for (const id of [entry.id, ...entry.aliases]) {
        if (this.byId.has(id)) throw new Error(`model ID '${id}' is configured twice`);
        this.byId.set(id, entry);
      }
    }
    this.routing = new CatalogRouting(entries, providers, options);
  }

  /** Looks up a catalog entry by any of the IDs a Bedrock client may send, application inference profiles included. */
  find(requestedId: string): { entry: CatalogModel; matchedId: string; profile?: ApplicationInferenceProfile } | undefined {
    const profile = this.options.profiles?.findApplicationProfile(requestedId);
    if (profile) {
      const found = this.findModel(profile.modelSource);
      return found && { ...found, profile };
    }
    return this.findModel(requestedId);
  }

  private findModel(requestedId: string): { entry: CatalogModel; matchedId: string } | undefined {
    let id = requestedId;
    for (let step = 0; step < 3; step++) {
      const entry = this.byId.get(id);
      if (entry) return { entry, matchedId: id };
      const arn = arnPattern.exec(id);
      if (arn?.[1]) {
        id = arn[1];
        continue;
      }
      const profile = profilePrefix.exec(id);
      if (profile?.[1]) {
        id = profile[1];
        continue;
      }
      break;
    }
    return undefined;
  }

  /** Resolves a text model for inference, or throws Bedrock's error for an unknown identifier. */
  resolve(requestedId: string): ResolvedModel {
    const { entry, family, profile } = this.lookup(requestedId);
    if (entry.kind !== 'text') {
      const kind = entry.kind === 'rerank' ? 'a reranking' : 'an embedding';
      throw new OutcropError('ValidationException', `The model ${requestedId} is ${kind} model; it does not support this operation.`);
    }
    let model = this.models.get(entry.id);
    if (!model) {
      const provider = this.providers.get(entry.provider) as Provider;
      if (entry.deployments) model = this.routing.languageModel(entry);
      else if (!provider.languageModel) throw new OutcropError('ValidationException', `The provider of ${requestedId} serves no text models.`);
      else model = provider.languageModel(entry.upstreamModel, entry.capabilities);
      this.models.set(entry.id, model);
    }
    if (!profile) return { entry, requestedId, family, model };
    const reporter = this.usageReporter(profile, entry);
    return { entry, requestedId, family, model: reporter ? withUsageReporting(model, reporter) : model, profile };
  }

  /** Resolves an embedding model (any ID form), or throws Bedrock's error. */
  resolveEmbedding(requestedId: string): ResolvedModel<EmbeddingModel> {
    const { entry, family, profile } = this.lookup(requestedId);
    if (entry.kind !== 'embedding') {
      throw new OutcropError('ValidationException', `The model ${requestedId} is not an embedding model.`);
    }
    let model = this.embeddingModels.get(entry.id);
    if (!model) {
      const provider = this.providers.get(entry.provider) as Provider;
      if (entry.deployments) model = this.routing.embeddingModel(entry);
      else if (!provider.embeddingModel) throw new OutcropError('ValidationException', `The provider of ${requestedId} serves no embedding models.`);
      else model = provider.embeddingModel(entry.upstreamModel, entry.dimensions === undefined ? {} : { dimensions: entry.dimensions });
      this.embeddingModels.set(entry.id, model);
    }
    if (!profile) return { entry, requestedId, family, model };
    const reporter = this.usageReporter(profile, entry);
    return { entry, requestedId, family, model: reporter ? withEmbeddingUsageReporting(model, reporter) : model, profile };
  }

  /** Resolves a reranking model (any ID form), or throws Bedrock's error. */
  resolveReranking(requestedId: string): ResolvedModel<RerankingModel> {
    const { entry, family } = this.lookup(requestedId);
    if (entry.kind !== 'rerank') throw new OutcropError('ValidationException', `The model ${requestedId} is not a reranking model.`);
    let model = this.rerankingModels.get(entry.id);
    if (!model) {
      const provider = this.providers.get(entry.provider) as Provider;
      if (!provider.rerankingModel) throw new OutcropError('ValidationException', `The provider of ${requestedId} serves no reranking models.`);
      model = provider.rerankingModel(entry.upstreamModel);
      this.rerankingModels.set(entry.id, model);
    }
    return { entry, requestedId, family, model };
  }

  private lookup(requestedId: string): { entry: CatalogModel; family: string; profile?: ApplicationInferenceProfile } {
    const found = this.find(requestedId);
    if (!found) {
      if (this.entries.length === 0) {
        throw new OutcropError(
          'ValidationException',
          `The provided model identifier is invalid: no models are configured. Add one under 'models:' in outcrop.yaml (see the README's configuration section).`,
        );
      }
      throw new OutcropError('ValidationException', `The provided model identifier is invalid: '${requestedId}' is not in this server's model catalog.`);
    }
    const { entry, matchedId, profile } = found;
    const family = matchedId === entry.id ? entry.family : (familyOfId(matchedId) ?? entry.family);
    return profile ? { entry, family, profile } : { entry, family };
  }

  /** Reports a call's usage tagged with the application inference profile it came through. */
  private usageReporter(profile: ApplicationInferenceProfile, entry: CatalogModel): ((usage: { inputTokens: number; outputTokens: number }) => void) | undefined {
    const onUsage = this.options.onUsage;
    if (!onUsage) return undefined;
    const tags = Object.fromEntries(profile.tags.map((tag) => [tag.key, tag.value]));
    return (usage) =>
      onUsage({ profileArn: profile.arn, profileId: profile.id, modelId: entry.id, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, tags });
  }

  /** Starts the active health checks of routed models' providers, if configured. */
  startHealthChecks(): void {
    this.routing.startHealthChecks();
  }

  /** Runs one round of health checks now. */
  checkHealth(): Promise<void> {
    return this.routing.checkHealth();
  }

  async close(): Promise<void> {
    this.routing.stop();
    await Promise.all([...this.providers.values()].map((provider) => provider.close()));
  }
}
