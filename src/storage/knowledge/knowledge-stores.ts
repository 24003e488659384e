import type { ConversationSessionRepository } from '../../core/knowledge/generation/conversation-sessions-repository.js';
import type { ChunkIndex } from '../../core/knowledge/index/chunk-index.js';
import type { KnowledgeBaseRepository } from '../../core/knowledge/registry/knowledge-base-record.js';

/**
 * The knowledge-base stores over one database: the registry's records, the chunk index, and
 * RetrieveAndGenerate's conversation sessions.
 */
export interface KnowledgeStores {
  repository: KnowledgeBaseRepository;
  index: ChunkIndex;
  sessions: ConversationSessionRepository;
}
