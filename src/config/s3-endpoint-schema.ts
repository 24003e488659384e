import { z } from 'zod';

/**
 * An S3-compatible store in the configuration (`agents.s3`, `knowledge.s3`): its endpoint, region
 * and static credentials; AWS S3 with the default credential chain when absent. `prefix` names the
 * key in the error message.
 *
 * @example
 * const schema = z.object({ s3: s3EndpointSchema('knowledge.s3') });
 */
export function s3EndpointSchema(prefix: string) {
  return z
    .object({
      /** an S3-compatible endpoint (MinIO, Ceph, R2, LocalStack...); AWS when absent */
      endpoint: z.string().url().optional(),
      region: z.string().default('us-east-1'),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      sessionToken: z.string().optional(),
      /** `http://host/bucket/key` addressing (default: on with an endpoint) */
      forcePathStyle: z.boolean().optional(),
    })
    .refine((s3) => (s3.accessKeyId === undefined) === (s3.secretAccessKey === undefined), { message: `${prefix} needs both accessKeyId and secretAccessKey, or neither` })
    .optional();
}

export type S3EndpointConfig = NonNullable<z.infer<ReturnType<typeof s3EndpointSchema>>>;

/** What an S3 client needs from an `S3EndpointConfig`: credentials only when both keys are given. */
export interface S3ConnectionOptions {
  endpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  forcePathStyle?: boolean;
}

/**
 * The S3 client options of a configured S3-compatible store.
 *
 * @example
 * s3ConnectionOptionsOf({ endpoint: 'http://minio:9000', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b' });
 * // { endpoint: 'http://minio:9000', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }
 */
export function s3ConnectionOptionsOf(s3: S3EndpointConfig): S3ConnectionOptions {
  return {
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    region: s3.region,
    ...(s3.accessKeyId && s3.secretAccessKey
      ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, ...(s3.sessionToken ? { sessionToken: s3.sessionToken } : {}) } }
      : {}),
    ...(s3.forcePathStyle === undefined ? {} : { forcePathStyle: s3.forcePathStyle }),
  };
}
