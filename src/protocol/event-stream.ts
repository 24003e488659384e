import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { exceptionEventName } from './errors.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const jsonType = { type: 'string', value: 'application/json' } as const;

/**
 * Encodes one AWS event-stream `event` message whose payload is the event's JSON text.
 *
 * @example
 * socket.write(encodeEvent('messageStop', JSON.stringify({ stopReason: 'end_turn' })));
 */
export function encodeEvent(eventType: string, json: string): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': jsonType,
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(json),
  });
}

/** Encodes a modeled exception message (`:message-type: exception`), e.g. `ModelStreamErrorException`. */
export function encodeException(code: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionEventName(code) },
      ':content-type': jsonType,
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** Decodes a buffer holding whole messages (used by tests and the Bedrock provider). */
export function decodeMessages(buffer: Uint8Array): { headers: Record<string, string>; body: string }[] {
  const out: { headers: Record<string, string>; body: string }[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const view = new DataView(buffer.buffer, buffer.byteOffset + offset);
    const length = view.getUint32(0);
    const message = codec.decode(buffer.subarray(offset, offset + length));
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
    out.push({ headers, body: toUtf8(message.body) });
    offset += length;
  }
  return out;
}

export const eventStreamContentType = 'application/vnd.amazon.eventstream';
