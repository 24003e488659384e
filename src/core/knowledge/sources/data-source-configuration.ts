import { isIP } from 'node:net';
import { OutcropError } from '../../errors.js';
import type { JsonObject } from '../registry/knowledge-base-record.js';
import type { DataSourceSettings } from './data-source-settings.js';
import { bucketNameFromArn } from './s3-reader.js';
import { createAddressPolicy } from '../../net/address-policy.js';
import { createCrawlScope } from './web/crawl-scope.js';

/** The data source types Outcrop reads; Bedrock's SaaS connectors are refused. */
export type SupportedDataSourceType = 'S3' | 'WEB' | 'CUSTOM';

/** Bedrock's `S3DataSourceConfiguration`. */
export interface S3SourceConfiguration {
  bucketArn: string;
  inclusionPrefixes?: string[];
  bucketOwnerAccountId?: string;
}

/** Bedrock's `WebDataSourceConfiguration`. */
export interface WebSourceConfiguration {
  sourceConfiguration: { urlConfiguration: { seedUrls?: { url?: string }[] } };
  crawlerConfiguration?: {
    crawlerLimits?: { rateLimit?: number; maxPages?: number };
    inclusionFilters?: string[];
    exclusionFilters?: string[];
    scope?: 'HOST_ONLY' | 'SUBDOMAINS';
    userAgent?: string;
    userAgentHeader?: string;
  };
}

const field = 'dataSourceConfiguration';

/**
 * Checks a data source's `dataSourceConfiguration` (Bedrock's wire form) beyond what the wire
 * validators check: the member for its `type`, a well-formed bucket ARN, seed URLs the crawler may
 * reach under the operator's address policy (an IP-literal or `localhost` seed on a private or
 * loopback address is refused here; host names resolving to one fail the ingestion job), and valid
 * filter patterns. Returns the type.
 *
 * @example
 * validateDataSourceConfiguration({ type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } }, settings); // 'S3'
 */
export function validateDataSourceConfiguration(configuration: JsonObject, settings: DataSourceSettings): SupportedDataSourceType {
  const type = configuration.type;
  switch (type) {
    case 'S3': {
      const s3 = configuration.s3Configuration as S3SourceConfiguration | undefined;
      if (!s3?.bucketArn) throw new OutcropError('ValidationException', `${field}.s3Configuration is required for an S3 data source.`);
      try {
        bucketNameFromArn(s3.bucketArn);
      } catch {
        throw new OutcropError('ValidationException', `${field}.s3Configuration.bucketArn ${s3.bucketArn} is not an S3 bucket ARN (arn:aws:s3:::bucket-name).`);
      }
      return 'S3';
    }
    case 'WEB': {
      const web = configuration.webConfiguration as WebSourceConfiguration | undefined;
      const seeds = seedUrlsOf(web);
      const policy = createAddressPolicy(settings.crawler);
      for (const seed of seeds) {
        const host = new URL(seed).hostname.replace(/^\[|\]$/g, '');
        const address = host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : isIP(host) ? host : undefined;
        const refusal = address === undefined ? undefined : policy.refusal(address);
        if (refusal) {
          throw new OutcropError('ValidationException', `The seed URL ${seed} cannot be crawled: ${refusal}, and this server does not allow crawling private addresses.`);
        }
      }
      const crawler = web?.crawlerConfiguration;
      createCrawlScope({ seedUrls: seeds, ...(crawler?.inclusionFilters ? { inclusionFilters: crawler.inclusionFilters } : {}), ...(crawler?.exclusionFilters ? { exclusionFilters: crawler.exclusionFilters } : {}) });
      return 'WEB';
    }
    case 'CUSTOM':
      return 'CUSTOM';
    default:
      throw new OutcropError('ValidationException', `Data sources of type ${String(type)} are not supported by this server; use S3, WEB or CUSTOM.`);
  }
}

/** The seed URLs of a web data source; a `ValidationException` when there are none or one is malformed. */
export function seedUrlsOf(web: WebSourceConfiguration | undefined): string[] {
  const seeds = (web?.sourceConfiguration?.urlConfiguration?.seedUrls ?? []).map((seed) => seed.url);
  if (seeds.length === 0) throw new OutcropError('ValidationException', `${field}.webConfiguration.sourceConfiguration.urlConfiguration.seedUrls must hold 1 to 100 URLs.`);
  return seeds.map((url, index) => {
    let parsed: URL | undefined;
    try {
      parsed = url ? new URL(url) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new OutcropError('ValidationException', `${field}.webConfiguration.sourceConfiguration.urlConfiguration.seedUrls[${index}].url ${JSON.stringify(url ?? null)} is not an http or https URL.`);
    }
    return parsed.href;
  });
}
