import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ndjsonParts, parseNdjson } from './ndjson-parser.js';

function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

const ollamaStream = '{"message":{"content":"Gran"},"done":false}\n\n{"message":{"content":"ite ✓ 🪨"},"done":false}\r\n{"done":true,"done_reason":"stop"}\n';
const expected = ['{"message":{"content":"Gran"},"done":false}', '{"message":{"content":"ite ✓ 🪨"},"done":false}', '{"done":true,"done_reason":"stop"}'];

describe('parseNdjson', () => {
  it('yields one line per record, dropping blank lines and CR', async () => {
    assert.deepEqual(await collect(parseNdjson(body([ollamaStream]))), expected);
  });

  it('reassembles records split at every byte, multi-byte characters included', async () => {
    const chunks = Array.from(new TextEncoder().encode(ollamaStream), (byte) => Uint8Array.of(byte));
    assert.deepEqual(await collect(parseNdjson(body(chunks))), expected);
  });

  it('delivers a last record that has no newline', async () => {
    assert.deepEqual(await collect(parseNdjson(body(['{"a":1}\n{"b":', '2}']))), ['{"a":1}', '{"b":2}']);
  });
});

describe('ndjsonParts', () => {
  it('feeds a Node body through a transformer, then flushes', async () => {
    const stream = ndjsonParts<string>(
      Readable.from([Buffer.from('{"n":1}\n{"n"'), Buffer.from(':2}\n')]),
      {
        event: (line, enqueue) => enqueue(`line ${line}`),
        flush: (enqueue) => enqueue('end'),
        error: (error, enqueue) => enqueue(`error ${String(error)}`),
      },
      ['start'],
    );
    assert.deepEqual(await collect(stream), ['start', 'line {"n":1}', 'line {"n":2}', 'end']);
  });

  it('reports a body that breaks off as the transformer error', async () => {
    const source = new Readable({ read() {} });
    const stream = ndjsonParts<string>(source, {
      event: (line, enqueue) => enqueue(line),
      flush: (enqueue) => enqueue('end'),
      error: (error, enqueue) => enqueue(`error ${(error as Error).message}`),
    });
    source.push('{"n":1}\n');
    source.destroy(new Error('socket reset'));
    assert.deepEqual(await collect(stream), ['{"n":1}', 'error socket reset']);
  });
});
