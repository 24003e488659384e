import { crc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { MessageHeaders } from '@smithy/types';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { exceptionEventName } from './errors.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const jsonType = { type: 'string', value: 'application/json' } as const;

/**
 * Header blocks are the same for every message of one event type, so each is encoded once by
 * `@smithy/eventstream-codec` (with an empty payload) and reused: a frame is then the cached
 * headers, the payload and two CRC-32s (node:zlib), with no per-message header formatting.
 */
const headerBlocks = new Map<string, Uint8Array>();

function headerBlock(key: string, headers: MessageHeaders): Uint8Array {
  let block = headerBlocks.get(key);
  if (!block) {
    const empty = codec.encode({ headers, body: new Uint8Array(0) });
    const headersLength = new DataView(empty.buffer, empty.byteOffset).getUint32(4);
    block = empty.slice(12, 12 + headersLength);
    headerBlocks.set(key, block);
  }
  return block;
}

function frame(headers: Uint8Array, json: string): Buffer {
  const payloadLength = Buffer.byteLength(json);
  const total = 16 + headers.length + payloadLength;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  out.set(headers, 12);
  out.write(json, 12 + headers.length, 'utf8');
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/**
 * Encodes one AWS event-stream `event` message whose payload is the event's JSON text.
 *
 * @example
 * socket.write(encodeEvent('messageStop', JSON.stringify({ stopReason: 'end_turn' })));
 */
export function encodeEvent(eventType: string, json: string): Buffer {
  return frame(
    headerBlock(`event:${eventType}`, {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': jsonType,
      ':message-type': { type: 'string', value: 'event' },
    }),
    json,
  );
}

/** Encodes a modeled exception message (`:message-type: exception`), e.g. `ModelStreamErrorException`. */
export function encodeException(code: string, payload: Record<string, unknown>): Buffer {
  const name = exceptionEventName(code);
  return frame(
    headerBlock(`exception:${name}`, {
      ':exception-type': { type: 'string', value: name },
      ':content-type': jsonType,
      ':message-type': { type: 'string', value: 'exception' },
    }),
    JSON.stringify(payload),
  );
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
