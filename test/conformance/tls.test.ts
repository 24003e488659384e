import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type TestServer, startTestServer } from '../support/test-server.js';

let server: TestServer;
let directory: string;
let ca: Buffer;
const converseBody = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'outcrop-tls-'));
  const certFile = join(directory, 'cert.pem');
  const keyFile = join(directory, 'key.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  ca = readFileSync(certFile);
  server = await startTestServer({ noAuth: true, tls: { certFile, keyFile } });
});
after(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('TLS with ALPN', () => {
  it('serves https:// with the URL it reports', () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('negotiates h2 for HTTP/2 clients', async () => {
    const session = connect(server.url, { ca });
    try {
      const { status, body, protocol } = await new Promise<{ status: number; body: string; protocol: string | undefined }>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/model/outcrop.text/converse', 'content-type': 'application/json' });
        let body = '';
        let status = 0;
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
        stream.on('end', () => resolve({ status, body, protocol: session.alpnProtocol }));
        stream.on('error', reject);
        stream.end(converseBody);
      });
      assert.equal(protocol, 'h2');
      assert.equal(status, 200);
      assert.equal(JSON.parse(body).stopReason, 'end_turn');
    } finally {
      session.close();
    }
  });

  it('falls back to HTTP/1.1 for clients that only offer it', async () => {
    const { status, body, protocol } = await new Promise<{ status: number; body: string; protocol: string }>((resolve, reject) => {
      const request = httpsRequest(`${server.url}/model/outcrop.text/converse`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (response) => {
        let body = '';
        const protocol = response.httpVersion;
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, protocol }));
      });
      request.on('error', reject);
      request.end(converseBody);
    });
    assert.equal(status, 200);
    assert.equal(protocol, '1.1');
    assert.equal(JSON.parse(body).output.message.content[0].text, 'Granite is an igneous rock.');
  });
});
