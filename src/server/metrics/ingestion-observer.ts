import type { IngestionObserver } from '../../core/knowledge/ingestion/ingestion-observer.js';
import type { OutcropMetrics } from './metrics.js';

/**
 * Records knowledge-base ingestion in the server's metrics: each document's time per stage
 * (`outcrop_knowledge_ingestion_stage_duration_seconds{stage}`), the chunks indexed
 * (`outcrop_knowledge_ingestion_chunks_total`) and how many of them were embedded
 * (`outcrop_knowledge_ingestion_chunks_embedded_total`; the rest kept their stored vectors).
 *
 * @example
 * const knowledgeBases = new KnowledgeBases({ ...stores, observer: createIngestionObserver(metrics) });
 */
export function createIngestionObserver(metrics: OutcropMetrics): IngestionObserver {
  return {
    stageTimed: (stage, seconds) => metrics.knowledgeIngestionStageSeconds.observe({ stage }, seconds),
    documentIndexed: (chunks, embedded) => {
      metrics.knowledgeIngestionChunks.inc(chunks);
      metrics.knowledgeIngestionChunksEmbedded.inc(embedded);
    },
  };
}
