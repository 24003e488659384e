import { z } from 'zod';
import type { DataSourceSettings } from '../core/knowledge/sources/data-source-settings.js';

/**
 * `knowledge:` in the configuration: where knowledge-base data sources are read and how ingestion
 * runs. `s3` is the S3-compatible store S3 data sources read (AWS S3 with the default credential
 * chain when absent); `localBuckets` maps bucket names to local folders, so an S3 data source on
 * `arn:aws:s3:::handbook` indexes `/srv/handbook` instead; `crawler` lifts the web crawler's refusal
 * of private, loopback and link-local addresses (all of them, or chosen CIDR ranges).
 */
export const knowledgeSchema = z
  .object({
    s3: z
      .object({
        endpoint: z.string().url().optional(),
        region: z.string().default('us-east-1'),
        accessKeyId: z.string().optional(),
        secretAccessKey: z.string().optional(),
        sessionToken: z.string().optional(),
        /** `http://host/bucket/key` addressing (default: on with an endpoint) */
        forcePathStyle: z.boolean().optional(),
      })
      .refine((s3) => (s3.accessKeyId === undefined) === (s3.secretAccessKey === undefined), { message: 'knowledge.s3 needs both accessKeyId and secretAccessKey, or neither' })
      .optional(),
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
    ...(s3
      ? {
          s3: {
            ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
            region: s3.region,
            ...(s3.accessKeyId && s3.secretAccessKey
              ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, ...(s3.sessionToken ? { sessionToken: s3.sessionToken } : {}) } }
              : {}),
            ...(s3.forcePathStyle === undefined ? {} : { forcePathStyle: s3.forcePathStyle }),
          },
        }
      : {}),
    localBuckets: knowledge.localBuckets,
    crawler: { allowPrivateNetworks: knowledge.crawler.allowPrivateNetworks, allowedCidrs: knowledge.crawler.allowedCidrs },
    maxDocumentBytes: knowledge.ingestion.maxDocumentBytes,
  };
}
