import type { Readable } from 'node:stream';

/** An incremental decoder of one framing (SSE, NDJSON, AWS event stream): bytes in, items out. */
export interface BodyDecoder {
  /** may throw on a malformed frame; the stream then ends with the transformer's error part */
  feed(chunk: Uint8Array): void;
  /** the body ended; deliver what is buffered, or throw if a frame was cut off */
  end(): void;
}

/** Turns the decoded items of one upstream response into a provider's typed parts. */
export interface BodyPartTransformer<E, T> {
  event(event: E, enqueue: (part: T) => void): void;
  /** the body ended; emit the closing parts */
  flush(enqueue: (part: T) => void): void;
  /** the body failed (reset, timeout, a malformed frame); emit an error part */
  error(error: unknown, enqueue: (part: T) => void): void;
}

/**
 * Reads a response body through a framing decoder straight into one `ReadableStream` of parts: no
 * intermediate streams, with backpressure (the socket pauses while the consumer lags) and
 * cancellation (cancelling the parts stream destroys the upstream request). A frame the decoder
 * cannot read becomes the transformer's error part, never a crash. Each framing's parser
 * (`sse-parser.ts`, `ndjson-parser.ts`, `event-stream-parser.ts`) wraps this with its decoder.
 *
 * @example
 * const parts = decodedBodyParts(response.body, createNdjsonDecoder, transformer, [{ type: 'stream-start', warnings: [] }]);
 */
export function decodedBodyParts<E, T>(
  body: Readable,
  createDecoder: (onEvent: (event: E) => void) => BodyDecoder,
  transformer: BodyPartTransformer<E, T>,
  leading: T[] = [],
): ReadableStream<T> {
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
        const fail = (error: unknown) => {
          if (closed) return;
          transformer.error(error, enqueue);
          close();
        };
        for (const part of leading) enqueue(part);
        const decoder = createDecoder((event) => transformer.event(event, enqueue));
        body.on('data', (chunk: Uint8Array) => {
          if (closed) return;
          try {
            decoder.feed(chunk);
          } catch (error) {
            fail(error);
            body.destroy();
            return;
          }
          if ((controller.desiredSize ?? 1) <= 0) body.pause();
        });
        body.on('end', () => {
          if (closed) return;
          try {
            decoder.end();
          } catch (error) {
            fail(error);
            return;
          }
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
          fail(error);
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
