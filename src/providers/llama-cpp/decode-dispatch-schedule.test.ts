import assert from 'node:assert/strict';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { startsWithinTurn } from '../../../test/support/decode-schedule-probe.js';
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

  it("starts a lone request's decode at once when no other sequence is in use and nothing is being received", async () => {
    let inUse = 1;
    let pending = 0;
    const schedule = () => new DecodeDispatchSchedule(4, () => pending, () => inUse);
    assert.equal(await startsWithinTurn(schedule(), 1), true);
    // another request holds a sequence: it may be about to queue its own decode, so the turn is waited for
    inUse = 2;
    assert.equal(await startsWithinTurn(schedule(), 1), false);
    inUse = 1;
    // a request is still being received
    pending = 1;
    assert.equal(await startsWithinTurn(schedule(), 1), false);
    pending = 0;
    // two prompts queued in this turn: a third may follow
    assert.equal(await startsWithinTurn(schedule(), 2), false);
    // without a count of the sequences in use, the context is never taken for idle
    assert.equal(await startsWithinTurn(new DecodeDispatchSchedule(4), 1), false);
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

  it('starts the decode without another turn once every sequence has a new prompt', async () => {
    /** turns until the decode starts, when one prompt is queued and a second arrives in the next turn */
    const turnsToDecode = async (sequences: number) => {
      const schedule = new DecodeDispatchSchedule(sequences);
      let dispatched = false;
      schedule.noteArrival();
      schedule.dispatch(() => {
        dispatched = true;
      });
      let turns = 0;
      while (!dispatched && turns < 20) {
        if (turns === 0) schedule.noteArrival();
        await new Promise((resolve) => setImmediate(resolve));
        turns++;
      }
      return turns;
    };
    const full = await turnsToDecode(2);
    const room = await turnsToDecode(3);
    assert.equal(room - full, 1, `a full context starts one turn sooner (${full} against ${room} turns)`);
    // both prompts queued before the decode was scheduled: the next cycle, as node-llama-cpp's own schedule
    const schedule = new DecodeDispatchSchedule(2);
    schedule.noteArrival();
    schedule.noteArrival();
    const order: string[] = [];
    schedule.dispatch(() => order.push('decode'));
    setImmediate(() => order.push('next cycle'));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['decode', 'next cycle']);
  });

  it('waits while the server is still receiving requests, and starts once it is not', async (t) => {
    const link = await connection(t);
    let pending = 0;
    const schedule = new DecodeDispatchSchedule(4, () => pending);
    const { events, decoded } = trace(link, (chunk, decode) => {
      if (chunk === 'r1') {
        schedule.noteArrival();
        schedule.dispatch(decode);
        // a second connection has been accepted: its first bytes start a session, no request yet
        pending = 1;
        link.client.write('r2');
      } else if (chunk === 'r2') {
        // a turn without an arrival; its request's frames come in the next read
        link.client.write('r3');
      } else {
        // the second request reaches its model
        pending = 0;
        schedule.noteArrival();
      }
      busy(2);
    });
    link.client.write('r1');
    await decoded;
    assert.deepEqual(events, ['read r1', 'read r2', 'read r3', 'decode']);
  });

  it('waits for requests being received at most 10 ms', async () => {
    const schedule = new DecodeDispatchSchedule(4, () => 1);
    schedule.noteArrival();
    let dispatched = false;
    const started = performance.now();
    schedule.dispatch(() => {
      dispatched = true;
    });
    // a request that never arrives, while each turn handles 3 ms of other work: 64 turns would take 192 ms
    let turns = 0;
    while (!dispatched && turns < 1000) {
      busy(3);
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    const waited = performance.now() - started;
    assert.ok(dispatched);
    assert.ok(waited >= 10 && waited < 100, `waited ${waited.toFixed(1)} ms over ${turns} turns`);
  });

  it('waits at most 64 turns for requests being received', async () => {
    const schedule = new DecodeDispatchSchedule(4, () => 1);
    schedule.noteArrival();
    let turns = 0;
    let dispatched = false;
    schedule.dispatch(() => {
      dispatched = true;
    });
    // turns with nothing to do take microseconds: the turn limit ends the wait long before 10 ms
    while (!dispatched && turns < 1000) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    assert.ok(dispatched);
    assert.ok(turns >= 10 && turns <= 70, `dispatched after ${turns} turns`);
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
