import type { Readable } from 'node:stream';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { type BodyDecoder, type BodyPartTransformer, decodedBodyParts } from './decoded-body-parts.js';

/** One AWS event-stream message: its headers as text and its raw payload. */
export interface EventStreamMessage {
  /** `:message-type`, `:event-type`, `:exception-type`, `:content-type`, ... */
  headers: Record<string, string>;
  body: Uint8Array;
}

const preludeLength = 12;
const minimumMessageLength = 16;

/**
 * The one AWS event-stream (`application/vnd.amazon.eventstream`) parser every provider uses.
 * It splits the bytes into messages by their length prelude and decodes each with
 * `@smithy/eventstream-codec`, which checks both CRCs; a bad frame throws, and the stream helper
 * turns that into an error part.
 */
export function createEventStreamDecoder(onMessage: (message: EventStreamMessage) => void): BodyDecoder {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  let buffer: Buffer = Buffer.alloc(0);
  return {
    feed(chunk) {
      buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
      while (buffer.length >= preludeLength) {
        const length = buffer.readUInt32BE(0);
        if (length < minimumMessageLength) throw new Error(`Malformed event-stream message: a message cannot be ${length} bytes long.`);
        if (buffer.length < length) break;
        const message = codec.decode(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        const headers: Record<string, string> = {};
        for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
        onMessage({ headers, body: message.body });
      }
    },
    end() {
      if (buffer.length > 0) throw new Error(`The event stream ended inside a message (${buffer.length} bytes left over).`);
    },
  };
}

/** Turns the messages of one upstream response into a provider's typed parts. */
export type EventStreamTransformer<T> = BodyPartTransformer<EventStreamMessage, T>;

/**
 * Reads an event-stream response body straight into one `ReadableStream` of parts, with
 * backpressure and cancellation (see `decodedBodyParts`).
 *
 * @example
 * const stream = eventStreamParts(response.body, { event: (message, enqueue) => ..., flush, error });
 */
export function eventStreamParts<T>(body: Readable, transformer: EventStreamTransformer<T>, leading: T[] = []): ReadableStream<T> {
  return decodedBodyParts(body, createEventStreamDecoder, transformer, leading);
}
