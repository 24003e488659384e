import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { decodeMessages, encodeEvent, encodeException } from './event-stream.js';

const smithy = new EventStreamCodec(toUtf8, fromUtf8);

function stringHeader(name: string, value: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(value.length);
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from([7]), length, Buffer.from(value)]);
}

describe('event-stream encoding', () => {
  it('encodes the messageStop example byte for byte', () => {
    const payload = '{"stopReason":"end_turn"}';
    const bytes = Buffer.from(encodeEvent('messageStop', payload));
    // The framing from /work/shared/spec/aws/OPERATIONS.md §4, as captured from Bedrock's wire format.
    const expected = Buffer.concat([
      Buffer.from('0000007a00000051ca2c4665', 'hex'),
      stringHeader(':event-type', 'messageStop'),
      stringHeader(':content-type', 'application/json'),
      stringHeader(':message-type', 'event'),
      Buffer.from(payload),
      Buffer.from('5fbf09fc', 'hex'),
    ]);
    assert.equal(bytes.length, 0x7a);
    assert.equal(bytes.toString('hex'), expected.toString('hex'));
    // The CRCs are the standard CRC-32 of the prelude and of everything before the trailer.
    assert.equal(bytes.readUInt32BE(8), crc32(bytes.subarray(0, 8)));
    assert.equal(bytes.readUInt32BE(bytes.length - 4), crc32(bytes.subarray(0, bytes.length - 4)));
  });

  it('round-trips events and exceptions through decodeMessages', () => {
    const stream = Buffer.concat([
      encodeEvent('messageStart', JSON.stringify({ role: 'assistant' })),
      encodeEvent('contentBlockDelta', JSON.stringify({ delta: { text: 'Granite ✓ 🪨' }, contentBlockIndex: 0 })),
      encodeException('ModelStreamErrorException', { message: 'The model stopped.', originalStatusCode: 500 }),
    ]);
    assert.deepEqual(decodeMessages(stream), [
      {
        headers: { ':event-type': 'messageStart', ':content-type': 'application/json', ':message-type': 'event' },
        body: '{"role":"assistant"}',
      },
      {
        headers: { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
        body: '{"delta":{"text":"Granite ✓ 🪨"},"contentBlockIndex":0}',
      },
      {
        headers: { ':exception-type': 'modelStreamErrorException', ':content-type': 'application/json', ':message-type': 'exception' },
        body: '{"message":"The model stopped.","originalStatusCode":500}',
      },
    ]);
  });

  it('decodes messages from a view that starts inside a larger buffer', () => {
    const message = encodeEvent('messageStop', '{"stopReason":"end_turn"}');
    const larger = new Uint8Array(message.length + 7);
    larger.set(message, 7);
    assert.deepEqual(decodeMessages(larger.subarray(7)), [
      { headers: { ':event-type': 'messageStop', ':content-type': 'application/json', ':message-type': 'event' }, body: '{"stopReason":"end_turn"}' },
    ]);
  });

  it('produces messages that the SDK codec decodes', () => {
    const event = smithy.decode(encodeEvent('metadata', JSON.stringify({ usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } })));
    assert.deepEqual(event.headers, {
      ':event-type': { type: 'string', value: 'metadata' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    });
    assert.deepEqual(JSON.parse(toUtf8(event.body)), { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } });

    const exception = smithy.decode(encodeException('ThrottlingException', { message: 'Too many requests.' }));
    assert.deepEqual(exception.headers, {
      ':exception-type': { type: 'string', value: 'throttlingException' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    });
    assert.deepEqual(JSON.parse(toUtf8(exception.body)), { message: 'Too many requests.' });
  });

  it('decodes messages that the SDK codec encodes', () => {
    const bytes = smithy.encode({
      headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'chunk' } },
      body: fromUtf8('{"bytes":"e30="}'),
    });
    assert.deepEqual(decodeMessages(bytes), [{ headers: { ':message-type': 'event', ':event-type': 'chunk' }, body: '{"bytes":"e30="}' }]);
  });

  it('rejects a message whose CRC does not match', () => {
    const bytes = Buffer.from(encodeEvent('messageStop', '{"stopReason":"end_turn"}'));
    bytes[bytes.length - 6] = '!'.charCodeAt(0);
    assert.throws(() => decodeMessages(bytes), /checksum/i);
  });
});
