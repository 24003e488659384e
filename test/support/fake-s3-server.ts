import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface FakeS3Object {
  body: Buffer;
  contentType: string;
  lastModified: Date;
  etag: string;
}

export interface FakeS3Server {
  /** `http://127.0.0.1:<port>`: use with `forcePathStyle: true` */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  put(bucket: string, key: string, body: string | Uint8Array, contentType?: string): void;
  remove(bucket: string, key: string): void;
  /** every request as `METHOD /path?query` */
  requests: string[];
  close(): Promise<void>;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A local S3 stand-in for path-style requests: ListObjectsV2 (prefix, continuation tokens,
 * `max-keys`, URL encoding of keys), GetObject and HeadObject, with S3's XML errors (`NoSuchKey`,
 * `NoSuchBucket`). Every request must carry a SigV4 signature that verifies against the fake's
 * credentials (recomputed with `@smithy/signature-v4`, S3 rules: single-encoded path, signed
 * payload hash header); others get 403 `SignatureDoesNotMatch`. `pageSize` keeps listings short to
 * exercise pagination.
 */
export async function startFakeS3Server(options: { pageSize?: number } = {}): Promise<FakeS3Server> {
  const credentials = { accessKeyId: 'AKIAFAKES3EXAMPLE', secretAccessKey: 'fake-s3-secret-key' };
  const region = 'us-east-1';
  const signer = new SignatureV4({ service: 's3', region, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false });
  const buckets = new Map<string, Map<string, FakeS3Object>>();
  const requests: string[] = [];

  async function verify(request: IncomingMessage, url: URL): Promise<boolean> {
    const authorization = request.headers.authorization ?? '';
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match || match[1] !== credentials.accessKeyId) return false;
    const signedHeaders = (match[4] ?? '').split(';');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) return false;
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const amzDate = headers['x-amz-date'] ?? '';
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const resigned = await signer.sign(
      new HttpRequest({ method: request.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', path: (request.url ?? '/').split('?')[0], query, headers }),
      { signingDate, signingRegion: match[3] },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1];
    return expected === match[5];
  }

  function error(response: ServerResponse, status: number, code: string, message: string, method?: string): void {
    response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'FAKE' });
    response.end(method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`);
  }

  function list(response: ServerResponse, bucketName: string, objects: Map<string, FakeS3Object>, url: URL): void {
    const prefix = url.searchParams.get('prefix') ?? '';
    const maxKeys = Math.min(Number(url.searchParams.get('max-keys') ?? 1000), options.pageSize ?? 1000);
    const after = url.searchParams.get('continuation-token') ? Buffer.from(url.searchParams.get('continuation-token') ?? '', 'base64url').toString() : url.searchParams.get('start-after') ?? '';
    const urlEncoded = url.searchParams.get('encoding-type') === 'url';
    const encode = (key: string) => (urlEncoded ? encodeURIComponent(key).replace(/%2F/g, '/') : key);
    const keys = [...objects.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((key) => {
        const object = objects.get(key)!;
        return `<Contents><Key>${xmlEscape(encode(key))}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>&quot;${object.etag}&quot;</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? `<NextContinuationToken>${Buffer.from(page[page.length - 1] ?? '').toString('base64url')}</NextContinuationToken>` : '';
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucketName)}</Name><Prefix>${xmlEscape(encode(prefix))}</Prefix>` +
        `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${urlEncoded ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`,
    );
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    for await (const _ of request) {
      // drain
    }
    if (!(await verify(request, url))) {
      error(response, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', request.method);
      return;
    }
    const [, bucketName = '', ...keyParts] = url.pathname.split('/');
    const objects = buckets.get(decodeURIComponent(bucketName));
    if (!objects) {
      error(response, 404, 'NoSuchBucket', 'The specified bucket does not exist', request.method);
      return;
    }
    const key = keyParts.map(decodeURIComponent).join('/');
    if (!key && request.method === 'GET' && url.searchParams.get('list-type') === '2') {
      list(response, decodeURIComponent(bucketName), objects, url);
      return;
    }
    const object = objects.get(key);
    if (!object || (request.method !== 'GET' && request.method !== 'HEAD')) {
      error(response, 404, 'NoSuchKey', 'The specified key does not exist.', request.method);
      return;
    }
    response.writeHead(200, {
      'content-type': object.contentType,
      'content-length': object.body.length,
      etag: `"${object.etag}"`,
      'last-modified': object.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    });
    response.end(request.method === 'HEAD' ? undefined : object.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    region,
    requests,
    put(bucket, key, body, contentType = 'application/octet-stream') {
      const objects = buckets.get(bucket) ?? new Map<string, FakeS3Object>();
      buckets.set(bucket, objects);
      const bytes = Buffer.from(body);
      objects.set(key, { body: bytes, contentType, lastModified: new Date(Math.floor(Date.now() / 1000) * 1000), etag: createHash('md5').update(bytes).digest('hex') });
    },
    remove(bucket, key) {
      buckets.get(bucket)?.delete(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
