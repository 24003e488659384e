import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { type EventStreamMessage, eventStreamParts } from './event-stream-parser.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function event(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

type Seen = { type: string; payload: unknown } | { error: string } | 'end';

async function read(chunks: Uint8Array[]): Promise<Seen[]> {
  const stream = eventStreamParts<Seen>(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), {
    event: (message: EventStreamMessage, enqueue) => enqueue({ type: message.headers[':event-type'] ?? '', payload: JSON.parse(toUtf8(message.body)) }),
    flush: (enqueue) => enqueue('end'),
    error: (error, enqueue) => enqueue({ error: (error as Error).message }),
  });
  const out: Seen[] = [];
  for await (const part of stream) out.push(part);
  return out;
}

const frames = Buffer.concat([event('messageStart', { role: 'assistant' }), event('contentBlockDelta', { delta: { text: 'Granite ✓' }, contentBlockIndex: 0 })]);
const decoded: Seen[] = [
  { type: 'messageStart', payload: { role: 'assistant' } },
  { type: 'contentBlockDelta', payload: { delta: { text: 'Granite ✓' }, contentBlockIndex: 0 } },
  'end',
];

describe('eventStreamParts', () => {
  it('decodes whole messages', async () => {
    assert.deepEqual(await read([frames]), decoded);
  });

  it('reassembles messages split at every byte', async () => {
    assert.deepEqual(await read(Array.from(frames, (byte) => Uint8Array.of(byte))), decoded);
  });

  it('turns a corrupted frame into an error, not a crash', async () => {
    const corrupted = Buffer.from(frames);
    corrupted[20] = (corrupted[20] ?? 0) ^ 0xff;
    const seen = await read([corrupted]);
    assert.equal(seen.length, 1);
    assert.match((seen[0] as { error: string }).error, /checksum|crc/i);
  });

  it('reports a stream cut inside a message', async () => {
    const seen = await read([frames.subarray(0, frames.length - 5)]);
    assert.deepEqual(seen.slice(0, 1), decoded.slice(0, 1));
    assert.match((seen[1] as { error: string }).error, /ended inside a message/);
  });

  it('rejects an impossible length prelude', async () => {
    const seen = await read([Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0])]);
    assert.match((seen[0] as { error: string }).error, /cannot be 4 bytes long/);
  });
});
