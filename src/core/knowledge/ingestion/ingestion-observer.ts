/** The steps one document goes through when it is (re)indexed. */
export type IngestionStage = 'read' | 'parse' | 'chunk' | 'embed' | 'index';

/**
 * Told how long each step of each document took, and how many chunks each indexed document gave,
 * so an operator (Prometheus) or a benchmark can see where ingestion time goes. Called
 * synchronously on the ingestion path: implementations must be cheap and must not throw.
 * Documents run concurrently, so stage times of one job add up to more than its wall-clock time.
 *
 * @example
 * const observer: IngestionObserver = { stageTimed: (stage, seconds) => histogram.observe({ stage }, seconds), documentIndexed: (chunks, embedded) => counter.inc(embedded) };
 */
export interface IngestionObserver {
  /** one document spent `seconds` (wall clock) in `stage` */
  stageTimed(stage: IngestionStage, seconds: number): void;
  /** one document was indexed with `chunks` chunks, `embedded` of them embedded now (the rest kept their stored vectors) */
  documentIndexed(chunks: number, embedded: number): void;
}

/**
 * Times `work` as `stage` for the observer (if any), also when it throws.
 *
 * @example
 * const parsed = await timedStage(observer, 'parse', () => parseDocument(input));
 */
export async function timedStage<T>(observer: IngestionObserver | undefined, stage: IngestionStage, work: () => Promise<T>): Promise<T> {
  if (!observer) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    observer.stageTimed(stage, (performance.now() - started) / 1000);
  }
}
