import { OutcropError } from '../../errors.js';
import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { JsonObject } from './knowledge-base-record.js';

/** Resolves an embedding model id or ARN (the model catalog). */
export interface EmbeddingModelResolver {
  resolveEmbedding(id: string): { model: EmbeddingModel };
}

/** The member of `storageConfiguration` each Bedrock storage type requires. */
const storageMembers: Record<string, string> = {
  OPENSEARCH_SERVERLESS: 'opensearchServerlessConfiguration',
  OPENSEARCH_MANAGED_CLUSTER: 'opensearchManagedClusterConfiguration',
  PINECONE: 'pineconeConfiguration',
  REDIS_ENTERPRISE_CLOUD: 'redisEnterpriseCloudConfiguration',
  RDS: 'rdsConfiguration',
  MONGO_DB_ATLAS: 'mongoDbAtlasConfiguration',
  NEPTUNE_ANALYTICS: 'neptuneAnalyticsConfiguration',
  S3_VECTORS: 's3VectorsConfiguration',
};

/**
 * Checks a knowledge base's `knowledgeBaseConfiguration` and `storageConfiguration` (Bedrock's wire
 * form) and returns the vector size. Only `VECTOR` knowledge bases are served (KENDRA, SQL and
 * MANAGED are refused). The embedding model (ID or ARN) must resolve in the catalog to an embedding
 * model; `dimensions`, when given, must be the model's own size (vectors are never cut short), and
 * only `FLOAT32` vectors are stored. `storageConfiguration` is accepted in every Bedrock shape whose
 * `type` has its member, and kept as given, but vectors always go to Outcrop's configured chunk
 * index (SQLite or PostgreSQL), whatever store it names.
 *
 * @example
 * const { dimensions } = checkKnowledgeBaseConfiguration({ type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'amazon.titan-embed-text-v2:0' } }, undefined, catalog);
 */
export function checkKnowledgeBaseConfiguration(
  configuration: JsonObject,
  storage: JsonObject | undefined,
  catalog: EmbeddingModelResolver,
): { dimensions: number; model: EmbeddingModel } {
  if (configuration.type !== 'VECTOR') {
    throw new OutcropError('ValidationException', `Knowledge bases of type ${String(configuration.type)} are not supported by this server; use type VECTOR.`);
  }
  const vector = configuration.vectorKnowledgeBaseConfiguration as
    | { embeddingModelArn?: string; embeddingModelConfiguration?: { bedrockEmbeddingModelConfiguration?: { dimensions?: number; embeddingDataType?: string; audio?: unknown; video?: unknown } }; supplementalDataStorageConfiguration?: unknown }
    | undefined;
  if (!vector?.embeddingModelArn) throw new OutcropError('ValidationException', 'knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn is required for a VECTOR knowledge base.');
  if (vector.supplementalDataStorageConfiguration !== undefined) {
    throw new OutcropError('ValidationException', 'supplementalDataStorageConfiguration (multimodal image storage) is not supported by this server.');
  }
  let model: EmbeddingModel;
  try {
    model = catalog.resolveEmbedding(vector.embeddingModelArn).model;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OutcropError('ValidationException', `The embedding model ${vector.embeddingModelArn} cannot be used for this knowledge base: ${detail}`);
  }
  const settings = vector.embeddingModelConfiguration?.bedrockEmbeddingModelConfiguration;
  if (settings?.embeddingDataType !== undefined && settings.embeddingDataType !== 'FLOAT32') {
    throw new OutcropError('ValidationException', `embeddingDataType ${settings.embeddingDataType} is not supported by this server; use FLOAT32.`);
  }
  if (settings?.audio !== undefined || settings?.video !== undefined) {
    throw new OutcropError('ValidationException', 'Audio and video embedding configurations are not supported by this server.');
  }
  if (settings?.dimensions !== undefined && settings.dimensions !== model.dimensions) {
    throw new OutcropError(
      'ValidationException',
      `The embedding model ${vector.embeddingModelArn} produces ${model.dimensions}-dimensional vectors on this server; dimensions ${settings.dimensions} is not available.`,
    );
  }
  if (storage !== undefined) {
    const member = storageMembers[String(storage.type)];
    if (!member) throw new OutcropError('ValidationException', `storageConfiguration.type ${String(storage.type)} is not a known storage type.`);
    if (storage[member] === undefined) throw new OutcropError('ValidationException', `storageConfiguration.${member} is required when the storage type is ${String(storage.type)}.`);
  }
  return { dimensions: model.dimensions, model };
}
