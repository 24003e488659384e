import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePage {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface FakeWebsite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** each request: path, `User-Agent`, and when it arrived (ms) */
  requests: { path: string; userAgent: string | undefined; at: number }[];
  close(): Promise<void>;
}

/**
 * A website on loopback for crawler tests: pages by path (HTML by default), 404 for the rest, and a
 * log of every request.
 */
export async function startFakeWebsite(pages: Record<string, FakePage | string>): Promise<FakeWebsite> {
  const requests: FakeWebsite['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, userAgent: request.headers['user-agent'], at: performance.now() });
    const page = pages[path];
    if (page === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const { status = 200, headers = {}, body = '' } = typeof page === 'string' ? { body: page } : page;
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
