import type { RetrievalFilter } from '../../knowledge/index/retrieval-filter.js';
import type { KnowledgeBaseLookup } from '../../knowledge/registry/knowledge-base-lookup.js';
import { retrieveChunks } from '../../knowledge/retrieval/retrieve-chunks.js';
import type { RetrievedReference } from './agent-events.js';
import type { KnowledgeSearch } from './agent-ports.js';

/**
 * Knowledge-base retrieval as an agent tool, over the knowledge-base registry and the retriever:
 * `vectorSearchConfiguration.numberOfResults`, `overrideSearchType` and `filter` are honoured;
 * reranking inside an agent is refused with a message the model and the trace see.
 *
 * @example
 * const knowledge = knowledgeLookupSearch(knowledgeBases);
 */
export function knowledgeLookupSearch(lookup: KnowledgeBaseLookup): KnowledgeSearch {
  return {
    async search(request, signal): Promise<RetrievedReference[]> {
      const search = (request.retrievalConfiguration?.vectorSearchConfiguration ?? {}) as {
        numberOfResults?: number;
        overrideSearchType?: 'HYBRID' | 'SEMANTIC';
        filter?: unknown;
        rerankingConfiguration?: unknown;
      };
      if (search.rerankingConfiguration) throw new Error('reranking is not supported for knowledge bases used by agents on this server.');
      const chunks = await retrieveChunks(lookup, {
        knowledgeBaseId: request.knowledgeBaseId,
        query: request.text,
        ...(search.numberOfResults === undefined ? {} : { numberOfResults: search.numberOfResults }),
        ...(search.overrideSearchType ? { searchType: search.overrideSearchType } : {}),
        ...(search.filter === undefined ? {} : { filter: search.filter as RetrievalFilter }),
        abortSignal: signal,
      });
      return chunks.map((chunk) => ({
        content: { type: 'TEXT' as const, text: chunk.text },
        location: chunk.location,
        ...(Object.keys(chunk.metadata).length ? { metadata: chunk.metadata as Record<string, unknown> } : {}),
      }));
    },
  };
}
