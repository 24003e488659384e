import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { DocumentError } from '../../document-error.js';
import { mediaTypeOf } from '../../parsing/decode-text.js';
import { readHtml } from '../../parsing/html-content.js';
import { detectFormat } from '../../parsing/parse-document.js';
import type { DataSourceReader, DocumentRef } from '../data-source-reader.js';
import { type AddressPolicyOptions, createAddressPolicy } from '../../../net/address-policy.js';
import { type CrawlScopeType, createCrawlScope } from './crawl-scope.js';
import { type FetchedPage, type ResolveHost, createGuardedFetcher } from './guarded-fetch.js';
import { type Clock, createHostRateLimiter, systemClock } from './host-rate-limiter.js';

export interface WebCrawlerOptions extends AddressPolicyOptions {
  /** where the crawl starts (Bedrock allows 1 to 100) */
  seedUrls: readonly string[];
  scope?: CrawlScopeType;
  inclusionFilters?: readonly string[];
  exclusionFilters?: readonly string[];
  /** requests per host per minute (Bedrock's `rateLimit`, 1 to 300; default 300) */
  rateLimit?: number;
  /** pages fetched at most (Bedrock's `maxPages`; default 25,000) */
  maxPages?: number;
  /** appended to the `User-Agent` (Bedrock's `userAgent`) */
  userAgent?: string;
  /** the whole `User-Agent` header instead (Bedrock's `userAgentHeader`) */
  userAgentHeader?: string;
  /** larger responses are skipped (default 10 MiB) */
  maxPageBytes?: number;
  resolveHost?: ResolveHost;
  clock?: Clock;
  /** told of each page fetched or skipped, with the reason */
  onEvent?: (event: CrawlEvent) => void;
}

export type CrawlEvent = { type: 'fetched'; url: string; status: number } | { type: 'skipped'; url: string; reason: string };

/** What this file uses of a parsed robots.txt (`robots-parser`). */
interface RobotsRules {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
  getCrawlDelay(userAgent?: string): number | undefined;
}

/** `robots-parser` is CommonJS whose types declare an ES default export; require it as what it is. */
function parseRobots(url: string, contents: string): RobotsRules {
  const parse = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => RobotsRules;
  return parse(url, contents);
}

/** The user-agent token robots.txt rules are matched against, as for Bedrock's crawler. */
export const robotsUserAgent = 'bedrockbot';

/**
 * Crawls websites from seed URLs as Bedrock's web data source does. `list` fetches pages breadth
 * first, one host request at a time per `rateLimit`, following links that stay in scope and pass the
 * filters; it honours robots.txt (`bedrockbot` rules, else `*`; `Crawl-delay`), `<meta name="robots">`
 * and `X-Robots-Tag` (`noindex`, `nofollow`), skips pages whose content it has already seen and
 * formats no parser reads, and stops after `maxPages`. Pages are kept until `read` takes them.
 * Addresses go through the address policy (private, loopback and link-local refused unless allowed),
 * at every redirect too. Document ids are the pages' final URLs.
 *
 * @example
 * const crawler = createWebCrawlerReader({ seedUrls: ['https://example.com/docs/'], scope: 'HOST_ONLY', maxPages: 500 });
 * for await (const ref of crawler.list()) index(ref, await crawler.read(ref));
 */
export function createWebCrawlerReader(options: WebCrawlerOptions): DataSourceReader & { close(): Promise<void> } {
  const clock = options.clock ?? systemClock;
  const scope = createCrawlScope(options);
  const fetcher = createGuardedFetcher({
    policy: createAddressPolicy(options),
    userAgent: options.userAgentHeader ?? `${robotsUserAgent}/1.0 (compatible; Outcrop${options.userAgent ? `; ${options.userAgent}` : ''})`,
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
    ...(options.maxPageBytes ? { maxBytes: options.maxPageBytes } : {}),
  });
  const limiter = createHostRateLimiter(options.rateLimit ?? 300, clock);
  const maxPages = options.maxPages ?? 25_000;
  const pages = new Map<string, Uint8Array>();
  let complete = false;
  const emit = (event: CrawlEvent) => options.onEvent?.(event);

  /** an origin's rules, or why none of its pages may be fetched */
  const robots = new Map<string, Promise<RobotsRules | { blocked: string }>>();
  function robotsFor(url: URL, signal: AbortSignal | undefined) {
    let rules = robots.get(url.origin);
    if (!rules) {
      const robotsUrl = new URL('/robots.txt', url.origin);
      rules = (async () => {
        await limiter.wait(url.host, signal);
        try {
          const response = await fetcher.fetch(robotsUrl.href, signal ? { abortSignal: signal } : {});
          if (response.status >= 500) return { blocked: `robots.txt answered HTTP ${response.status}` };
          const parsed = parseRobots(robotsUrl.href, response.status < 300 ? new TextDecoder().decode(response.body) : '');
          const delay = parsed.getCrawlDelay(robotsUserAgent);
          if (delay) limiter.setCrawlDelay(url.host, Math.min(delay, 60));
          return parsed;
        } catch (error) {
          if (signal?.aborted || !DocumentError.isInstance(error)) throw error;
          return { blocked: `robots.txt could not be fetched: ${error.message}` };
        }
      })();
      robots.set(url.origin, rules);
    }
    return rules;
  }

  async function visit(url: URL, signal: AbortSignal | undefined): Promise<FetchedPage | string> {
    const rules = await robotsFor(url, signal);
    if ('blocked' in rules) return rules.blocked;
    if (rules.isAllowed(url.href, robotsUserAgent) === false) return 'disallowed by robots.txt';
    await limiter.wait(url.host, signal);
    try {
      return await fetcher.fetch(url.href, { ...(signal ? { abortSignal: signal } : {}), checkRedirect: (target) => scope.refusal(target) });
    } catch (error) {
      if (signal?.aborted || !DocumentError.isInstance(error)) throw error;
      return error.message;
    }
  }

  return {
    get listingComplete() {
      return complete;
    },
    async *list(listOptions = {}) {
      const signal = listOptions.abortSignal;
      complete = false;
      const queue: URL[] = [];
      const seen = new Set<string>();
      const contents = new Set<string>();
      const enqueue = (href: string, base?: string) => {
        let url: URL;
        try {
          url = new URL(href, base);
        } catch {
          return;
        }
        url.hash = '';
        if (seen.has(url.href)) return;
        seen.add(url.href);
        const refusal = scope.refusal(url);
        if (refusal) emit({ type: 'skipped', url: url.href, reason: refusal });
        else queue.push(url);
      };
      for (const seed of options.seedUrls) enqueue(seed);

      let fetched = 0;
      while (queue.length > 0 && fetched < maxPages) {
        const url = queue.shift()!;
        const page = await visit(url, signal);
        if (typeof page === 'string') {
          emit({ type: 'skipped', url: url.href, reason: page });
          continue;
        }
        emit({ type: 'fetched', url: page.url, status: page.status });
        if (page.status !== 200) {
          emit({ type: 'skipped', url: page.url, reason: `HTTP ${page.status}` });
          continue;
        }
        fetched++;
        if (page.url !== url.href) {
          if (seen.has(page.url) && page.url !== url.href) {
            emit({ type: 'skipped', url: url.href, reason: `redirects to ${page.url}, already crawled` });
            continue;
          }
          seen.add(page.url);
        }
        const contentType = header(page, 'content-type');
        const tag = (header(page, 'x-robots-tag') ?? '').toLowerCase();
        let noindex = /\b(noindex|none)\b/.test(tag);
        if (mediaTypeOf(contentType) === 'text/html' || mediaTypeOf(contentType) === 'application/xhtml+xml') {
          const html = readHtml(new TextDecoder().decode(page.body));
          noindex ||= html.robots.noindex;
          if (!html.robots.nofollow && !/\b(nofollow|none)\b/.test(tag)) {
            const base = html.baseHref ? new URL(html.baseHref, page.url).href : page.url;
            for (const link of html.links) enqueue(link, base);
          }
        }
        const fileName = fileNameOf(new URL(page.url), contentType);
        if (noindex) emit({ type: 'skipped', url: page.url, reason: 'noindex' });
        else if (!detectFormat(fileName, contentType)) emit({ type: 'skipped', url: page.url, reason: `${contentType ?? 'unknown content type'} is not a supported format` });
        else {
          const hash = createHash('sha256').update(page.body).digest('hex');
          if (contents.has(hash)) {
            emit({ type: 'skipped', url: page.url, reason: 'same content as a page already crawled' });
            continue;
          }
          contents.add(hash);
          pages.set(page.url, page.body);
          const etag = header(page, 'etag');
          const lastModified = header(page, 'last-modified');
          yield {
            id: page.url,
            uri: page.url,
            fileName,
            ...(contentType ? { contentType } : {}),
            size: page.body.byteLength,
            ...(lastModified && !Number.isNaN(Date.parse(lastModified)) ? { modifiedAt: new Date(lastModified) } : {}),
            ...(etag ? { etag } : {}),
            fingerprint: hash,
          } satisfies DocumentRef;
        }
      }
      complete = queue.length === 0;
    },
    async read(ref, readOptions = {}) {
      const cached = pages.get(ref.id);
      if (cached) {
        pages.delete(ref.id);
        return cached;
      }
      const page = await visit(new URL(ref.id), readOptions.abortSignal);
      if (typeof page === 'string') throw new DocumentError('unreadable', `${ref.id}: ${page}`);
      if (page.status !== 200) throw new DocumentError('unreadable', `${ref.id} answered HTTP ${page.status}.`);
      return page.body;
    },
    async metadata() {
      return undefined;
    },
    close: () => fetcher.close(),
  };
}

function header(page: FetchedPage, name: string): string | undefined {
  const value = page.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A file name for format detection: the path's last segment, or `index.html` for HTML at a folder URL. */
function fileNameOf(url: URL, contentType: string | undefined): string {
  const last = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  if (last && /\.[a-z0-9]+$/i.test(last)) return last;
  const type = mediaTypeOf(contentType);
  return `${last || 'index'}${type === 'text/html' || type === 'application/xhtml+xml' ? '.html' : ''}`;
}
