import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { SchemaObjectReader } from './build-agent-definition.js';

export interface S3SchemaReaderOptions {
  /** an S3-compatible endpoint (MinIO, Ceph, R2, LocalStack...); AWS when absent */
  endpoint?: string | undefined;
  region?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  /** `http://host/bucket/key` addressing (default: on with an endpoint) */
  forcePathStyle?: boolean | undefined;
  /** objects larger than this are refused (default 1 MiB, Bedrock's schema size) */
  maxBytes?: number;
}

/**
 * Reads action groups' OpenAPI schemas from S3 or an S3-compatible store with `@aws-sdk/client-s3`
 * (loaded on first use), as UTF-8 text.
 *
 * @example
 * const read = createS3SchemaReader({ endpoint: 'http://minio:9000', credentials });
 * const text = await read('schemas', 'weather.yaml');
 */
export function createS3SchemaReader(options: S3SchemaReaderOptions = {}): SchemaObjectReader {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  let client: Promise<S3Client> | undefined;
  const s3 = () =>
    (client ??= import('@aws-sdk/client-s3').then(
      ({ S3Client }) =>
        new S3Client({
          region: options.region ?? 'us-east-1',
          ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: options.forcePathStyle ?? true } : {}),
          ...(options.credentials ? { credentials: options.credentials } : {}),
          // S3-compatible stores often lack the newer default CRC checksums
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
    ));
  return async (bucket, key) => {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    let response: GetObjectCommandOutput;
    try {
      response = await (await s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NoSuchBucket') throw new Error(`the object does not exist (${name})`, { cause: error });
      throw new Error((error as Error).message || String(name), { cause: error });
    }
    if ((response.ContentLength ?? 0) > maxBytes) {
      await response.Body?.transformToWebStream().cancel();
      throw new Error(`the object is ${response.ContentLength} bytes, over the ${maxBytes}-byte limit`);
    }
    return (await response.Body?.transformToString('utf-8')) ?? '';
  };
}
