import type { Readable } from 'node:stream';
import { createParser } from 'eventsource-parser';

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
export interface ServerSentEventTransformer<T> {
  event(event: ServerSentEvent, enqueue: (part: T) => void): void;
  /** the body ended; emit the closing parts */
  flush(enqueue: (part: T) => void): void;
  /** the body failed (reset, timeout); emit an error part */
  error(error: unknown, enqueue: (part: T) => void): void;
}

/**
 * Reads an SSE response body straight into one `ReadableStream` of parts: no intermediate streams,
 * with backpressure (the socket pauses while the consumer lags) and cancellation (cancelling the
 * parts stream destroys the upstream request).
 */
export function serverSentEventParts<T>(body: Readable, transformer: ServerSentEventTransformer<T>, leading: T[] = []): ReadableStream<T> {
  let closed = false;
  return new ReadableStream<T>(
    {
      start(controller) {
        const enqueue = (part: T) => {
          if (!closed) controller.enqueue(part);
        };
        const close = () => {
          if (closed) return;
          closed = true;
          controller.close();
        };
        for (const part of leading) enqueue(part);
        const decoder = createServerSentEventDecoder((event) => transformer.event(event, enqueue));
        body.on('data', (chunk: Uint8Array) => {
          decoder.feed(chunk);
          if ((controller.desiredSize ?? 1) <= 0) body.pause();
        });
        body.on('end', () => {
          decoder.end();
          transformer.flush(enqueue);
          close();
        });
        body.on('error', (error: unknown) => {
          if (closed) return;
          if ((error as Error | undefined)?.name === 'AbortError') {
            // The caller aborted: that is not a model failure, so the stream errors instead of reporting one.
            closed = true;
            controller.error(error);
            return;
          }
          transformer.error(error, enqueue);
          close();
        });
      },
      pull() {
        if (body.isPaused()) body.resume();
      },
      cancel() {
        closed = true;
        body.destroy();
      },
    },
    { highWaterMark: 64 },
  );
}
