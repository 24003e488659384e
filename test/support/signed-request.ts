import type { ClientHttp2Session } from 'node:http2';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type Dispatcher, getGlobalDispatcher } from 'undici';
import { testCredentials } from './test-server.js';

/**
 * A request to sign and send. `path` is the raw request target exactly as it goes on the wire
 * (already percent-encoded, and may carry a raw `?query`); `query` adds parameters by their decoded
 * values.
 */
export interface SignableRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** defaults to now; set it in the past to test clock skew */
  signingDate?: Date;
}

/** A response as a test sees it: the JSON body parsed when it is an object, the raw text always. */
export interface SignedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** the parsed JSON body, or undefined when the body is not a JSON object */
  body: Record<string, unknown> | undefined;
}

export interface SendOptions {
  /** e.g. a keep-alive `Agent` to reuse connections (undici's global dispatcher otherwise) */
  dispatcher?: Dispatcher;
  /** skip signing (to test unauthenticated requests) */
  unsigned?: boolean;
  /** replaces the body after the request is signed (to test tampering) */
  bodyAfterSigning?: string | Uint8Array;
}

const signers = new Map<string, SignatureV4>();

/** One signer per region: it caches the derived signing key, which makes signing many requests cheap. */
function signerFor(region: string): SignatureV4 {
  let signer = signers.get(region);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey },
      region,
      service: 'bedrock',
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: true,
      applyChecksum: false,
    });
    signers.set(region, signer);
  }
  return signer;
}

/** The raw request target: `path` with `query` appended, each name and value percent-encoded. */
export function requestTarget(input: Pick<SignableRequest, 'path' | 'query'>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(input.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  if (pairs.length === 0) return input.path;
  return `${input.path}${input.path.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/**
 * Signs a request with SigV4 (service `bedrock`, the test server's root credentials) for the server
 * at `baseUrl`, and returns the headers to send, `host`, `x-amz-date` and `authorization` included.
 * The query is signed as the server decodes it (`URLSearchParams`), so raw or malformed query
 * strings still carry a valid signature.
 *
 * @example
 * const headers = await signHeaders(server.url, { method: 'GET', path: '/foundation-models?byProvider=x' });
 */
export async function signHeaders(baseUrl: string, input: SignableRequest, region = 'us-east-1'): Promise<Record<string, string>> {
  const url = new URL(baseUrl);
  const target = requestTarget(input);
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const decoded = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(decoded.keys())) {
    const values = decoded.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  const headers: Record<string, string> = { host: url.host, ...input.headers };
  if (input.body !== undefined && input.body.length > 0) headers['content-type'] ??= 'application/json';
  const signed = await signerFor(region).sign(
    { method: input.method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query, headers, body: input.body },
    input.signingDate ? { signingDate: input.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

/**
 * Signs (unless told not to) and sends one HTTP/1.1 request with undici; returns status, headers and
 * body. The target is sent verbatim, so tests control the exact percent-encoding.
 *
 * @example
 * const response = await sendSigned(server.url, { method: 'POST', path: '/model/outcrop.text/converse', body: '{}' });
 * assert.equal(response.headers['x-amzn-errortype'], 'ValidationException');
 */
export async function sendSigned(baseUrl: string, input: SignableRequest, options: SendOptions = {}): Promise<SignedResponse> {
  const headers = options.unsigned ? { ...input.headers } : await signHeaders(baseUrl, input);
  const body = options.bodyAfterSigning ?? input.body;
  if (options.unsigned && body !== undefined && body.length > 0) headers['content-type'] ??= 'application/json';
  const dispatcher = options.dispatcher ?? getGlobalDispatcher();
  const response = await dispatcher.request({
    origin: new URL(baseUrl).origin,
    path: requestTarget(input),
    method: input.method as Dispatcher.HttpMethod,
    headers,
    body: body ?? null,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, body: parseObject(text) };
}

/**
 * Signs and sends one request over an open HTTP/2 session (`http2.connect(server.url)`).
 *
 * @example
 * const session = connect(server.url);
 * const response = await sendSignedHttp2(session, server.url, { method: 'GET', path: '/foundation-models' });
 */
export async function sendSignedHttp2(session: ClientHttp2Session, baseUrl: string, input: SignableRequest, timeoutMs = 15_000): Promise<SignedResponse> {
  const signed = await signHeaders(baseUrl, input);
  return new Promise((resolve, reject) => {
    const hasBody = input.body !== undefined && input.body.length > 0;
    // Node ends GET and DELETE streams at once unless told otherwise; a fuzzer sends bodies with them too.
    const stream = session.request({ ...signed, ':method': input.method, ':path': requestTarget(input) }, { endStream: !hasBody });
    stream.setTimeout(timeoutMs, () => stream.close());
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: SignedResponse['headers'] = {};
    stream.on('response', (received) => {
      status = Number(received[':status']);
      headers = received as SignedResponse['headers'];
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status, headers, text, body: parseObject(text) });
    });
    stream.on('close', () => {
      if (status === 0) reject(new Error(`HTTP/2 stream closed without a response (code ${stream.rstCode})`));
    });
    stream.on('error', reject);
    if (hasBody) stream.end(Buffer.from(input.body as Uint8Array));
  });
}

/** The JSON body when it is an object, undefined otherwise. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
