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
