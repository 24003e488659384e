import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (never prom-client's global one). */
export interface OutcropMetrics {
  registry: Registry;
  /** one increment per policy and action of each intervention */
  guardrailInterventions: Counter<'guardrail_id' | 'guardrail_version' | 'source' | 'policy' | 'action'>;
  /** every evaluation's wall-clock time, by outcome (`none`, `intervened`, `error`) */
  guardrailEvaluationSeconds: Histogram<'guardrail_id' | 'source' | 'outcome'>;
  /** time one document spent in one ingestion stage (`read`, `parse`, `chunk`, `embed`, `index`) */
  knowledgeIngestionStageSeconds: Histogram<'stage'>;
  /** chunks written to knowledge-base indexes by ingestion */
  knowledgeIngestionChunks: Counter;
  /** of those, chunks the embedding model embedded (the others kept their stored vectors) */
  knowledgeIngestionChunksEmbedded: Counter;
}

/**
 * Creates the metrics registry: guardrail interventions and evaluation latency, plus Node's default
 * process metrics.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.guardrailInterventions.inc({ guardrail_id: 'abc', guardrail_version: 'DRAFT', source: 'INPUT', policy: 'wordPolicy', action: 'BLOCKED' });
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): OutcropMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'outcrop_' });
  return {
    registry,
    guardrailInterventions: new Counter({
      name: 'outcrop_guardrail_interventions_total',
      help: 'Guardrail interventions, one per policy and action that intervened.',
      labelNames: ['guardrail_id', 'guardrail_version', 'source', 'policy', 'action'] as const,
      registers: [registry],
    }),
    guardrailEvaluationSeconds: new Histogram({
      name: 'outcrop_guardrail_evaluation_duration_seconds',
      help: 'Time one guardrail evaluation took, by outcome.',
      labelNames: ['guardrail_id', 'source', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    knowledgeIngestionStageSeconds: new Histogram({
      name: 'outcrop_knowledge_ingestion_stage_duration_seconds',
      help: 'Time one document spent in one ingestion stage (read, parse, chunk, embed, index).',
      labelNames: ['stage'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
      registers: [registry],
    }),
    knowledgeIngestionChunks: new Counter({
      name: 'outcrop_knowledge_ingestion_chunks_total',
      help: 'Chunks written to knowledge-base indexes by ingestion jobs and direct ingestion.',
      registers: [registry],
    }),
    knowledgeIngestionChunksEmbedded: new Counter({
      name: 'outcrop_knowledge_ingestion_chunks_embedded_total',
      help: 'Chunks ingestion sent to the embedding model; a changed document keeps the stored vectors of chunks whose text is unchanged.',
      registers: [registry],
    }),
  };
}
