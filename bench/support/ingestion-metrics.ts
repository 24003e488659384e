/** Seconds summed over documents, per ingestion stage. */
export type StageTotals = Record<'read' | 'parse' | 'chunk' | 'embed' | 'index', number>;

/**
 * Reads the server's ingestion metrics from `GET /metrics` (Prometheus text, Bearer API key): the
 * seconds summed per stage (`outcrop_knowledge_ingestion_stage_duration_seconds_sum{stage}`) and the
 * chunks indexed so far (`outcrop_knowledge_ingestion_chunks_total`), of which `embedded` went to the
 * model (`outcrop_knowledge_ingestion_chunks_embedded_total`; the rest kept their stored vectors).
 *
 * @example
 * const { stages, chunks } = await readIngestionMetrics(server.url, apiKey);
 */
export async function readIngestionMetrics(url: string, apiKey: string): Promise<{ stages: StageTotals; chunks: number; embedded: number }> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const stages: StageTotals = { read: 0, parse: 0, chunk: 0, embed: 0, index: 0 };
  for (const match of text.matchAll(/^outcrop_knowledge_ingestion_stage_duration_seconds_sum\{stage="(\w+)"\} ([\d.e+-]+)$/gm)) {
    if (match[1] && match[1] in stages) stages[match[1] as keyof StageTotals] = Number(match[2]);
  }
  const chunks = Number(/^outcrop_knowledge_ingestion_chunks_total ([\d.e+-]+)$/m.exec(text)?.[1] ?? 0);
  // servers that re-embed every chunk have no separate count
  const embedded = Number(/^outcrop_knowledge_ingestion_chunks_embedded_total ([\d.e+-]+)$/m.exec(text)?.[1] ?? chunks);
  return { stages, chunks, embedded };
}
