import { EventSourceParserStream } from 'eventsource-parser/stream';

/** One server-sent event. Comments (`: ping`) never reach consumers. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/**
 * The one SSE parser every provider uses: bytes in, events out. Keep-alive comments and blank
 * events are dropped here so no provider has to know about them.
 */
export function parseServerSentEvents(body: ReadableStream<Uint8Array>): ReadableStream<ServerSentEvent> {
  return body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(
      new TransformStream({
        transform(event, controller) {
          controller.enqueue({ event: event.event, data: event.data });
        },
      }),
    );
}
