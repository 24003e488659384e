import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { type SignableRequest, type SendOptions, type SignedResponse, sendSigned } from '../support/signed-request.js';
import { type TestServer, startTestServer } from '../support/test-server.js';

const userTurn = { role: 'user', content: [{ text: 'Name one igneous rock.' }] };
const converseBody = (fields: Record<string, unknown>) => JSON.stringify({ messages: [userTurn], ...fields });

describe('bad input is refused with the AWS error a client expects', () => {
  let server: TestServer;
  let agent: Agent;
  const send = (input: SignableRequest, options: SendOptions = {}) => sendSigned(server.url, input, { dispatcher: agent, ...options });
  const converse = (body: string, modelId = 'outcrop.text') => send({ method: 'POST', path: `/model/${modelId}/converse`, body });

  /** Asserts the status, `x-amzn-errortype`, and that the JSON `message` matches `message`. */
  function assertError(response: SignedResponse, status: number, errorType: string, message: RegExp): void {
    assert.equal(response.status, status, response.text);
    assert.equal(response.headers['x-amzn-errortype'], errorType, response.text);
    assert.equal(typeof response.body?.message, 'string', response.text);
    assert.match(response.body?.message as string, message);
  }

  before(async () => {
    server = await startTestServer();
    agent = new Agent({ keepAliveTimeout: 10_000 });
  });

  after(async () => {
    // The server must have survived every case: a valid Converse still answers.
    const response = await converse(converseBody({}));
    assert.equal(response.status, 200, response.text);
    assert.equal((response.body?.output as { message?: { role?: string } } | undefined)?.message?.role, 'assistant');
    await agent.close();
    await server.close();
  });

  describe('body syntax and types', () => {
    it('refuses a malformed JSON body', async () => {
      assertError(await converse('{"messages": [{"role": "user"'), 400, 'ValidationException', /not valid JSON/);
    });

    it('refuses messages given as a string', async () => {
      assertError(await converse(JSON.stringify({ messages: 'hello' })), 400, 'ValidationException', /'messages'.*must be a list/);
    });

    it('refuses maxTokens given as a string', async () => {
      const response = await converse(converseBody({ inferenceConfig: { maxTokens: 'ten' } }));
      assertError(response, 400, 'ValidationException', /'inferenceConfig\.maxTokens'.*must be a number/);
    });

    it('refuses a role given as a number', async () => {
      const response = await converse(JSON.stringify({ messages: [{ role: 42, content: [{ text: 'hi' }] }] }));
      assertError(response, 400, 'ValidationException', /'messages\.1\.member\.role'.*must be a string/);
    });
  });

  describe('required members', () => {
    it('refuses a message without content', async () => {
      const response = await converse(JSON.stringify({ messages: [{ role: 'user' }] }));
      assertError(response, 400, 'ValidationException', /^1 validation error detected: Value null at 'messages\.1\.member\.content' failed to satisfy constraint: Member must not be null/);
    });

    it('refuses a request without modelled body members on a required binding', async () => {
      // ApplyGuardrail requires `source` and `content`; neither is sent.
      const response = await send({ method: 'POST', path: '/guardrail/gr-1/version/1/apply', body: '{}' });
      assertError(response, 400, 'ValidationException', /Value null at '(source|content)' failed to satisfy constraint: Member must not be null/);
    });

    // `messages` is optional in the Smithy model (prompt resources supply their own), so the wire layer
    // lets it through; Bedrock refuses it for a foundation model, which is the runtime service's job.
    it('refuses a Converse without messages on a foundation model', async () => {
      const response = await converse(JSON.stringify({ inferenceConfig: { maxTokens: 10 } }));
      assertError(response, 400, 'ValidationException', /messages/);
    });

    it('refuses a content block with no member set', async () => {
      const response = await converse(JSON.stringify({ messages: [{ role: 'user', content: [{}] }] }));
      assertError(response, 400, 'ValidationException', /'messages\.1\.member\.content\.1\.member'.*exactly one member/);
    });
  });

  describe('constraints', () => {
    it('refuses maxTokens 0', async () => {
      const response = await converse(converseBody({ inferenceConfig: { maxTokens: 0 } }));
      assertError(response, 400, 'ValidationException', /^1 validation error detected: Value '0' at 'inferenceConfig\.maxTokens'.*greater than or equal to 1/);
    });

    it('refuses a role outside the enum', async () => {
      const response = await converse(JSON.stringify({ messages: [{ role: 'robot', content: [{ text: 'hi' }] }] }));
      assertError(response, 400, 'ValidationException', /Value 'robot' at 'messages\.1\.member\.role' failed to satisfy constraint: Member must satisfy enum value set: \[user, assistant/);
    });

    it('refuses a temperature out of range', async () => {
      const response = await converse(converseBody({ inferenceConfig: { temperature: 5 } }));
      assertError(response, 400, 'ValidationException', /Value '5' at 'inferenceConfig\.temperature'.*less than or equal to 1/);
    });
  });

  describe('hostile JSON', () => {
    it('refuses a recursive filter nested 5,000 levels deep with 400, not a stack overflow', async () => {
      const filter = `${'{"andAll":['.repeat(5000)}{"equals":{"key":"k","value":1}}${']}'.repeat(5000)}`;
      const body = `{"retrievalQuery":{"text":"granite"},"retrievalConfiguration":{"vectorSearchConfiguration":{"filter":${filter}}}}`;
      const response = await send({ method: 'POST', path: '/knowledgebases/KB12345678/retrieve', body });
      assertError(response, 400, 'ValidationException', /deeper than 1000 levels/);
    });

    it('refuses a document nested 10,000 levels deep before it reaches the model', async () => {
      const response = await converse(`{"messages":[{"role":"user","content":[{"text":"hi"}]}],"additionalModelRequestFields":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`);
      assertError(response, 400, 'ValidationException', /deeper than 1000 levels/);
    });

    it('does not take a key inherited from Object.prototype for a union member', async () => {
      for (const key of ['toString', '__proto__', 'constructor']) {
        const response = await converse(`{"messages":[{"role":"user","content":[{${JSON.stringify(key)}:{"text":"hi"}}]}]}`);
        assertError(response, 400, 'ValidationException', new RegExp(`'messages\\.1\\.member\\.content\\.1\\.member'.*unknown member '${key}'`));
      }
    });
  });

  describe('routing', () => {
    it('refuses an unknown model', async () => {
      assertError(await converse(converseBody({}), 'no.such-model-v1'), 400, 'ValidationException', /model identifier is invalid.*no\.such-model-v1/);
    });

    it('answers an unknown path with 404', async () => {
      assertError(await send({ method: 'GET', path: '/no/such/operation' }), 404, 'UnknownOperationException', /GET \/no\/such\/operation/);
    });

    it('answers a known bedrock operation without a handler with 501', async () => {
      assertError(await send({ method: 'GET', path: '/custom-models' }), 501, 'NotImplementedException', /ListCustomModels/);
    });

    it('answers a known bedrock-agent operation without a handler with 501', async () => {
      assertError(await send({ method: 'GET', path: '/flows/' }), 501, 'NotImplementedException', /ListFlows/);
    });

    it('accepts a percent-encoded model ARN in the path', async () => {
      const arn = encodeURIComponent('arn:aws:bedrock:us-east-1::foundation-model/outcrop.text');
      assert.match(arn, /%3A.*%2F/);
      const response = await converse(converseBody({}), arn);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers['x-amzn-errortype'], undefined);
    });

    it('answers a path label with bad percent-encoding with a 4xx', async () => {
      const response = await converse(converseBody({}), 'outcrop%zz.text');
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}: ${response.text}`);
      assert.equal(typeof response.headers['x-amzn-errortype'], 'string');
      assert.equal(typeof response.body?.message, 'string');
    });
  });

  describe('size limit', () => {
    it('refuses a 2 MiB body with 413', async () => {
      const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x'.repeat(2 * 1024 * 1024) }] }] });
      assertError(await converse(body), 413, 'ValidationException', /exceeds this server's limit of 1048576 bytes/);
    });
  });

  describe('authentication', () => {
    const input = (): SignableRequest => ({ method: 'POST', path: '/model/outcrop.text/converse', body: converseBody({}) });

    it('refuses an unsigned request', async () => {
      assertError(await send(input(), { unsigned: true }), 403, 'AccessDeniedException', /Authorization header is missing/);
    });

    it('refuses a body changed after signing', async () => {
      const response = await send(input(), { bodyAfterSigning: converseBody({ inferenceConfig: { maxTokens: 5 } }) });
      assertError(response, 403, 'InvalidSignatureException', /signature we calculated does not match/);
    });

    it('refuses a signature 10 minutes old', async () => {
      const response = await send({ ...input(), signingDate: new Date(Date.now() - 10 * 60 * 1000) });
      assertError(response, 403, 'InvalidSignatureException', /^Signature expired/);
    });
  });
});
