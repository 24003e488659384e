import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the upstream received it, for asserting on exactly what a provider sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** Which recorded file answers, with what status and headers (default 200). */
export interface FixtureReply {
  /** a file in the fixtures folder: `*.json` is sent as JSON, `*.chunks.txt` as a raw SSE body */
  fixture: string;
  status?: number;
  headers?: Record<string, string>;
}

export interface FixtureUpstream {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Answers the next request with this reply (queued; before `route`). */
  respondWith(fixture: string, options?: Omit<FixtureReply, 'fixture'>): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server that replays a provider's recorded responses from its `__fixtures__` folder
 * and records every request. Without a queued reply, `route` picks the fixture; by default the
 * request's `model` does: `<model>.chunks.txt` when it asks to stream, `<model>.json` otherwise.
 * Streams are written in small pieces, splitting events across writes as real servers do.
 *
 * @example
 * const upstream = await startFixtureUpstream(new URL('./__fixtures__/', import.meta.url));
 * upstream.respondWith('rate-limited.json', { status: 429, headers: { 'retry-after': '7' } });
 */
export async function startFixtureUpstream(
  directory: URL,
  route: (request: RecordedRequest) => FixtureReply = routeByModel(),
): Promise<FixtureUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: FixtureReply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // recorded as empty
      }
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      let reply: FixtureReply;
      try {
        reply = queue.shift() ?? route(request);
        replay(new URL(reply.fixture, directory), reply, res);
      } catch (error) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`fixture upstream: ${(error as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    respondWith: (fixture, options = {}) => queue.push({ fixture, ...options }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Picks the fixture by the request's `model`: a reply given for that model in `special`, else
 * `<model>.chunks.txt` when the request asks to stream and `<model>.json` otherwise.
 *
 * @example
 * startFixtureUpstream(fixtures, routeByModel({ 'rate-limited': { fixture: 'rate-limited.json', status: 429 } }));
 */
export function routeByModel(special: Record<string, FixtureReply> = {}): (request: RecordedRequest) => FixtureReply {
  return (request) => {
    const model = String(request.body.model);
    return (Object.hasOwn(special, model) ? special[model] : undefined) ?? { fixture: `${model}${request.body.stream === true ? '.chunks.txt' : '.json'}` };
  };
}

function replay(file: URL, reply: FixtureReply, res: ServerResponse): void {
  const text = readFileSync(file, 'utf8');
  if (!file.pathname.endsWith('.chunks.txt')) {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(text);
    return;
  }
  res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  const pieces = text.match(/[\s\S]{1,37}/g) ?? [];
  let index = 0;
  const next = () => {
    if (res.destroyed) return;
    if (index >= pieces.length) {
      res.end();
      return;
    }
    res.write(pieces[index++]);
    setImmediate(next);
  };
  next();
}

/** Reads a fixture's JSON, for comparing what a provider returned with what was recorded. */
export function readFixture<T = Record<string, unknown>>(directory: URL, name: string): T {
  return JSON.parse(readFileSync(new URL(name, directory), 'utf8')) as T;
}
