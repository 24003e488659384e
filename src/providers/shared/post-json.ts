import type { Readable } from 'node:stream';
import { type Agent, errors, request } from 'undici';
import { OutcropError } from '../../core/errors.js';

export interface PostJsonOptions {
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** the body already serialized, sent as it is (a signed request must send exactly the bytes it signed) */
  bodyText?: string;
  /** time allowed until the response headers arrive */
  timeoutMs: number;
  /** time allowed between two body chunks */
  idleTimeoutMs: number;
  signal?: AbortSignal;
  dispatcher: Agent;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** the raw body (for SSE: see serverSentEventParts) */
  body: Readable;
  text(): Promise<string>;
}

/**
 * POSTs JSON to an upstream with bounded waits, turning network failures into Bedrock errors:
 * an unreachable backend is `ServiceUnavailableException`, a slow one `ModelTimeoutException`.
 */
export async function postJson(options: PostJsonOptions): Promise<UpstreamResponse> {
  try {
    const response = await request(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers },
      body: options.bodyText ?? JSON.stringify(options.body),
      signal: options.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.idleTimeoutMs,
      dispatcher: options.dispatcher,
    });
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      body: response.body,
      text: () => response.body.text(),
    };
  } catch (error) {
    throw upstreamFailure(error, options.url);
  }
}

/** Maps a transport-level failure of an upstream call onto a Bedrock error. */
export function upstreamFailure(error: unknown, url: string): unknown {
  if (OutcropError.isInstance(error)) return error;
  const name = (error as Error | undefined)?.name;
  if (name === 'AbortError') return error;
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError || error instanceof errors.ConnectTimeoutError) {
    return new OutcropError('ModelTimeoutException', `The model backend did not answer in time (${new URL(url).host}).`, { cause: error });
  }
  return new OutcropError('ServiceUnavailableException', `The model backend at ${new URL(url).host} is unreachable: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}

/** How a provider's models reach its upstream: bounded waits over one pooled dispatcher. */
export interface UpstreamConnection {
  timeoutMs: number;
  idleTimeoutMs: number;
  dispatcher: Agent;
}

/** A provider's translation of an HTTP error answer (status, body text, headers) into a Bedrock error. */
export type UpstreamErrorMapper = (statusCode: number, bodyText: string, headers: UpstreamResponse['headers']) => unknown;

/** One POST to an upstream: where, with which headers, and the JSON body (or its exact bytes). */
export interface UpstreamPost {
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** the body already serialized, sent as it is (a signed request must send exactly the bytes it signed) */
  bodyText?: string;
  signal?: AbortSignal | undefined;
}

/**
 * POSTs JSON through a provider's connection (as `postJson` does) and throws the provider's own
 * error for an HTTP error status, so a model only reads successful answers.
 *
 * @example
 * const response = await postToUpstream(settings, { url: `${settings.baseUrl}/api/chat`, headers, body, signal }, mapOllamaError);
 */
export async function postToUpstream(connection: UpstreamConnection, post: UpstreamPost, mapError: UpstreamErrorMapper): Promise<UpstreamResponse> {
  const response = await postJson({
    url: post.url,
    headers: post.headers,
    ...(post.bodyText === undefined ? { body: post.body } : { bodyText: post.bodyText }),
    timeoutMs: connection.timeoutMs,
    idleTimeoutMs: connection.idleTimeoutMs,
    ...(post.signal ? { signal: post.signal } : {}),
    dispatcher: connection.dispatcher,
  });
  if (response.statusCode >= 400) throw mapError(response.statusCode, await response.text(), response.headers);
  return response;
}
