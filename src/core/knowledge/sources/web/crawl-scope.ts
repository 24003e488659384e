import { getDomain } from 'tldts';
import { OutcropError } from '../../../errors.js';

/**
 * Which pages a crawl may visit from its seeds (Bedrock's `scope`): `DEFAULT` stays on the seed's
 * host and under its path, `HOST_ONLY` on the seed's host, `SUBDOMAINS` on any host of the seed's
 * registrable domain (`docs.example.com` and `www.example.com` for a seed on `example.com`).
 */
export type CrawlScopeType = 'DEFAULT' | 'HOST_ONLY' | 'SUBDOMAINS';

export interface CrawlScopeOptions {
  seedUrls: readonly string[];
  scope?: CrawlScopeType;
  /** regular expressions a URL must match one of, when given */
  inclusionFilters?: readonly string[];
  /** regular expressions no URL may match; exclusion wins over inclusion */
  exclusionFilters?: readonly string[];
}

export interface CrawlScope {
  /** undefined when the crawl may visit the URL, else why not */
  refusal(url: URL): string | undefined;
}

/** URLs longer than this are not matched against the filters (nor crawled). */
const maxUrlLength = 2048;

/**
 * Builds the scope test for a crawl. Filters are JavaScript regular expressions tested against the
 * whole URL; an invalid one is a `ValidationException` naming it.
 *
 * @example
 * const scope = createCrawlScope({ seedUrls: ['https://example.com/docs/'], exclusionFilters: ['\\.zip$'] });
 * scope.refusal(new URL('https://example.com/blog/')) // 'is outside the scope of the seed URLs'
 */
export function createCrawlScope(options: CrawlScopeOptions): CrawlScope {
  const scope = options.scope ?? 'DEFAULT';
  const seeds = options.seedUrls.map((seed) => {
    const url = new URL(seed);
    return { host: url.host, domain: registrableDomain(url.hostname), path: url.pathname.replace(/\/+$/, '') };
  });
  const compile = (patterns: readonly string[] | undefined, field: string) =>
    (patterns ?? []).map((pattern) => {
      try {
        return new RegExp(pattern);
      } catch (error) {
        throw new OutcropError('ValidationException', `The ${field} pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`);
      }
    });
  const included = compile(options.inclusionFilters, 'inclusion filter');
  const excluded = compile(options.exclusionFilters, 'exclusion filter');

  const inSeedScope = (url: URL) =>
    seeds.some((seed) => {
      if (scope === 'SUBDOMAINS') return registrableDomain(url.hostname) === seed.domain;
      if (url.host !== seed.host) return false;
      if (scope === 'HOST_ONLY') return true;
      return seed.path === '' || url.pathname === seed.path || url.pathname.startsWith(`${seed.path}/`);
    });

  return {
    refusal(url) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'is not an http or https URL';
      if (url.href.length > maxUrlLength) return `is longer than ${maxUrlLength} characters`;
      if (!inSeedScope(url)) return 'is outside the scope of the seed URLs';
      if (excluded.some((pattern) => pattern.test(url.href))) return 'matches an exclusion filter';
      if (included.length > 0 && !included.some((pattern) => pattern.test(url.href))) return 'matches no inclusion filter';
      return undefined;
    },
  };
}

/** The registrable domain (public suffix + 1, private suffixes such as github.io included); the host itself for IPs and single labels. */
function registrableDomain(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: true }) ?? hostname;
}
