import type { DataSourceRecord } from '../registry/knowledge-base-record.js';
import type { S3SourceConfiguration, WebSourceConfiguration } from './data-source-configuration.js';
import { seedUrlsOf } from './data-source-configuration.js';
import type { DataSourceReader, DocumentRef } from './data-source-reader.js';
import type { DataSourceSettings } from './data-source-settings.js';
import { createLocalDirectoryReader } from './local-directory-reader.js';
import { bucketNameFromArn, createS3Reader } from './s3-reader.js';
import { type CrawlEvent, createWebCrawlerReader } from './web/web-crawler-reader.js';

/** A reader the ingestion job closes when it is done. */
export type ClosableReader = DataSourceReader & { close?(): void | Promise<void> };

/**
 * The reader for a data source's configuration: an S3 bucket through the operator's S3-compatible
 * endpoint (or a local folder when the operator maps the bucket to one), a web crawl under the
 * operator's address policy, or, for CUSTOM sources, an empty listing that is never complete (their
 * documents arrive through `IngestKnowledgeBaseDocuments`). Document ids of S3 sources are
 * `s3://bucket/key` either way.
 *
 * @example
 * const reader = openDataSourceReader(dataSource, { localBuckets: { docs: '/srv/docs' } });
 */
export function openDataSourceReader(dataSource: DataSourceRecord, settings: DataSourceSettings, hooks: { onCrawlEvent?: (event: CrawlEvent) => void } = {}): ClosableReader {
  const configuration = dataSource.dataSourceConfiguration;
  const maxFileBytes = settings.maxDocumentBytes ?? 50 * 1024 * 1024;
  switch (configuration.type) {
    case 'S3': {
      const s3 = configuration.s3Configuration as S3SourceConfiguration;
      return openBucketReader(bucketNameFromArn(s3.bucketArn), s3.inclusionPrefixes ?? [], settings);
    }
    case 'WEB': {
      const web = configuration.webConfiguration as WebSourceConfiguration;
      const crawler = web.crawlerConfiguration ?? {};
      return createWebCrawlerReader({
        seedUrls: seedUrlsOf(web),
        ...(crawler.scope ? { scope: crawler.scope } : {}),
        ...(crawler.inclusionFilters ? { inclusionFilters: crawler.inclusionFilters } : {}),
        ...(crawler.exclusionFilters ? { exclusionFilters: crawler.exclusionFilters } : {}),
        ...(crawler.crawlerLimits?.rateLimit ? { rateLimit: crawler.crawlerLimits.rateLimit } : {}),
        ...(crawler.crawlerLimits?.maxPages ? { maxPages: crawler.crawlerLimits.maxPages } : {}),
        ...(crawler.userAgent ? { userAgent: crawler.userAgent } : {}),
        ...(crawler.userAgentHeader ? { userAgentHeader: crawler.userAgentHeader } : {}),
        ...settings.crawler,
        maxPageBytes: maxFileBytes,
        ...(hooks.onCrawlEvent ? { onEvent: hooks.onCrawlEvent } : {}),
      });
    }
    default:
      return emptyCustomListing;
  }
}

/**
 * A reader over one bucket: the operator's local folder for it, or the S3-compatible endpoint.
 *
 * @example
 * const reader = openBucketReader('docs', [], settings);
 * const bytes = await reader.read({ id: 's3://docs/a.pdf', uri: 's3://docs/a.pdf', fileName: 'a.pdf', fingerprint: '' });
 */
export function openBucketReader(bucket: string, inclusionPrefixes: readonly string[], settings: DataSourceSettings): ClosableReader {
  const maxFileBytes = settings.maxDocumentBytes ?? 50 * 1024 * 1024;
  const folder = settings.localBuckets?.[bucket];
  if (folder !== undefined) return localBucketReader(bucket, folder, inclusionPrefixes, maxFileBytes);
  return createS3Reader({
    bucket,
    ...(inclusionPrefixes.length > 0 ? { inclusionPrefixes } : {}),
    ...(settings.s3?.endpoint ? { endpoint: settings.s3.endpoint } : {}),
    ...(settings.s3?.region ? { region: settings.s3.region } : {}),
    ...(settings.s3?.credentials ? { credentials: settings.s3.credentials } : {}),
    ...(settings.s3?.forcePathStyle === undefined ? {} : { forcePathStyle: settings.s3.forcePathStyle }),
    maxFileBytes,
  });
}

const emptyCustomListing: ClosableReader = {
  async *list() {},
  read: () => Promise.reject(new Error('a custom data source has no documents to read')),
  metadata: async () => undefined,
  listingComplete: false,
};

/** A local folder presented as an S3 bucket: ids `s3://bucket/<relative path>`, filtered by prefix. */
function localBucketReader(bucket: string, root: string, prefixes: readonly string[], maxFileBytes: number): ClosableReader {
  const folder = createLocalDirectoryReader({ root, maxFileBytes });
  const base = `s3://${bucket}/`;
  const inner = (ref: DocumentRef): DocumentRef => ({ ...ref, id: ref.id.slice(base.length) });
  return {
    async *list(options) {
      for await (const ref of folder.list(options)) {
        if (prefixes.length > 0 && !prefixes.some((prefix) => ref.id.startsWith(prefix))) continue;
        yield { ...ref, id: `${base}${ref.id}`, uri: `${base}${ref.id}` };
      }
    },
    read: (ref, options) => folder.read(inner(ref), options),
    metadata: (ref, options) => folder.metadata(inner(ref), options),
  };
}
