import type { EmbeddingModel } from '../../inference/embedding-model.js';
import type { ChunkIndex } from '../index/chunk-index.js';
import type { KnowledgeBaseRecord } from './knowledge-base-record.js';

/**
 * What retrieval needs from the knowledge-base registry: the record, its embedding model, and the
 * chunk index. `KnowledgeBases` (the registry) implements it.
 */
export interface KnowledgeBaseLookup {
  /** the knowledge base; throws `ResourceNotFoundException` naming the id when there is none */
  get(knowledgeBaseId: string): Promise<KnowledgeBaseRecord>;
  /** the embedding model the knowledge base was configured with (its `embeddingModelArn`) */
  embeddingModel(record: KnowledgeBaseRecord): EmbeddingModel;
  readonly index: ChunkIndex;
}
