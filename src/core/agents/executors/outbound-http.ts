import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { type AddressPolicyOptions, createAddressPolicy } from '../../net/address-policy.js';
import { createGuardedLookup, type ResolveHost, refusedAddressCause, systemResolveHost } from '../../net/guarded-lookup.js';

/** The operator's rules for HTTP that executors send (Lambda-over-HTTP endpoints, MCP servers). */
export interface OutboundHttpOptions extends AddressPolicyOptions {
  /**
   * Where executors may send requests: host names (`orders.internal`), wildcard hosts
   * (`*.example.com`) or URL prefixes (`https://api.example.com/v1/`). Empty or absent: any host
   * whose addresses the address policy accepts.
   */
  allowedUrls?: readonly string[];
  /** name resolution (the system resolver by default; tests inject one) */
  resolveHost?: ResolveHost;
  /** redirects (307/308 only, so the body is sent again) followed before giving up (default 3) */
  maxRedirects?: number;
}

/** A `fetch` that obeys the outbound policy; same signature as the global one. */
export type GuardedFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface OutboundHttp {
  /** why a URL may not be requested (allow-list, scheme or IP literal), or undefined when it may */
  refusal(url: URL): string | undefined;
  /** fetch through the policy: every hop and every resolved address checked; a refusal is an {@link OutboundRefusedError} */
  fetch: GuardedFetch;
  close(): Promise<void>;
}

const marker = Symbol.for('outcrop.outbound-refused');

/** A request the outbound policy did not let through. */
export class OutboundRefusedError extends Error {
  readonly [marker] = true;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutboundRefusedError';
  }

  /** Works across copies of this module, unlike `instanceof`. */
  static isInstance(value: unknown): value is OutboundRefusedError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * HTTP for executors under the operator's policy: the URL must match the allow-list, and every
 * address a host resolves to (checked inside the connection's DNS lookup, so DNS rebinding cannot
 * slip through) must pass the address policy, which refuses loopback, private, link-local and other
 * special-purpose ranges unless `allowPrivateNetworks` or `allowedCidrs` say otherwise. Redirects are
 * followed by hand (307/308 only), each hop checked again.
 *
 * @example
 * const http = createOutboundHttp({ allowedUrls: ['https://api.example.com/'] });
 * const response = await http.fetch('https://api.example.com/invoke', { method: 'POST', body: '{}' });
 */
export function createOutboundHttp(options: OutboundHttpOptions = {}): OutboundHttp {
  const policy = createAddressPolicy(options);
  const agent = new Agent({ connect: { lookup: createGuardedLookup(policy, options.resolveHost ?? systemResolveHost) } });
  const allowed = (options.allowedUrls ?? []).map(parseAllowedEntry);
  const maxRedirects = options.maxRedirects ?? 3;

  function refusal(url: URL): string | undefined {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} URLs are not allowed (http and https only)`;
    if (allowed.length > 0 && !allowed.some((entry) => entry(url))) return `${url.origin} is not in the outbound allow-list (agents.outboundHttp.allowedUrls)`;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = policy.refusal(host);
      if (reason) return `${reason}; private and loopback addresses need agents.outboundHttp.allowPrivateNetworks or allowedCidrs`;
    }
    return undefined;
  }

  async function fetchOnce(url: URL, init: RequestInit): Promise<Response> {
    const reason = refusal(url);
    if (reason) throw new OutboundRefusedError(`${url.href} was refused: ${reason}.`);
    try {
      return (await undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher: agent })) as unknown as Response;
    } catch (error) {
      const cause = refusedAddressCause(error);
      if (cause) throw new OutboundRefusedError(`${url.href} was refused: ${cause.message}; private and loopback addresses need agents.outboundHttp.allowPrivateNetworks or allowedCidrs.`, { cause });
      throw error;
    }
  }

  return {
    refusal,
    async fetch(input, init = {}) {
      let url = new URL(String(input));
      for (let redirects = 0; ; redirects++) {
        const response = await fetchOnce(url, init);
        const location = response.headers.get('location');
        if ((response.status === 307 || response.status === 308) && location) {
          await response.body?.cancel();
          if (redirects >= maxRedirects) throw new Error(`${String(input)} redirects more than ${maxRedirects} times.`);
          url = new URL(location, url);
          continue;
        }
        return response;
      }
    },
    close: () => agent.close(),
  };
}

/** One allow-list entry as a URL test: a host, `*.` a domain and its subdomains, or a URL prefix. */
function parseAllowedEntry(entry: string): (url: URL) => boolean {
  if (/^https?:\/\//i.test(entry)) {
    const prefix = new URL(entry);
    return (url) => url.origin === prefix.origin && url.pathname.startsWith(prefix.pathname);
  }
  const host = entry.toLowerCase();
  if (host.startsWith('*.')) {
    const domain = host.slice(2);
    return (url) => url.hostname === domain || url.hostname.endsWith(`.${domain}`);
  }
  return (url) => url.hostname === host || url.host === host;
}
