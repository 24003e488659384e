import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { type AwsErrorCode, OutcropError } from '../core/errors.js';
import { type SignedRequest, type SigningSecret, verifySigV4 } from './sigv4.js';

const accessKeyId = 'AKIAOUTCROPTEST00001';
const secretAccessKey = 'outcrop/test/secret/key/0000000000000000';
const now = Date.UTC(2024, 0, 2, 3, 4, 5);

interface ClientRequest {
  method: string;
  /** the raw path as it goes on the wire (percent-encoded labels) */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  signingDate?: Date;
  service?: string;
  secret?: string;
  sessionToken?: string;
  /** sign `x-amz-content-sha256` as the S3-style signers do */
  applyChecksum?: boolean;
}

/** Signs as the AWS SDK does (client side) and returns what the server receives. */
async function sign(input: ClientRequest): Promise<{ request: SignedRequest; authorization: string }> {
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: input.secret ?? secretAccessKey, ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}) },
    region: 'us-east-1',
    service: input.service ?? 'bedrock',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: input.applyChecksum ?? false,
  });
  const body = input.body ?? '';
  const signed = await signer.sign(
    new HttpRequest({
      method: input.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path: input.path,
      query: input.query ?? {},
      // An HTTP/2 request carries `:authority` instead of `host`.
      headers: { ...(input.headers?.[':authority'] ? {} : { host: '127.0.0.1:8080' }), 'content-type': 'application/json', ...input.headers },
      body,
    }),
    { signingDate: input.signingDate ?? new Date(now) },
  );
  // Servers see header names in lower case (Node lowercases them for HTTP/1.1 and HTTP/2 alike).
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {})) for (const item of [value].flat()) query.append(name, item);
  return {
    request: { method: input.method, rawPath: input.path, query, headers, body: Buffer.from(body) },
    authorization: headers.authorization ?? '',
  };
}

const lookup = (id: string): SigningSecret | null => (id === accessKeyId ? { secretAccessKey } : null);

async function rejectsWith(promise: Promise<unknown>, code: AwsErrorCode, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(OutcropError.isInstance(error), `expected an OutcropError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

const converseBody = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'What is granite?' }] }] });
const mismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

describe('verifySigV4', () => {
  it('accepts an HTTP/1.1 request signed over host', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/my-model/converse', body: converseBody });
    assert.match(authorization, /SignedHeaders=content-type;host;x-amz-date,/);
    assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
  });

  it('accepts an HTTP/2 request signed over :authority', async () => {
    const { request, authorization } = await sign({
      method: 'POST',
      path: '/model/my-model/converse',
      headers: { ':authority': '127.0.0.1:8080' },
      body: converseBody,
    });
    assert.match(authorization, /SignedHeaders=:authority;content-type;x-amz-date,/);
    assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
    // The authority is covered by the signature.
    await rejectsWith(verifySigV4({ ...request, headers: { ...request.headers, ':authority': 'evil.example:8080' } }, authorization, lookup, now), 'InvalidSignatureException', mismatch);
  });

  it('double-encodes a percent-encoded label, as the SDK signs it', async () => {
    const path = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse';
    const { request, authorization } = await sign({ method: 'POST', path, body: converseBody });
    assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
    // Verifying over the decoded path would compute a different canonical request.
    await rejectsWith(
      verifySigV4({ ...request, rawPath: '/model/anthropic.claude-3-haiku-20240307-v1:0/converse' }, authorization, lookup, now),
      'InvalidSignatureException',
      mismatch,
    );
  });

  it('accepts an ARN label with an encoded slash', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0';
    const { request, authorization } = await sign({ method: 'POST', path: `/model/${encodeURIComponent(arn)}/converse`, body: converseBody });
    assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
  });

  it('covers query strings, with repeated and encoded values', async () => {
    const { request, authorization } = await sign({
      method: 'GET',
      path: '/foundation-models',
      query: { byProvider: 'Anthropic Labs', byOutputModality: 'TEXT', tagKeys: ['a+b', 'c/d'] },
    });
    assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
    const tampered = new URLSearchParams(request.query);
    tampered.set('byOutputModality', 'IMAGE');
    await rejectsWith(verifySigV4({ ...request, query: tampered }, authorization, lookup, now), 'InvalidSignatureException', mismatch);
  });

  it('rejects a signature made with the wrong secret', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/my-model/converse', body: converseBody, secret: 'not-the-secret' });
    await rejectsWith(verifySigV4(request, authorization, lookup, now), 'InvalidSignatureException', mismatch);
  });

  it('rejects a body changed after signing', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/my-model/converse', body: converseBody });
    await rejectsWith(verifySigV4({ ...request, body: Buffer.from('{}') }, authorization, lookup, now), 'InvalidSignatureException', mismatch);
  });

  it('rejects an unknown access key as UnrecognizedClientException', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/my-model/converse', body: converseBody });
    await rejectsWith(verifySigV4(request, authorization, () => null, now), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  it('accepts a clock skew of four minutes either way', async () => {
    for (const offset of [-4 * 60_000, 4 * 60_000]) {
      const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}', signingDate: new Date(now + offset) });
      assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
    }
  });

  it('rejects a request signed six minutes ago as expired', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}', signingDate: new Date(now - 6 * 60_000) });
    await rejectsWith(
      verifySigV4(request, authorization, lookup, now),
      'InvalidSignatureException',
      'Signature expired: 20240102T025805Z is now earlier than 20240102T025905Z (20240102T030405Z - 5 min.)',
    );
  });

  it('rejects a request signed six minutes ahead as not yet current', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}', signingDate: new Date(now + 6 * 60_000) });
    await rejectsWith(
      verifySigV4(request, authorization, lookup, now),
      'InvalidSignatureException',
      'Signature not yet current: 20240102T031005Z is now later than 20240102T030905Z (20240102T030405Z + 5 min.)',
    );
  });

  it('checks x-amz-content-sha256 against the body', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: converseBody, applyChecksum: true });
    assert.match(authorization, /x-amz-content-sha256/);
    assert.equal(await verifySigV4(request, authorization, lookup, now), accessKeyId);
    await rejectsWith(
      verifySigV4({ ...request, body: Buffer.from(`${converseBody} `) }, authorization, lookup, now),
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  });

  it('accepts UNSIGNED-PAYLOAD whatever the body', async () => {
    const { request, authorization } = await sign({
      method: 'POST',
      path: '/model/m/invoke',
      body: converseBody,
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    assert.equal(await verifySigV4({ ...request, body: Buffer.from('other') }, authorization, lookup, now), accessKeyId);
  });

  it('rejects a malformed Authorization header as IncompleteSignatureException', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}' });
    const withoutSignature = authorization.replace(/, Signature=[0-9a-f]+$/, '');
    await rejectsWith(
      verifySigV4(request, withoutSignature, lookup, now),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=AWS4-HMAC-SHA256",
    );
    await rejectsWith(verifySigV4(request, 'AWS4-HMAC-SHA256 garbage', lookup, now), 'IncompleteSignatureException');
    await rejectsWith(verifySigV4(request, authorization.replace(/Signature=[0-9a-f]{4}/, 'Signature=zzzz'), lookup, now), 'IncompleteSignatureException');
  });

  it('requires X-Amz-Date', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}' });
    delete request.headers['x-amz-date'];
    await rejectsWith(verifySigV4(request, authorization, lookup, now), 'IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  });

  it('rejects a credential scope dated another day than X-Amz-Date', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}' });
    await rejectsWith(
      verifySigV4(request, authorization.replace('/20240102/', '/20240101/'), lookup, now),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102'",
    );
  });

  it('rejects a credential scoped to another service', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}', service: 'bedrock-runtime' });
    assert.match(authorization, /\/us-east-1\/bedrock-runtime\/aws4_request/);
    await rejectsWith(verifySigV4(request, authorization, lookup, now), 'InvalidSignatureException', "Credential should be scoped to correct service: 'bedrock'.");
  });

  it('rejects a request that lacks a header it claims to have signed', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}' });
    delete request.headers['content-type'];
    await rejectsWith(verifySigV4(request, authorization, lookup, now), 'InvalidSignatureException', /signed header 'content-type' is missing/);
  });

  it('verifies a session token against the one the lookup returns', async () => {
    const { request, authorization } = await sign({ method: 'POST', path: '/model/m/converse', body: '{}', sessionToken: 'session-token-1' });
    assert.equal(request.headers['x-amz-security-token'], 'session-token-1');
    assert.equal(await verifySigV4(request, authorization, () => ({ secretAccessKey, sessionToken: 'session-token-1' }), now), accessKeyId);
    await rejectsWith(verifySigV4(request, authorization, () => ({ secretAccessKey, sessionToken: 'session-token-2' }), now), 'InvalidSignatureException', mismatch);
  });
});
