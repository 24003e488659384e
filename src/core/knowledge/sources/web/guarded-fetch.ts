import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import type { AddressPolicy } from '../../../net/address-policy.js';
import { createGuardedLookup, type ResolveHost, refusedAddressCause, systemResolveHost } from '../../../net/guarded-lookup.js';
import { DocumentError } from '../../document-error.js';

export type { ResolvedAddress, ResolveHost } from '../../../net/guarded-lookup.js';

export interface FetchedPage {
  /** the URL after redirects */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export interface GuardedFetcherOptions {
  policy: AddressPolicy;
  /** the `User-Agent` header */
  userAgent: string;
  resolveHost?: ResolveHost;
  /** larger bodies fail as `too-large` (default 10 MiB) */
  maxBytes?: number;
  /** connect, headers and idle-body timeout (default 15 s) */
  timeoutMs?: number;
  /** redirects followed before giving up (default 5) */
  maxRedirects?: number;
}

export interface GuardedFetchOptions {
  abortSignal?: AbortSignal;
  /** called for each redirect target before it is requested; return a reason to stop there */
  checkRedirect?: (url: URL) => string | undefined;
}

export interface GuardedFetcher {
  fetch(url: string, options?: GuardedFetchOptions): Promise<FetchedPage>;
  close(): Promise<void>;
}

/**
 * HTTP GET for the crawler that cannot be pointed at an address the policy refuses: every address
 * a host name resolves to is checked at connection time (inside the socket's DNS lookup, so a DNS
 * answer cannot change between the check and the connection), IP literals are checked before
 * connecting, and redirects are followed by hand, each hop checked again. Bodies are capped.
 * Failures are `DocumentError`s (`unreadable`, `too-large`) whose message says why.
 *
 * @example
 * const fetcher = createGuardedFetcher({ policy: createAddressPolicy(), userAgent: 'bedrockbot' });
 * const page = await fetcher.fetch('https://example.com/');
 */
export function createGuardedFetcher(options: GuardedFetcherOptions): GuardedFetcher {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const guardedLookup = createGuardedLookup(options.policy, options.resolveHost ?? systemResolveHost);
  const agent = new Agent({ connect: { lookup: guardedLookup, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

  async function fetchOnce(url: URL, signal: AbortSignal | undefined) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DocumentError('unreadable', `${url.href}: only http and https URLs are crawled.`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const refusal = options.policy.refusal(host);
      if (refusal) throw new DocumentError('unreadable', `${url.href} was refused: ${refusal}.`);
    }
    try {
      return await request(url, { method: 'GET', dispatcher: agent, headers: { 'user-agent': options.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = refusedAddressCause(error);
      if (cause) throw new DocumentError('unreadable', `${url.href} was refused: ${cause.message}.`, { cause });
      throw new DocumentError('unreadable', `${url.href} could not be fetched: ${describe(error)}`, { cause: error });
    }
  }

  return {
    async fetch(href, fetchOptions = {}) {
      let url = new URL(href);
      for (let redirects = 0; ; redirects++) {
        const response = await fetchOnce(url, fetchOptions.abortSignal);
        const location = response.headers.location;
        if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
          await response.body.dump();
          if (redirects >= (options.maxRedirects ?? 5)) throw new DocumentError('unreadable', `${href} redirects more than ${options.maxRedirects ?? 5} times.`);
          url = new URL(location, url);
          url.hash = '';
          const stop = fetchOptions.checkRedirect?.(url);
          if (stop) throw new DocumentError('unreadable', `${href} redirects to ${url.href}, which ${stop}.`);
          continue;
        }
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          response.body.destroy();
          throw new DocumentError('too-large', `${url.href} is ${declared} bytes, over the ${maxBytes}-byte limit.`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            response.body.destroy();
            throw new DocumentError('too-large', `${url.href} is over the ${maxBytes}-byte limit.`);
          }
          chunks.push(chunk as Buffer);
        }
        return { url: url.href, status: response.statusCode, headers: response.headers, body: new Uint8Array(Buffer.concat(chunks)) };
      }
    },
    close: () => agent.close(),
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  const message = cause?.message ?? (error as Error).message;
  const code = (error as { code?: string }).code;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
