import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { getCanonicalQuery } from '@smithy/signature-v4';
import { OutcropError } from '../core/errors.js';

/** What the verifier needs of a request. */
export interface SignedRequest {
  method: string;
  /** the raw path as sent, still percent-encoded */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigningSecret {
  secretAccessKey: string;
  sessionToken?: string;
}

/** Maximum clock skew AWS accepts, in milliseconds. */
export const maxClockSkewMs = 5 * 60 * 1000;

const authorizationPattern =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** Signing keys by secret, date, region and service: four HMACs saved per request. */
const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${shortDate}\n${region}\n${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const dateKey = createHmac('sha256', `AWS4${secret}`).update(shortDate).digest();
    const regionKey = createHmac('sha256', dateKey).update(region).digest();
    const serviceKey = createHmac('sha256', regionKey).update(service).digest();
    key = createHmac('sha256', serviceKey).update('aws4_request').digest();
    if (signingKeys.size >= 1000) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI of a non-S3 service: dot segments and empty segments removed, then the
 * already-encoded path encoded again (`%3A` becomes `%253A`), as the AWS SDKs sign it.
 */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const path = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(path).replace(/%2F/g, '/');
}

function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/**
 * Verifies an AWS Signature Version 4 `Authorization` header by recomputing the signature over
 * exactly the headers the client signed (HTTP/2 clients sign `:authority`, HTTP/1.1 clients
 * `host`). The canonical query comes from `@smithy/signature-v4`; the rest is built here with
 * node:crypto and a cache of signing keys, because this runs on every request (the unit tests
 * sign with `@smithy/signature-v4` and verify with this). Returns the access key ID on success.
 */
export async function verifySigV4(
  request: SignedRequest,
  authorization: string,
  lookup: (accessKeyId: string) => SigningSecret | null,
  now: number = Date.now(),
): Promise<string> {
  const match = authorizationPattern.exec(authorization);
  if (!match) {
    throw new OutcropError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.split(' ')[0]}`,
    );
  }
  const [, accessKeyId = '', shortDate = '', region = '', service = '', signedHeaderList = '', signature = ''] = match;
  const secret = lookup(accessKeyId);
  if (!secret) throw new OutcropError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const amzDate = header(request.headers, 'x-amz-date');
  const date = amzDate ? parseAmzDate(amzDate) : null;
  if (!amzDate || !date) {
    throw new OutcropError('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!amzDate.startsWith(shortDate)) {
    throw new OutcropError('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' != '${amzDate.slice(0, 8)}'`);
  }
  if (Math.abs(now - date.getTime()) > maxClockSkewMs) {
    const earlier = date.getTime() < now;
    throw new OutcropError(
      'InvalidSignatureException',
      `Signature ${earlier ? 'expired' : 'not yet current'}: ${amzDate} is now ${earlier ? 'earlier' : 'later'} than ${formatAmzDate(new Date(earlier ? now - maxClockSkewMs : now + maxClockSkewMs))} (${formatAmzDate(new Date(now))} ${earlier ? '-' : '+'} 5 min.)`,
    );
  }
  if (service !== 'bedrock') {
    throw new OutcropError('InvalidSignatureException', `Credential should be scoped to correct service: 'bedrock'.`);
  }
  const signedNames = signedHeaderList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = header(request.headers, name);
    if (value === undefined) {
      throw new OutcropError('InvalidSignatureException', `The request signature we calculated does not match the signature you provided: signed header '${name}' is missing.`);
    }
    headers[name] = value;
  }
  const contentSha = header(request.headers, 'x-amz-content-sha256');
  if (contentSha !== undefined && contentSha !== 'UNSIGNED-PAYLOAD' && !contentSha.startsWith('STREAMING-')) {
    const actual = sha256Hex(request.body);
    if (actual !== contentSha) {
      throw new OutcropError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(request.query.keys())) {
    const values = request.query.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  if (secret.sessionToken !== undefined) headers['x-amz-security-token'] = secret.sessionToken;
  const payloadHash = contentSha ?? sha256Hex(request.body);
  const canonicalHeaders = signedNames.map((name) => `${name}:${canonicalHeaderValue(headers[name] ?? '')}\n`).join('');
  const canonicalRequest = `${request.method}\n${canonicalPath(request.rawPath)}\n${getCanonicalQuery({ query } as never)}\n${canonicalHeaders}\n${signedHeaderList}\n${payloadHash}`;
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac('sha256', signingKey(secret.secretAccessKey, shortDate, region, service)).update(stringToSign).digest('hex');
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new OutcropError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return accessKeyId;
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

function parseAmzDate(value: string): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
