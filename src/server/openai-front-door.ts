import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Logger } from 'pino';
import { OutcropError } from '../core/errors.js';
import type { ServiceDependencies } from '../services/handler.js';
import { authenticationFailed, openAIRequestError, toOpenAIErrorResponse } from '../services/openai/openai-error.js';
import type { OpenAIHandler, OpenAIRouteTable } from '../services/openai/openai-handler.js';
import type { CredentialStore } from '../storage/credentials/credential-store.js';
import { authenticate } from './authenticate.js';
import { FrameWriter } from './frame-writer.js';
import { readBody } from './read-body.js';

export interface OpenAIFrontDoorOptions {
  routes: OpenAIRouteTable;
  deps: ServiceDependencies;
  credentials: CredentialStore;
  noAuth: boolean;
  maxBodyBytes: number;
  logger: Logger;
  /** true once shutdown has begun: streams it aborts end with an error event rather than a reset */
  shuttingDown(): boolean;
}

export interface OpenAIExchange {
  req: IncomingMessage | Http2ServerRequest;
  res: ServerResponse | Http2ServerResponse;
  requestId: string;
  signal: AbortSignal;
  method: string;
  rawPath: string;
  query: URLSearchParams;
}

const done = Buffer.from('data: [DONE]\n\n');

/** The Bedrock surfaces have no `/v1/` paths, so these belong to the OpenAI front door. */
export function isOpenAIPath(rawPath: string): boolean {
  return rawPath.startsWith('/v1/') || rawPath === '/v1';
}

/**
 * The OpenAI-compatible front door on the server's port: the same credentials (a Bearer API key, as
 * the `openai` clients send, or SigV4) and the same catalog as the Bedrock surfaces; JSON answers or
 * server-sent events; every error in OpenAI's shape through `toOpenAIErrorResponse`. A client that
 * disconnects aborts the signal that reaches the backend.
 */
export function createOpenAIFrontDoor(options: OpenAIFrontDoorOptions): (exchange: OpenAIExchange) => Promise<void> {
  return async function serveOpenAI(exchange: OpenAIExchange): Promise<void> {
    const { req, res, requestId, signal, method, rawPath, query } = exchange;
    const started = performance.now();
    try {
      const body = await readBody(req, options.maxBodyBytes);
      if (!options.noAuth) {
        const headers = req.headers as Record<string, string | string[] | undefined>;
        await authenticate({ method, rawPath, query, headers, body }, options.credentials).catch((error: unknown) => {
          throw authenticationFailed(error);
        });
      }
      const route = matchRoute(options.routes, method, rawPath);
      if (!route) throw new OutcropError('UnknownOperationException', `Invalid URL (${method} ${rawPath})`);
      const response = await route.handler({ body: method === 'POST' ? parseJson(body) : undefined, params: route.params }, { requestId, signal, deps: options.deps });
      if ('events' in response) await writeEvents(exchange, response.events);
      else {
        const json = JSON.stringify(response.json);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)), 'x-request-id': requestId });
        res.end(json);
      }
      options.logger.debug({ requestId, path: rawPath, status: res.statusCode, ms: performance.now() - started }, 'request');
    } catch (error) {
      if (signal.aborted && !OutcropError.isInstance(error)) {
        res.destroy();
        return;
      }
      const response = toOpenAIErrorResponse(error);
      if (!res.headersSent) {
        res.writeHead(response.statusCode, { ...response.headers, 'x-request-id': requestId });
        res.end(JSON.stringify(response.body));
      } else res.destroy();
      const log = { requestId, path: rawPath, status: response.statusCode, err: error };
      if (response.statusCode >= 500) options.logger.error(log, response.body.error.message);
      else options.logger.debug(log, response.body.error.message);
    }
  };

  /** Server-sent events: the first event is awaited before the 200 goes out, so early failures stay HTTP errors. */
  async function writeEvents({ res, requestId, signal }: OpenAIExchange, events: AsyncIterable<unknown>): Promise<void> {
    const iterator = events[Symbol.asyncIterator]();
    let first: IteratorResult<unknown>;
    try {
      first = await iterator.next();
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': requestId });
    const writer = new FrameWriter(res, signal);
    try {
      for (let step = first; !step.done; step = await iterator.next()) {
        writer.push(Buffer.from(`data: ${JSON.stringify(step.value)}\n\n`));
        await writer.ready();
      }
      writer.push(done);
      writer.flush();
    } catch (error) {
      writer.flush();
      await iterator.return?.().catch(() => {});
      if (signal.aborted && !options.shuttingDown()) {
        res.destroy();
        return;
      }
      const reason = signal.aborted ? signal.reason : error;
      const { body } = toOpenAIErrorResponse(reason);
      options.logger.warn({ requestId, err: reason }, 'stream ended with an error event');
      writer.push(Buffer.from(`data: ${JSON.stringify(body)}\n\n`));
      writer.flush();
    }
    res.end();
  }
}

/** Exact `METHOD /path` first, then templates whose last segment `{name}` takes the rest of the path. */
function matchRoute(routes: OpenAIRouteTable, method: string, rawPath: string): { handler: OpenAIHandler; params: Record<string, string> } | undefined {
  const exact = routes[`${method} ${rawPath}`];
  if (exact) return { handler: exact, params: {} };
  for (const [key, handler] of Object.entries(routes)) {
    const match = /^(\S+) (.*\/)\{(\w+)\}$/.exec(key);
    if (!match || match[1] !== method || !rawPath.startsWith(match[2] as string)) continue;
    const rest = rawPath.slice((match[2] as string).length);
    if (!rest) continue;
    try {
      return { handler, params: { [match[3] as string]: decodeURIComponent(rest) } };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw openAIRequestError('We could not parse the JSON body of your request. The OpenAI-compatible API expects a JSON payload.');
  }
}
