/**
 * Exponential backoff with full jitter: a uniform wait in `[0, min(maxDelayMs, baseDelayMs * 2^round))`.
 * Full jitter spreads retries of many clients that failed together.
 *
 * @example
 * await sleep(backoffDelay(2, { baseDelayMs: 100, maxDelayMs: 2000 }, Math.random)); // < 400 ms
 */
export function backoffDelay(round: number, options: { baseDelayMs: number; maxDelayMs: number }, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, round));
  return Math.floor(random() * ceiling);
}
