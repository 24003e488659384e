import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Signs Bedrock requests (SigV4, service `bedrock`) with the operator's credentials. */
export interface BedrockSigner {
  /** The headers to send: those given plus `x-amz-date`, `authorization` and, with a session token, `x-amz-security-token`. */
  sign(url: URL, headers: Record<string, string>, bodyText: string): Promise<Record<string, string>>;
}

/**
 * A SigV4 signer over `@smithy/signature-v4`. The path is signed double-encoded (the model ID's
 * `:` travels as `%3A` and is signed as `%253A`), as the AWS SDKs do for every service but S3.
 *
 * @example
 * const headers = await createBedrockSigner('us-east-1', credentials).sign(url, { 'content-type': 'application/json' }, body);
 */
export function createBedrockSigner(region: string, credentials: AwsCredentials): BedrockSigner {
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: true });
  return {
    async sign(url, headers, bodyText) {
      const request = new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        headers: { ...headers, host: url.host },
        body: bodyText,
      });
      const signed = await signer.sign(request);
      // undici writes Host itself, from the URL, exactly as signed.
      const { host: _host, ...out } = signed.headers;
      return out;
    },
  };
}
