import assert from 'node:assert/strict';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { DecodeDispatchSchedule } from './decode-dispatch-schedule.js';

/** Blocks the thread, as handling a request does, so that bytes written meanwhile wait for the next read. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** A loopback connection: `onChunk` sees each read of the server's side, as the server's HTTP/2 session would. */
async function connection(t: { after: (fn: () => Promise<void>) => void }) {
  const link: { client: Socket; onChunk: (chunk: string) => void } = { client: undefined as unknown as Socket, onChunk: () => {} };
  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => link.onChunk(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  link.client = createConnection({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve) => link.client.once('connect', () => resolve()));
  t.after(async () => {
    link.client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return link;
}

/** Records each read of `link` and the decode; `onRead` plays the server handling a read and may schedule the decode. */
function trace(link: Awaited<ReturnType<typeof connection>>, onRead: (chunk: string, decode: () => void) => void) {
  const events: string[] = [];
  const decoded = new Promise<void>((resolve) => {
    const decode = () => {
      events.push('decode');
      resolve();
    };
    link.onChunk = (chunk) => {
      events.push(`read ${chunk}`);
      onRead(chunk, decode);
    };
  });
  return { events, decoded };
}

describe('DecodeDispatchSchedule', { timeout: 10_000 }, () => {
  it('starts the decode only after input that arrived while the first request was handled', async (t) => {
    const link = await connection(t);
    const schedule = new DecodeDispatchSchedule(4);
    const { events, decoded } = trace(link, (chunk, decode) => {
      if (chunk !== 'first') return;
      // handling the first request: it queues its prompt and the decode is scheduled ...
      schedule.noteArrival();
      schedule.dispatch(decode);
      // node-llama-cpp's own schedule ("nextCycle"), for comparison
      setImmediate(() => events.push('nextCycle'));
      // ... while the second request's bytes arrive
      link.client.write('second');
      busy(5);
    });
    link.client.write('first');
    await decoded;
    assert.deepEqual(events, ['read first', 'nextCycle', 'read second', 'decode']);
  });

  it('waits while each turn hands over another request, and no longer', async (t) => {
    const link = await connection(t);
    const schedule = new DecodeDispatchSchedule(4);
    const { events, decoded } = trace(link, (chunk, decode) => {
      schedule.noteArrival();
      if (chunk === 'r1') schedule.dispatch(decode);
      // each request's bytes arrive while the one before it is handled, then nothing more
      const next = { r1: 'r2', r2: 'r3' }[chunk];
      if (next) link.client.write(next);
      busy(3);
    });
    link.client.write('r1');
    await decoded;
    assert.deepEqual(events, ['read r1', 'read r2', 'read r3', 'decode']);
  });

  it('holds a decode back for at most its extra turns', async () => {
    const schedule = new DecodeDispatchSchedule(2);
    let turns = 0;
    let dispatched = false;
    schedule.noteArrival();
    schedule.dispatch(() => {
      dispatched = true;
    });
    // an arrival in every turn
    while (!dispatched && turns < 20) {
      schedule.noteArrival();
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    assert.ok(dispatched);
    assert.ok(turns >= 3 && turns <= 4, `dispatched after ${turns} turns`);
  });

  it('starts a decode of generated tokens only on the next cycle, as node-llama-cpp does', async (t) => {
    const link = await connection(t);
    const schedule = new DecodeDispatchSchedule(4);
    // a prompt's decode has been started
    schedule.noteArrival();
    await new Promise<void>((resolve) => schedule.dispatch(resolve));
    const { events, decoded } = trace(link, (chunk, decode) => {
      if (chunk !== 'token') return;
      // the next step's decode, no request arrived since
      schedule.dispatch(decode);
      link.client.write('other');
      busy(5);
    });
    link.client.write('token');
    await decoded;
    assert.deepEqual(events.slice(0, 2), ['read token', 'decode']);
  });

  it('costs no timer when nothing more arrives', async () => {
    const schedule = new DecodeDispatchSchedule(4);
    let dispatched = false;
    schedule.noteArrival();
    schedule.dispatch(() => {
      dispatched = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(dispatched);
  });
});
