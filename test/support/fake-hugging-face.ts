import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHuggingFace {
  url: string;
  /** `range` header of each file request (undefined: none) */
  ranges: (string | undefined)[];
  /** drop the connection after this many body bytes, for the next `count` responses */
  dropNext(count: number, afterBytes: number): void;
  /** advertise this SHA-256 instead of the file's own */
  advertise(sha256: string | undefined): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for Hugging Face's file resolver: `/{owner}/{repo}/resolve/{revision}/{file}`
 * answers 302 to a CDN path with `x-linked-etag` (the quoted SHA-256) and `x-linked-size`, as
 * huggingface.co does for LFS files; the CDN path serves the bytes with `Range` support.
 */
export async function startFakeHuggingFace(files: Record<string, string>): Promise<FakeHuggingFace> {
  const contents = new Map(Object.entries(files).map(([path, file]) => [path, readFileSync(file)]));
  const ranges: (string | undefined)[] = [];
  let drops = 0;
  let dropAfter = 0;
  let advertised: string | undefined;
  let overridden = false;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const resolved = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolved) {
      const key = `${resolved[1]}/${resolved[2]}/${resolved[4]}`;
      const body = contents.get(key);
      if (!body) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
        return;
      }
      const sha256 = overridden ? advertised : createHash('sha256').update(body).digest('hex');
      response.writeHead(302, {
        location: `/cdn/${encodeURIComponent(key)}?signature=fake`,
        ...(sha256 ? { 'x-linked-etag': `"${sha256}"` } : {}),
        'x-linked-size': String(body.length),
      });
      response.end();
      return;
    }
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    const body = cdn?.[1] ? contents.get(decodeURIComponent(cdn[1])) : undefined;
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    ranges.push(request.headers.range);
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= body.length) {
        response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      response.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'accept-ranges': 'bytes' });
    } else {
      response.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    }
    const rest = body.subarray(start);
    if (drops > 0) {
      drops--;
      response.write(rest.subarray(0, Math.min(dropAfter, rest.length - 1)), () => {
        // cut the connection mid-body
        setTimeout(() => request.socket.destroy(), 20);
      });
      return;
    }
    response.end(rest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ranges,
    dropNext(count, afterBytes) {
      drops = count;
      dropAfter = afterBytes;
    },
    advertise(sha256) {
      advertised = sha256;
      overridden = sha256 !== undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
