import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIngestionObserver } from './ingestion-observer.js';
import { createMetrics } from './metrics.js';

describe('createIngestionObserver', () => {
  it('exports stage times and chunk counts in Prometheus text', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const observer = createIngestionObserver(metrics);
    observer.stageTimed('parse', 0.02);
    observer.stageTimed('embed', 1.5);
    observer.stageTimed('embed', 0.5);
    observer.documentIndexed(7, 3);
    observer.documentIndexed(2, 2);
    const text = await metrics.registry.metrics();
    assert.match(text, /^outcrop_knowledge_ingestion_stage_duration_seconds_sum\{stage="embed"\} 2$/m);
    assert.match(text, /^outcrop_knowledge_ingestion_stage_duration_seconds_count\{stage="embed"\} 2$/m);
    assert.match(text, /^outcrop_knowledge_ingestion_stage_duration_seconds_sum\{stage="parse"\} 0\.02$/m);
    assert.match(text, /^outcrop_knowledge_ingestion_chunks_total 9$/m);
    assert.match(text, /^outcrop_knowledge_ingestion_chunks_embedded_total 5$/m);
  });
});
