import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServerSentEvents, type ServerSentEvent } from './sse-parser.js';

/** A body that delivers `chunks` one by one, as a network read would. */
function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const openAIStream =
  ': ping\n\n' +
  'data: {"choices":[{"delta":{"content":"Gran"}}]}\n\n' +
  ': keep-alive\n' +
  'data: {"choices":[{"delta":{"content":"ite ✓ 🪨"}}]}\n\n' +
  'event: done\n' +
  'data: [DONE]\n\n';

const expected: ServerSentEvent[] = [
  { event: undefined, data: '{"choices":[{"delta":{"content":"Gran"}}]}' },
  { event: undefined, data: '{"choices":[{"delta":{"content":"ite ✓ 🪨"}}]}' },
  { event: 'done', data: '[DONE]' },
];

describe('parseServerSentEvents', () => {
  it('drops comments and passes [DONE] through as data', async () => {
    assert.deepEqual(await collect(parseServerSentEvents(body([openAIStream]))), expected);
  });

  it('reassembles events split at every byte, multi-byte characters included', async () => {
    const bytes = new TextEncoder().encode(openAIStream);
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    assert.deepEqual(await collect(parseServerSentEvents(body(chunks))), expected);
  });

  it('accepts CRLF line endings', async () => {
    assert.deepEqual(await collect(parseServerSentEvents(body([openAIStream.replaceAll('\n', '\r\n')]))), expected);
  });

  it('splits a CRLF pair across chunks without seeing an extra blank line', async () => {
    const events = await collect(parseServerSentEvents(body(['data: a\r', '\ndata: b\r', '\n\r', '\n'])));
    assert.deepEqual(events, [{ event: undefined, data: 'a\nb' }]);
  });

  it('joins multi-line data with newlines', async () => {
    const events = await collect(parseServerSentEvents(body(['data: first\ndata: second\ndata:third\n\n'])));
    assert.deepEqual(events, [{ event: undefined, data: 'first\nsecond\nthird' }]);
  });

  it('drops a comment-only stream and a final event without its blank line', async () => {
    assert.deepEqual(await collect(parseServerSentEvents(body([': ping\n\n: ping\n\n']))), []);
    assert.deepEqual(await collect(parseServerSentEvents(body(['data: complete\n\ndata: cut off']))), [{ event: undefined, data: 'complete' }]);
  });
});
