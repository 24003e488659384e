import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { type ClientHttp2Session, connect as http2Connect } from 'node:http2';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { DecodeDispatchSchedule } from '../providers/llama-cpp/decode-dispatch-schedule.js';
import type { AnyRequest, AnyResponse } from './app.js';
import { listen } from './listen.js';
import { RequestIntake } from './request-intake.js';

/** Resolves once `condition` holds, checking every few ms (at most 2 s). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) assert.fail(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** The body of a GET over HTTP/1.1 (`request` is node:http's or node:https's), on `agent`'s connections. */
function get(request: typeof httpRequest | typeof httpsRequest, url: string, agent: HttpAgent | HttpsAgent): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
}

async function h2Get(session: ClientHttp2Session, path: string): Promise<string> {
  const stream = session.request({ ':path': path });
  stream.setEncoding('utf8');
  let body = '';
  for await (const chunk of stream) body += chunk;
  return body;
}

describe('RequestIntake', () => {
  it('ends each unit once, however often its end is called', () => {
    const intake = new RequestIntake();
    const first = intake.begin();
    const second = intake.begin();
    assert.equal(intake.pending, 2);
    first();
    first();
    assert.equal(intake.pending, 1);
    second();
    assert.equal(intake.pending, 0);
  });

  it('counts a cleartext connection from its acceptance until its first request, or until it closes', async () => {
    const intake = new RequestIntake();
    const server = await listen({ port: 0, host: '127.0.0.1', intake, handle: (_req: AnyRequest, res: AnyResponse) => res.end('ok') });
    try {
      const { port } = new URL(server.url);
      // a connection that sends nothing
      const idle = createConnection({ port: Number(port), host: '127.0.0.1' });
      await until(() => intake.pending === 1, 'the idle connection is counted');
      idle.destroy();
      await until(() => intake.pending === 0, 'the closed connection is no longer counted');

      // HTTP/1.1, kept alive after its first request
      const agent = new HttpAgent({ keepAlive: true });
      const body = await get(httpRequest, `${server.url}/one`, agent);
      assert.equal(body, 'ok');
      assert.equal(intake.pending, 0, 'a kept-alive connection that has sent its request');
      agent.destroy();

      // HTTP/2 with prior knowledge: the session is counted until its first stream
      const session = http2Connect(server.url);
      await until(() => intake.pending === 1, 'the new HTTP/2 connection is counted');
      assert.equal(await h2Get(session, '/two'), 'ok');
      assert.equal(intake.pending, 0, 'an open session that has sent its first request');
      session.close();
    } finally {
      await server.destroy();
    }
  });

  it('counts a TLS connection from its acceptance through its handshake, then until its first request', { timeout: 20_000 }, async (t) => {
    const directory = mkdtempSync(join(tmpdir(), 'outcrop-intake-tls-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const keyFile = join(directory, 'key.pem');
    const certFile = join(directory, 'cert.pem');
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
    const ca = readFileSync(certFile);
    const intake = new RequestIntake();
    const server = await listen({ port: 0, host: '127.0.0.1', intake, tls: { certFile, keyFile }, handle: (_req: AnyRequest, res: AnyResponse) => res.end('ok') });
    try {
      const port = Number(new URL(server.url).port);
      // accepted, no handshake yet
      const idle = createConnection({ port, host: '127.0.0.1' });
      await until(() => intake.pending === 1, 'the connection is counted before its handshake');
      idle.destroy();
      await until(() => intake.pending === 0, 'the closed connection is no longer counted');

      // a failed handshake
      const junk = createConnection({ port, host: '127.0.0.1' });
      junk.on('error', () => {});
      junk.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await until(() => intake.pending === 0 && junk.destroyed, 'the failed handshake is no longer counted');

      // handshaken for HTTP/1.1, no request yet: still counted
      const quiet = tlsConnect({ port, host: '127.0.0.1', ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
      await once(quiet, 'secureConnect');
      await sleep(20);
      assert.equal(intake.pending, 1, 'a handshaken HTTP/1.1 connection before its request');
      quiet.destroy();
      await until(() => intake.pending === 0, 'the quiet connection is no longer counted');

      // HTTPS/1.1, kept alive after its first request
      const agent = new HttpsAgent({ keepAlive: true, ca });
      const body = await get(httpsRequest, `${server.url}/one`, agent);
      assert.equal(body, 'ok');
      assert.equal(intake.pending, 0, 'a kept-alive TLS connection that has sent its request');
      agent.destroy();

      // HTTP/2 over TLS: the connection, then its session, until its first stream
      const session = http2Connect(server.url, { ca });
      await until(() => intake.pending === 1, 'the new TLS connection is counted');
      if (session.connecting) await once(session, 'connect');
      assert.equal(intake.pending, 1, 'the handshaken session before its first stream');
      assert.equal(await h2Get(session, '/two'), 'ok');
      assert.equal(intake.pending, 0, 'an open session that has sent its first request');
      session.close();
    } finally {
      await server.destroy();
    }
  });

  it('lets requests sent at once on new HTTP/2 connections share the first decode, and counts none once they are handled', async () => {
    const intake = new RequestIntake();
    const schedule = new DecodeDispatchSchedule(4, () => intake.pending);
    const arrived: string[] = [];
    let decodeHeld: string[] | undefined;
    let decodeStarted: () => void = () => {};
    const decoded = new Promise<void>((resolve) => {
      decodeStarted = resolve;
    });
    const handle = (req: AnyRequest, res: AnyResponse) => {
      // as the server does: the request is received over several turns (its body, its checks: 1 ms of work each), then
      // its prompt is queued; turns in which no prompt is queued pass meanwhile
      const received = intake.begin();
      const step = (turnsLeft: number) => {
        busy(1);
        if (turnsLeft > 0) {
          setImmediate(() => step(turnsLeft - 1));
          return;
        }
        received();
        arrived.push(req.url ?? '');
        schedule.noteArrival();
        if (arrived.length === 1) {
          schedule.dispatch(() => {
            decodeHeld = [...arrived];
            decodeStarted();
          });
        }
        res.end('ok');
      };
      setImmediate(() => step(3));
    };
    const running = await listen({ port: 0, host: '127.0.0.1', intake, handle });
    const sessions = ['/a', '/b', '/c', '/d'].map(() => http2Connect(running.url));
    try {
      // one request per connection, all sent in one tick, as the AWS SDK sends event-stream requests
      const bodies = await Promise.all(sessions.map((session, index) => h2Get(session, ['/a', '/b', '/c', '/d'][index] as string)));
      await decoded;
      assert.deepEqual(bodies, ['ok', 'ok', 'ok', 'ok']);
      assert.equal(decodeHeld?.length, 4, `the first decode took ${JSON.stringify(decodeHeld)}`);
      assert.equal(intake.pending, 0, 'four open sessions that have sent their requests');
    } finally {
      for (const session of sessions) session.close();
      await running.destroy();
    }
  });
});
