import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Logger } from 'pino';
import { OutcropError } from '../core/errors.js';
import { exceptionEventName, toErrorResponse } from '../protocol/errors.js';
import { encodeEvent, encodeException, eventStreamContentType } from '../protocol/event-stream.js';
import { bedrockAgentModel, bedrockAgentRuntimeModel, bedrockModel, bedrockRuntimeModel } from '../protocol/generated/index.js';
import type { MemberModel, OperationModel, ServiceModel } from '../protocol/model-types.js';
import { readInput, stringify, writeOutput } from '../protocol/rest-json.js';
import { type RoutedOperation, Router } from '../protocol/router.js';
import type { HandlerTable, ServiceDependencies } from '../services/handler.js';
import type { OpenAIRouteTable } from '../services/openai/openai-handler.js';
import type { CredentialStore } from '../storage/credentials/credential-store.js';
import { authenticate } from './authenticate.js';
import { FrameWriter } from './frame-writer.js';
import type { OutcropMetrics } from './metrics/metrics.js';
import { metricsPath, serveMetrics } from './metrics/serve-metrics.js';
import { createOpenAIFrontDoor, isOpenAIPath } from './openai-front-door.js';
import { readBody } from './read-body.js';
import type { RequestIntake } from './request-intake.js';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

export interface AppOptions {
  deps: ServiceDependencies;
  handlers: HandlerTable;
  /** the OpenAI-compatible front door's routes (`/v1/...`); without them those paths are unknown operations */
  openAIRoutes?: OpenAIRouteTable;
  credentials: CredentialStore;
  /** skip authentication (local development only) */
  noAuth: boolean;
  maxBodyBytes: number;
  logger: Logger;
  /** served at `GET /metrics` (Prometheus text, authenticated like every other path) when given */
  metrics?: OutcropMetrics;
  /** counts each request from its arrival until its operation's handler starts (or it ends) */
  intake?: RequestIntake;
}

const noop = () => {};

export const services: ServiceModel[] = [bedrockRuntimeModel, bedrockModel, bedrockAgentModel, bedrockAgentRuntimeModel];

/** Tracks requests in flight so shutdown can wait for them, then end the rest. */
export class InFlight {
  private readonly controllers = new Set<AbortController>();
  private waiters: (() => void)[] = [];
  shuttingDown = false;

  add(controller: AbortController): void {
    this.controllers.add(controller);
  }

  delete(controller: AbortController): void {
    this.controllers.delete(controller);
    if (this.controllers.size === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  get size(): number {
    return this.controllers.size;
  }

  /** Resolves when nothing is in flight, or after `ms`, whichever comes first. */
  drain(ms: number): Promise<void> {
    if (this.controllers.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  abortAll(): void {
    for (const controller of this.controllers) controller.abort(new OutcropError('ServiceUnavailableException', 'The server is shutting down.'));
  }
}

/**
 * The request pipeline for every transport: request ID, body (bounded), authentication, routing by
 * the Smithy URI templates, input binding and validation, the handler, and the response (JSON, raw
 * payload or an event stream). Errors leave through `toErrorResponse` only.
 */
export function createApp(options: AppOptions): { handle: (req: AnyRequest, res: AnyResponse) => void; inFlight: InFlight } {
  const router = new Router(services);
  const inFlight = new InFlight();
  const serveOpenAI = options.openAIRoutes ? createOpenAIFrontDoor({ ...options, routes: options.openAIRoutes, shuttingDown: () => inFlight.shuttingDown }) : null;

  const handle = (req: AnyRequest, res: AnyResponse): void => {
    const requestId = randomUUID();
    const controller = new AbortController();
    inFlight.add(controller);
    const received = options.intake?.begin() ?? noop;
    res.on('close', () => {
      received();
      // writableEnded, not writableFinished: HTTP/2's compatibility response reports finished on a reset stream.
      if (!res.writableEnded) controller.abort(new Error('client disconnected'));
      inFlight.delete(controller);
    });
    serve(req, res, requestId, controller.signal, received).catch((error: unknown) => {
      options.logger.error({ err: error, requestId }, 'request failed after the response started');
      if (!res.headersSent) sendError(res, requestId, error);
      else res.destroy();
    });
  };

  async function serve(req: AnyRequest, res: AnyResponse, requestId: string, signal: AbortSignal, received: () => void): Promise<void> {
    const started = performance.now();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
    const method = req.method ?? 'GET';
    if (serveOpenAI && isOpenAIPath(rawPath)) {
      received();
      return serveOpenAI({ req, res, requestId, signal, method, rawPath, query });
    }
    let operationName = 'unknown';
    try {
      const body = await readBody(req, options.maxBodyBytes);
      if (!options.noAuth) {
        await authenticate({ method, rawPath, query, headers: req.headers as Record<string, string | string[] | undefined>, body }, options.credentials);
      }
      if (options.metrics && rawPath === metricsPath) return await serveMetrics(req, res, options.metrics, requestId);
      const routed = pickRoute(router.match(method, rawPath, query), req.headers);
      if (!routed) {
        throw new OutcropError('UnknownOperationException', `No Bedrock operation matches ${method} ${rawPath}.`);
      }
      const { service, operation, labels } = routed;
      operationName = operation.name;
      const input = readInput(service, operation, { labels, query, headers: req.headers as Record<string, string | string[] | undefined>, body });
      const handler = options.handlers[`${service.name}:${operation.name}`];
      if (!handler) {
        throw new OutcropError('NotImplementedException', `${operation.name} (${service.sdkId}) is not implemented by this Outcrop server yet.`);
      }
      // (a model call starts within this turn: a decode about to start may wait for requests still being received)
      received();
      const output = await handler(input, { requestId, signal, deps: options.deps });
      const stream = eventStreamMember(service, operation);
      if (stream) {
        await writeEventStream(res, requestId, service, operation, stream, output, signal);
      } else {
        const response = writeOutput(service, operation, output);
        response.headers['x-amzn-requestid'] = requestId;
        res.writeHead(response.statusCode, response.headers);
        res.end(response.body);
      }
      options.logger.debug({ requestId, operation: operationName, status: res.statusCode, ms: performance.now() - started }, 'request');
    } catch (error) {
      if (signal.aborted && !OutcropError.isInstance(error)) {
        res.destroy();
        return;
      }
      const response = sendError(res, requestId, error);
      if (response.statusCode >= 500) options.logger.error({ err: error, requestId, operation: operationName }, response.message);
      else options.logger.debug({ requestId, operation: operationName, code: response.code }, response.message);
    }
  }

  async function writeEventStream(
    res: AnyResponse,
    requestId: string,
    service: ServiceModel,
    operation: OperationModel,
    stream: { name: string; union: string },
    output: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<void> {
    const events = output[stream.name] as AsyncIterable<Record<string, unknown>>;
    const { headers } = writeOutput(service, operation, { ...output, [stream.name]: undefined });
    headers['content-type'] = eventStreamContentType;
    headers['x-amzn-requestid'] = requestId;
    const union = service.shapes[stream.union];
    const members = union?.t === 'union' ? union.m : {};
    const iterator = events[Symbol.asyncIterator]();
    // Ask for the first event before committing to 200, so errors before any output are plain HTTP errors.
    let first: IteratorResult<Record<string, unknown>>;
    try {
      first = await iterator.next();
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
    res.writeHead(operation.code, headers);
    const writer = new FrameWriter(res, signal);
    try {
      for (let step = first; !step.done; step = await iterator.next()) {
        const [name, value] = Object.entries(step.value)[0] as [string, unknown];
        const member = members[name] as MemberModel | undefined;
        const payload = member ? stringify(service, member.s, value) : JSON.stringify(value);
        writer.push(encodeEvent(name, payload));
        await writer.ready();
      }
      writer.flush();
    } catch (error) {
      writer.flush();
      await iterator.return?.().catch(() => {});
      if (signal.aborted && !inFlight.shuttingDown) {
        res.destroy();
        return;
      }
      const reason = signal.aborted ? signal.reason : error;
      const known = OutcropError.isInstance(reason) ? reason : new OutcropError('ModelStreamErrorException', 'The model stream failed.', { cause: reason });
      const eventName = exceptionEventName(known.code);
      const code = eventName in members ? known.code : 'InternalServerException' in members || 'internalServerException' in members ? 'InternalServerException' : 'ModelStreamErrorException';
      options.logger.warn({ requestId, code: known.code, err: reason }, 'stream ended with an exception event');
      writer.push(encodeException(code, { message: known.message, ...known.fields }));
      writer.flush();
    }
    res.end();
  }

  return { handle, inFlight };
}

function sendError(res: AnyResponse, requestId: string, error: unknown) {
  const response = toErrorResponse(error);
  if (!res.headersSent) {
    res.writeHead(response.statusCode, { ...response.headers, 'x-amzn-requestid': requestId });
    res.end(response.body);
  } else {
    res.destroy();
  }
  return response;
}

function eventStreamMember(service: ServiceModel, operation: OperationModel): { name: string; union: string } | null {
  if (!operation.output) return null;
  const shape = service.shapes[operation.output];
  if (shape?.t !== 'structure') return null;
  for (const [name, member] of Object.entries(shape.m)) {
    const target = service.shapes[member.s];
    if (member.p && target?.t === 'union' && target.stream) return { name, union: member.s };
  }
  return null;
}

/** Colliding templates (tagging in bedrock-agent and bedrock-agent-runtime) are told apart by Host, then by ARN. */
function pickRoute(candidates: RoutedOperation[], headers: AnyRequest['headers']): RoutedOperation | undefined {
  if (candidates.length <= 1) return candidates[0];
  const host = String(headers[':authority'] ?? headers.host ?? '');
  const byHost = candidates.find((candidate) => host.startsWith(`${candidate.service.endpointPrefix}.`));
  if (byHost) return byHost;
  const arn = Object.values(candidates[0]?.labels ?? {}).join(' ');
  if (/:session\//.test(arn)) return candidates.find((candidate) => candidate.service.name === 'bedrock-agent-runtime');
  return candidates[0];
}
