import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { OutcropError } from '../core/errors.js';

/** Reads the body up to `limit` bytes; a larger one is refused with 413 before it is buffered. */
export function readBody(req: IncomingMessage | Http2ServerRequest, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(declared, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(size: number, limit: number): OutcropError {
  return new OutcropError('ValidationException', `The request body (${size} bytes or more) exceeds this server's limit of ${limit} bytes.`, { statusCode: 413 });
}
