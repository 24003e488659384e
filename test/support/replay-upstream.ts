import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A request as the upstream saw it, for assertions on exactly what a provider sent. */
export interface ReplayRequest {
  method: string;
  /** path and query, as sent */
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  /** the body parsed as JSON (undefined when it is not JSON) */
  body: unknown;
}

/** What the upstream answers: a status, headers, and a body written whole or in pieces. */
export interface ReplayReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** written one per event-loop turn, as a streaming server would */
  pieces?: (string | Uint8Array)[];
  /** keep the response open without writing (until the client leaves) */
  hang?: boolean;
}

export type ReplayRoute = (request: ReplayRequest) => ReplayReply | Promise<ReplayReply>;

export interface ReplayUpstream {
  url: string;
  requests: ReplayRequest[];
  /** the answer to the next requests; tests set it per case */
  route: ReplayRoute;
  close(): Promise<void>;
}

/**
 * A local HTTP server that records every request and answers with recorded fixtures: the model
 * upstream of provider unit tests and conformance tests. Nothing else is faked.
 *
 * @example
 * const upstream = await startReplayUpstream();
 * upstream.route = () => jsonReply(fixture(dir, 'text.json'));
 */
export async function startReplayUpstream(
  route: ReplayRoute = () => ({ status: 500, body: 'no route set' }),
  /** checks a request before the route answers it (a signature, say); a reply here answers instead */
  guard: (request: ReplayRequest) => Promise<ReplayReply | undefined> = async () => undefined,
): Promise<ReplayUpstream> {
  const state: ReplayUpstream = { url: '', requests: [], route, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const request: ReplayRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body };
      state.requests.push(request);
      void guard(request).then(async (refused) => send(refused ?? (await state.route(request))));
    });
    const send = (reply: ReplayReply) => {
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      if (reply.hang) return;
      if (reply.pieces) {
        const pieces = [...reply.pieces];
        const next = () => {
          if (res.destroyed) return;
          const piece = pieces.shift();
          if (piece === undefined) res.end();
          else {
            res.write(piece);
            setImmediate(next);
          }
        };
        next();
        return;
      }
      res.end(reply.body ?? '');
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Reads a recorded fixture file as text. */
export function fixture(directory: string, name: string): string {
  return readFileSync(join(directory, name), 'utf8');
}

/** A JSON answer (a recorded `*.json` response). */
export function jsonReply(body: string, status = 200, headers: Record<string, string> = {}): ReplayReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** A streamed text answer (a recorded `*.chunks.txt`), cut into small pieces that split events across writes. */
export function streamReply(text: string, contentType: string): ReplayReply {
  return { headers: { 'content-type': contentType }, pieces: text.match(/[\s\S]{1,37}/g) ?? [] };
}
