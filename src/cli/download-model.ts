import { createHash } from 'node:crypto';
import { type WriteStream, createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface DownloadOptions {
  url: string;
  /** the final path; the download goes to `<destination>.partial` until it is complete and verified */
  destination: string;
  /** the expected SHA-256 (hex); otherwise the `x-linked-etag` / `etag` SHA-256 the server sends, if any */
  sha256?: string;
  /** sent on requests to the URL's own origin only (a `Authorization: Bearer` token), never across redirects */
  headers?: Record<string, string>;
  /** how many times an interrupted body is resumed (HTTP Range) before giving up; default 3 */
  retries?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** where the checked hash came from; `none` when neither the caller nor the server gave one */
  verifiedAgainst: 'option' | 'server' | 'none';
  /** offsets the download resumed from (a `.partial` file left before, or an interrupted body) */
  resumedFrom: number[];
}

/** A failure that leaves the `.partial` file for a later resume. */
export class DownloadInterruptedError extends Error {
  override readonly name = 'DownloadInterruptedError';
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** The SHA-256 Hugging Face sends for LFS files: `x-linked-etag` (or `etag`) holding a quoted hex digest. */
function advertisedSha256(headers: Headers): string | undefined {
  for (const name of ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
    if (value && sha256Pattern.test(value)) return value;
  }
  return undefined;
}

/** GET with redirects followed by hand, so the first hop's headers (Hugging Face's checksum) are kept. */
async function request(url: string, offset: number, options: DownloadOptions): Promise<{ response: Response; sha256: string | undefined }> {
  const origin = new URL(url).origin;
  let current = url;
  let sha256: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'outcrop-models-pull', ...(new URL(current).origin === origin ? options.headers : {}) };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const response = await fetch(current, { headers, redirect: 'manual', ...(options.signal ? { signal: options.signal } : {}) });
    sha256 ??= advertisedSha256(response.headers);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).toString();
      continue;
    }
    return { response, sha256 };
  }
  throw new Error(`too many redirects for ${url}`);
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Downloads a file with resume: bytes go to `<destination>.partial`; an existing partial file, or a
 * body cut off mid-way, continues with an HTTP `Range` request. The finished file is checked against
 * the expected SHA-256 and only then renamed into place; a mismatch deletes it.
 *
 * @example
 * await downloadModel({ url: 'https://huggingface.co/o/r/resolve/main/m.gguf', destination: '/data/models/o/r/m.gguf' });
 */
export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const partial = `${options.destination}.partial`;
  mkdirSync(dirname(partial), { recursive: true });
  let expected = options.sha256?.toLowerCase();
  if (expected !== undefined && !sha256Pattern.test(expected)) throw new Error('--sha256 must be 64 hexadecimal characters');
  let source: DownloadResult['verifiedAgainst'] = expected ? 'option' : 'none';
  const resumedFrom: number[] = [];
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    let offset = existsSync(partial) ? statSync(partial).size : 0;
    if (offset > 0) resumedFrom.push(offset);
    const { response, sha256 } = await request(options.url, offset, options);
    if (!expected && sha256) {
      expected = sha256;
      source = 'server';
    }
    if (response.status === 416) {
      await response.body?.cancel();
      const total = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]);
      if (total === offset) break;
      rmSync(partial, { force: true });
      continue;
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new Error(`GET ${options.url} answered HTTP ${response.status}${response.status === 404 ? ' (no such file)' : response.status === 401 ? ' (set HF_TOKEN for gated repositories)' : ''}`);
    }
    const rangeStart = Number(/^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1] ?? 0);
    if (response.status === 200 || rangeStart !== offset) {
      // the server ignored the range (or answered another one): start over
      offset = 0;
      rmSync(partial, { force: true });
    }
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && response.headers.has('content-length') ? offset + length : undefined;
    let received = offset;
    options.onProgress?.(received, total);
    let file: WriteStream | undefined;
    try {
      if (!response.body) throw new Error('the response has no body');
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        options.onProgress?.(received, total);
      });
      file = createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' });
      await pipeline(body, file);
      if (total !== undefined && received < total) throw new Error(`the connection closed after ${received} of ${total} bytes`);
      break;
    } catch (error) {
      // a failed pipeline destroys the file stream, but a write already under way still lands: the next
      // attempt must measure the partial file (its resume offset) only once that stream has closed
      const closing = file;
      if (closing && !closing.closed) await new Promise<void>((resolve) => closing.once('close', () => resolve()));
      if (options.signal?.aborted) throw new DownloadInterruptedError(`download stopped at ${received} bytes; run the same command again to resume`);
      if (attempt >= retries) {
        throw new DownloadInterruptedError(`download interrupted at ${received} bytes (${(error as Error).message}); run the same command again to resume`);
      }
    }
  }
  const bytes = statSync(partial).size;
  const actual = await hashFile(partial);
  if (expected && actual !== expected) {
    rmSync(partial, { force: true });
    throw new Error(`checksum mismatch: expected SHA-256 ${expected}, got ${actual}; the download was deleted`);
  }
  renameSync(partial, options.destination);
  return { path: options.destination, bytes, sha256: actual, verifiedAgainst: source, resumedFrom };
}
