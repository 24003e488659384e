import type { AddressPolicyOptions } from '../../net/address-policy.js';

/**
 * What the operator decides about data sources (Outcrop's `knowledge:` configuration), as the
 * registry and the ingestion jobs need it.
 */
export interface DataSourceSettings {
  /** where S3 data sources are read: an S3-compatible endpoint and its credentials (AWS S3 and the `AWS_*` environment when absent) */
  s3?: {
    endpoint?: string;
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    forcePathStyle?: boolean;
  };
  /** bucket name → local folder: an S3 data source on such a bucket reads the folder instead */
  localBuckets?: Readonly<Record<string, string>>;
  /** which addresses the web crawler may reach (private, loopback and link-local refused by default) */
  crawler?: AddressPolicyOptions;
  /** documents larger than this fail as `too-large` (default 50 MiB, Bedrock's limit) */
  maxDocumentBytes?: number;
}
