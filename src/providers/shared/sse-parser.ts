import type { Readable } from 'node:stream';
import { createParser } from 'eventsource-parser';
import { type BodyPartTransformer, decodedBodyParts } from './decoded-body-parts.js';

/** One server-sent event. Comments (`: ping`) never reach consumers. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/** Incremental decoder: bytes in (any chunking, any UTF-8 split), events out through `onEvent`. */
export interface ServerSentEventDecoder {
  feed(chunk: Uint8Array): void;
  end(): void;
}

/**
 * The one SSE parser every provider uses (over `eventsource-parser`). Keep-alive comments and
 * blank events are dropped here so no provider has to know about them.
 */
export function createServerSentEventDecoder(onEvent: (event: ServerSentEvent) => void): ServerSentEventDecoder {
  const text = new TextDecoder();
  const parser = createParser({ onEvent: (event) => onEvent({ event: event.event, data: event.data }) });
  return {
    feed: (chunk) => parser.feed(text.decode(chunk, { stream: true })),
    end: () => {
      const rest = text.decode();
      if (rest) parser.feed(rest);
    },
  };
}

/** The decoder as a web stream of events. */
export function parseServerSentEvents(body: ReadableStream<Uint8Array>): ReadableStream<ServerSentEvent> {
  let decoder: ServerSentEventDecoder;
  return body.pipeThrough(
    new TransformStream<Uint8Array, ServerSentEvent>({
      start(controller) {
        decoder = createServerSentEventDecoder((event) => controller.enqueue(event));
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

/** Turns the events of one upstream response into a provider's typed parts. */
export type ServerSentEventTransformer<T> = BodyPartTransformer<ServerSentEvent, T>;

/**
 * Reads an SSE response body straight into one `ReadableStream` of parts: no intermediate streams,
 * with backpressure (the socket pauses while the consumer lags) and cancellation (cancelling the
 * parts stream destroys the upstream request).
 */
export function serverSentEventParts<T>(body: Readable, transformer: ServerSentEventTransformer<T>, leading: T[] = []): ReadableStream<T> {
  return decodedBodyParts(body, createServerSentEventDecoder, transformer, leading);
}
