import { z } from 'zod';
import type { DataSourceSettings } from '../core/knowledge/sources/data-source-settings.js';
import { s3ConnectionOptionsOf, s3EndpointSchema } from './s3-endpoint-schema.js';

/**
 * `knowledge:` in the configuration: where knowledge-base data sources are read and how ingestion
 * runs. `s3` is the S3-compatible store S3 data sources read (AWS S3 with the default credential
 * chain when absent); `localBuckets` maps bucket names to local folders, so an S3 data source on
 * `arn:aws:s3:::handbook` indexes `/srv/handbook` instead; `crawler` lifts the web crawler's refusal
 * of private, loopback and link-local addresses (all of them, or chosen CIDR ranges).
 */
export const knowledgeSchema = z
  .object({
    s3: s3EndpointSchema('knowledge.s3'),
    localBuckets: z.record(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'), z.string().min(1)).default({}),
    crawler: z
      .object({
        allowPrivateNetworks: z.boolean().default(false),
        allowedCidrs: z.array(z.string()).default([]),
      })
      .prefault({}),
    ingestion: z
      .object({
        /** documents one ingestion job processes at once */
        concurrency: z.number().int().min(1).max(32).default(2),
        /** largest document ingested, in bytes (Bedrock's limit: 50 MiB) */
        maxDocumentBytes: z.number().int().positive().default(50 * 1024 * 1024),
      })
      .prefault({}),
  })
  .prefault({});

export type KnowledgeConfig = z.infer<typeof knowledgeSchema>;

/**
 * The data-source settings the knowledge-base registry takes, from `knowledge:`.
 *
 * @example
 * const settings = dataSourceSettingsOf(config.knowledge);
 */
export function dataSourceSettingsOf(knowledge: KnowledgeConfig): DataSourceSettings {
  const s3 = knowledge.s3;
  return {
    ...(s3 ? { s3: s3ConnectionOptionsOf(s3) } : {}),
    localBuckets: knowledge.localBuckets,
    crawler: { allowPrivateNetworks: knowledge.crawler.allowPrivateNetworks, allowedCidrs: knowledge.crawler.allowedCidrs },
    maxDocumentBytes: knowledge.ingestion.maxDocumentBytes,
  };
}
