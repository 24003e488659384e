/** Time and waiting, replaceable in tests. */
export interface Clock {
  now(): number;
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, milliseconds);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Spaces requests to each host evenly: at most `requestsPerMinute` (Bedrock's `rateLimit`), or
 * fewer where a host's robots.txt asks for a longer `Crawl-delay`.
 *
 * @example
 * const limiter = createHostRateLimiter(60);
 * await limiter.wait('example.com'); // returns at once, then once a second
 */
export function createHostRateLimiter(requestsPerMinute: number, clock: Clock = systemClock) {
  const interval = 60_000 / Math.max(1, requestsPerMinute);
  const next = new Map<string, number>();
  const delays = new Map<string, number>();
  return {
    /** Sets a host's minimum delay between requests, in seconds (robots.txt `Crawl-delay`). */
    setCrawlDelay(host: string, seconds: number): void {
      delays.set(host, seconds * 1000);
    },
    /** Waits until a request to `host` is due and books the slot. */
    async wait(host: string, signal?: AbortSignal): Promise<void> {
      const now = clock.now();
      const due = Math.max(now, next.get(host) ?? now);
      next.set(host, due + Math.max(interval, delays.get(host) ?? 0));
      if (due > now) await clock.sleep(due - now, signal);
    },
  };
}
