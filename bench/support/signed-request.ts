import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** The bytes and headers of one request, replayed as is by the load generator. */
export interface PreparedRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SigningOptions {
  /** e.g. `http://127.0.0.1:8080` */
  origin: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** How often a replayed request is signed again; AWS (and Outcrop) accept a signature for 5 minutes. */
const resignEveryMs = 60_000;

/**
 * A SigV4-signed request (signing name `bedrock`) whose signature is renewed every minute, so a
 * phase of any length can replay the same bytes and headers while the server still verifies each one.
 *
 * @example
 * const source = await SignedRequestSource.create(signing, '/model/m/converse', body);
 * pool.request(source.current);
 */
export class SignedRequestSource {
  private timer: NodeJS.Timeout | null = null;

  private constructor(public current: PreparedRequest) {}

  static async create(signing: SigningOptions, path: string, json: unknown): Promise<SignedRequestSource> {
    const signer = signerFor(signing);
    const host = new URL(signing.origin).host;
    const body = Buffer.from(JSON.stringify(json));
    const source = new SignedRequestSource(await sign(signer, host, path, body));
    source.timer = setInterval(() => {
      sign(signer, host, path, body).then(
        (request) => {
          source.current = request;
        },
        (error: unknown) => process.stderr.write(`re-signing failed: ${(error as Error).message}\n`),
      );
    }, resignEveryMs);
    source.timer.unref();
    return source;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** One SigV4-signed request (signing name `bedrock`), for a single send. */
export function signRequest(signing: SigningOptions, path: string, json: unknown): Promise<PreparedRequest> {
  return sign(signerFor(signing), new URL(signing.origin).host, path, Buffer.from(JSON.stringify(json)));
}

function signerFor(signing: SigningOptions): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: signing.accessKeyId, secretAccessKey: signing.secretAccessKey },
    region: signing.region,
    service: 'bedrock',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: false,
  });
}

async function sign(signer: SignatureV4, host: string, path: string, body: Buffer): Promise<PreparedRequest> {
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: host.split(':')[0] as string,
    path,
    query: {},
    headers: {
      host,
      'content-type': 'application/json',
      accept: 'application/json',
      'content-length': String(body.length),
    },
    body,
  });
  return { method: 'POST', path, headers: signed.headers as Record<string, string>, body };
}

/** An unsigned JSON request, for the direct calls to the upstream. */
export function jsonRequest(path: string, json: unknown, headers: Record<string, string> = {}): PreparedRequest {
  const body = Buffer.from(JSON.stringify(json));
  return { method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers }, body };
}
