import type { Principal } from '../core/identity/credentials.js';
import { OutcropError } from '../core/errors.js';
import { type SignedRequest, verifySigV4 } from '../protocol/sigv4.js';
import type { CredentialStore } from '../storage/credentials/credential-store.js';
import { hashApiKey } from './bootstrap-credentials.js';

/**
 * Authenticates a request by SigV4 (signing name `bedrock`) or a Bedrock API key
 * (`Authorization: Bearer ...`). Throws the error AWS gives for missing or wrong credentials.
 */
export async function authenticate(request: SignedRequest, store: CredentialStore): Promise<Principal> {
  const raw = request.headers.authorization;
  const authorization = Array.isArray(raw) ? raw[0] : raw;
  if (!authorization) {
    if (request.query.has('X-Amz-Signature')) {
      throw new OutcropError('AccessDeniedException', 'Presigned (query-string) requests are not accepted; sign the Authorization header.');
    }
    throw new OutcropError('AccessDeniedException', 'Authorization header is missing. Sign the request with SigV4 or send a Bedrock API key as a Bearer token.');
  }
  if (authorization.startsWith('Bearer ')) {
    const token = authorization.slice(7).trim();
    const record = token ? store.findApiKeyByHash(hashApiKey(token)) : null;
    if (!record) throw new OutcropError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    return { keyId: record.id, kind: 'api-key' };
  }
  if (!authorization.startsWith('AWS4-HMAC-SHA256')) {
    throw new OutcropError('IncompleteSignatureException', `Unsupported authorization type: ${authorization.split(' ')[0]}`);
  }
  const keyId = await verifySigV4(request, authorization, (accessKeyId) => {
    const key = store.findAccessKey(accessKeyId);
    if (!key) return null;
    const token = request.headers['x-amz-security-token'];
    return token === undefined ? { secretAccessKey: key.secretAccessKey } : null;
  });
  return { keyId, kind: 'sigv4' };
}
