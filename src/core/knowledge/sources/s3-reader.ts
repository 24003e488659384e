import type { S3Client } from '@aws-sdk/client-s3';
import { DocumentError } from '../document-error.js';
import { type DocumentMetadata, isSidecarName, parseMetadataSidecar, sidecarNameFor } from '../metadata/document-metadata.js';
import type { DataSourceReader, DocumentRef } from './data-source-reader.js';

export interface S3ReaderOptions {
  bucket: string;
  /** only keys starting with one of these (Bedrock's `inclusionPrefixes`) */
  inclusionPrefixes?: readonly string[];
  /** a client to use as it is; otherwise one is made from the settings below */
  client?: S3Client;
  /** an S3-compatible endpoint (MinIO, Ceph, R2, LocalStack...); AWS when absent */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** `http://host/bucket/key` addressing (default true with an endpoint: most S3-compatible stores need it) */
  forcePathStyle?: boolean;
  /** objects larger than this are refused by `read` as `too-large` (default 50 MiB) */
  maxFileBytes?: number;
}

/** The bucket name of an S3 bucket ARN (`arn:aws:s3:::my-bucket`), as Bedrock's `bucketArn` carries it. */
export function bucketNameFromArn(bucketArn: string): string {
  const match = /^arn:[\w-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(bucketArn);
  if (!match?.[1]) throw new DocumentError('unreadable', `${bucketArn} is not an S3 bucket ARN.`);
  return match[1];
}

/**
 * Lists and reads the objects of an S3 bucket, or of any S3-compatible store through a custom
 * endpoint, with `@aws-sdk/client-s3` (loaded on first use). Document ids are `s3://bucket/key`;
 * folder markers (`key/`) are skipped; `<key>.metadata.json` sidecars are read by `metadata`, and
 * their ETag joins the object's in the fingerprint. The listing is collected whole before it is
 * returned, so a sidecar on a later page is still matched to its object.
 *
 * @example
 * const reader = createS3Reader({ bucket: 'docs', endpoint: 'http://minio:9000', credentials });
 */
export function createS3Reader(options: S3ReaderOptions): DataSourceReader & { close(): void } {
  const { bucket } = options;
  const maxFileBytes = options.maxFileBytes ?? 50 * 1024 * 1024;
  let client: Promise<S3Client> | undefined;
  let ownClient: S3Client | undefined;
  const sidecars = new Map<string, boolean>();

  function s3(): Promise<S3Client> {
    client ??= options.client
      ? Promise.resolve(options.client)
      : import('@aws-sdk/client-s3').then(({ S3Client }) => {
          ownClient = new S3Client({
            region: options.region ?? 'us-east-1',
            ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: options.forcePathStyle ?? true } : {}),
            ...(options.credentials ? { credentials: options.credentials } : {}),
            // S3-compatible stores often lack the newer default CRC checksums
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          });
          return ownClient;
        });
    return client;
  }

  async function getObject(key: string, signal: AbortSignal | undefined, limit: number): Promise<Uint8Array | undefined> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    try {
      const response = await (await s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
      if ((response.ContentLength ?? 0) > limit) {
        response.Body?.transformToWebStream().cancel();
        throw new DocumentError('too-large', `s3://${bucket}/${key} is ${response.ContentLength} bytes, over the ${limit}-byte limit.`);
      }
      return (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      if (DocumentError.isInstance(error) || signal?.aborted) throw error;
      throw new DocumentError('unreadable', `s3://${bucket}/${key} could not be read: ${(error as Error).message}`, { cause: error });
    }
  }

  return {
    async *list(listOptions = {}) {
      const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
      const objects = new Map<string, { size: number; modifiedAt?: Date; etag: string }>();
      const sidecarTags = new Map<string, string>();
      for (const prefix of options.inclusionPrefixes?.length ? options.inclusionPrefixes : ['']) {
        let token: string | undefined;
        do {
          const page = await (await s3()).send(
            new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(token ? { ContinuationToken: token } : {}) }),
            listOptions.abortSignal ? { abortSignal: listOptions.abortSignal } : {},
          );
          for (const object of page.Contents ?? []) {
            if (!object.Key || object.Key.endsWith('/')) continue;
            const etag = (object.ETag ?? '').replace(/"/g, '');
            if (isSidecarName(object.Key)) sidecarTags.set(object.Key, etag);
            else objects.set(object.Key, { size: object.Size ?? 0, ...(object.LastModified ? { modifiedAt: object.LastModified } : {}), etag });
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      }
      for (const key of [...objects.keys()].sort()) {
        const object = objects.get(key)!;
        const id = `s3://${bucket}/${key}`;
        const sidecarTag = sidecarTags.get(sidecarNameFor(key));
        sidecars.set(id, sidecarTag !== undefined);
        yield {
          id,
          uri: id,
          fileName: key.slice(key.lastIndexOf('/') + 1),
          size: object.size,
          ...(object.modifiedAt ? { modifiedAt: object.modifiedAt } : {}),
          etag: object.etag,
          fingerprint: sidecarTag === undefined ? object.etag : `${object.etag}|${sidecarTag}`,
        } satisfies DocumentRef;
      }
    },
    async read(ref, readOptions = {}) {
      const bytes = await getObject(keyOf(ref.id, bucket), readOptions.abortSignal, maxFileBytes);
      if (!bytes) throw new DocumentError('unreadable', `${ref.id} no longer exists.`);
      return bytes;
    },
    async metadata(ref, readOptions = {}): Promise<DocumentMetadata | undefined> {
      if (sidecars.get(ref.id) === false) return undefined;
      const key = sidecarNameFor(keyOf(ref.id, bucket));
      const bytes = await getObject(key, readOptions.abortSignal, 1024 * 1024);
      return bytes && parseMetadataSidecar(bytes, key.slice(key.lastIndexOf('/') + 1));
    },
    close() {
      ownClient?.destroy();
    },
  };
}

function keyOf(id: string, bucket: string): string {
  const prefix = `s3://${bucket}/`;
  if (!id.startsWith(prefix)) throw new DocumentError('unreadable', `${id} is not in bucket ${bucket}.`);
  return id.slice(prefix.length);
}
