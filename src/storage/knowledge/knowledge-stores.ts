import type { ChunkIndex } from '../../core/knowledge/index/chunk-index.js';
import type { KnowledgeBaseRepository } from '../../core/knowledge/registry/knowledge-base-record.js';

/** The two knowledge-base stores over one database: the registry's records and the chunk index. */
export interface KnowledgeStores {
  repository: KnowledgeBaseRepository;
  index: ChunkIndex;
}
