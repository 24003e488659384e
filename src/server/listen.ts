import { readFileSync } from 'node:fs';
import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type Http2SecureServer, type Http2Server, type Http2Session, createSecureServer, createServer as createHttp2Server } from 'node:http2';
import { type AddressInfo, type Server as NetServer, type Socket, createServer as createNetServer } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { AnyRequest, AnyResponse } from './app.js';
import type { RequestIntake } from './request-intake.js';

const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface ListenOptions {
  port: number;
  host: string;
  tls?: { certFile: string; keyFile: string };
  handle: (req: AnyRequest, res: AnyResponse) => void;
  /**
   * counts connections from their acceptance until their first request (TLS ones through their
   * handshake), and HTTP/2 sessions until their first stream
   */
  intake?: RequestIntake;
}

export interface RunningServer {
  url: string;
  port: number;
  /** stops accepting connections and asks HTTP/2 clients to go away */
  stopAccepting(): void;
  /** closes every connection */
  destroy(): Promise<void>;
}

/**
 * One port for every client: HTTP/1.1 and cleartext HTTP/2 with prior knowledge (the default AWS SDK
 * for JavaScript clients of bedrock-runtime speak only h2c against `http://`), told apart by the
 * HTTP/2 connection preface; or TLS with ALPN choosing h2 or http/1.1.
 */
export async function listen(options: ListenOptions): Promise<RunningServer> {
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  const intake = options.intake;
  /** a connection's intake, until its first HTTP/1.1 request */
  const receiving = new WeakMap<object, () => void>();
  const receive = (socket: Socket) => {
    if (!intake) return;
    const done = intake.begin();
    receiving.set(socket, done);
    socket.once('close', done);
  };
  const received = (socket: object) => receiving.get(socket)?.();
  const track = (server: Http2Server | Http2SecureServer) => {
    server.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
      if (intake) {
        // a session is being received until its first stream
        const done = intake.begin();
        session.once('stream', done);
        session.once('close', done);
      }
    });
  };
  let front: NetServer | Http2SecureServer;
  let http1: HttpServer | null = null;
  if (options.tls) {
    const secure = createSecureServer(
      { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile), allowHTTP1: true, settings: { maxConcurrentStreams: 1000 } },
      options.handle,
    );
    track(secure);
    // a TLS connection is counted from its acceptance through its handshake (told apart by its peer
    // address, the one property the raw socket and the TLS socket share); then its HTTP/2 session, or
    // its first HTTP/1.1 request, is counted as on a cleartext connection
    const handshakes = new Map<string, () => void>();
    const peer = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;
    const handshaken = (socket: Socket) => {
      const key = peer(socket);
      handshakes.get(key)?.();
      handshakes.delete(key);
    };
    secure.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      if (intake) {
        const key = peer(socket);
        const done = intake.begin();
        handshakes.set(key, done);
        socket.once('close', () => {
          done();
          if (handshakes.get(key) === done) handshakes.delete(key);
        });
      }
    });
    if (intake) {
      secure.on('secureConnection', (socket: TLSSocket) => {
        if (socket.alpnProtocol !== 'h2') receive(socket);
        handshaken(socket);
      });
      secure.on('tlsClientError', (_error: Error, socket: TLSSocket) => handshaken(socket));
      secure.on('request', (req: AnyRequest) => received(req.socket));
    }
    front = secure;
  } else {
    http1 = createHttpServer({ keepAliveTimeout: 65_000, headersTimeout: 60_000, requestTimeout: 300_000 }, options.handle);
    const h2 = createHttp2Server({ settings: { maxConcurrentStreams: 1000 } }, options.handle);
    track(h2);
    const server1 = http1;
    server1.on('request', (req: AnyRequest) => received(req.socket));
    front = createNetServer({ noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      receive(socket);
      socket.once('readable', function sniff() {
        const head: Buffer | null = socket.read();
        if (head === null) {
          socket.once('readable', sniff);
          return;
        }
        socket.unshift(head);
        const isH2 = head.length >= 3 && head.subarray(0, Math.min(head.length, preface.length)).equals(preface.subarray(0, Math.min(head.length, preface.length)));
        if (isH2) {
          // the session it starts is counted from here (its 'session' event comes during this call)
          h2.emit('connection', socket);
          received(socket);
        } else {
          server1.emit('connection', socket);
        }
      });
    });
  }
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, options.host, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const address = front.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`,
    port: address.port,
    stopAccepting() {
      front.close();
      for (const session of sessions) session.close();
      http1?.closeIdleConnections();
    },
    async destroy() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
