import type { Readable } from 'node:stream';
import { type BodyDecoder, type BodyPartTransformer, decodedBodyParts } from './decoded-body-parts.js';

/**
 * The one NDJSON (newline-delimited JSON) parser every provider uses: bytes in (any chunking, any
 * UTF-8 split), one line of JSON text out per record through `onLine`. Blank lines are dropped;
 * a last record without its newline is still delivered. Consumers parse (and validate) the JSON, so
 * a malformed line is theirs to turn into an error part.
 */
export function createNdjsonDecoder(onLine: (line: string) => void): BodyDecoder {
  const text = new TextDecoder();
  let buffer = '';
  const drain = () => {
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onLine(line);
      newline = buffer.indexOf('\n');
    }
  };
  return {
    feed(chunk) {
      buffer += text.decode(chunk, { stream: true });
      drain();
    },
    end() {
      buffer += text.decode();
      drain();
      const line = buffer.trim();
      buffer = '';
      if (line) onLine(line);
    },
  };
}

/** The decoder as a web stream of lines. */
export function parseNdjson(body: ReadableStream<Uint8Array>): ReadableStream<string> {
  let decoder: BodyDecoder;
  return body.pipeThrough(
    new TransformStream<Uint8Array, string>({
      start(controller) {
        decoder = createNdjsonDecoder((line) => controller.enqueue(line));
      },
      transform(chunk) {
        decoder.feed(chunk);
      },
      flush() {
        decoder.end();
      },
    }),
  );
}

/** Turns the lines of one upstream response into a provider's typed parts. */
export type NdjsonTransformer<T> = BodyPartTransformer<string, T>;

/**
 * Reads an NDJSON response body straight into one `ReadableStream` of parts, with backpressure and
 * cancellation (see `decodedBodyParts`).
 *
 * @example
 * const stream = ndjsonParts(response.body, { event: (line, enqueue) => ..., flush, error });
 */
export function ndjsonParts<T>(body: Readable, transformer: NdjsonTransformer<T>, leading: T[] = []): ReadableStream<T> {
  return decodedBodyParts(body, createNdjsonDecoder, transformer, leading);
}
