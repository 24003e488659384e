import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ActionExecutionError, type ActionSessionContext } from './action-executor.js';
import { createActionExecutor } from './create-action-executor.js';
import { createLambdaHttpExecutor } from './lambda-http-executor.js';
import { createOutboundHttp } from './outbound-http.js';

const session: ActionSessionContext = {
  messageVersion: '1.0',
  sessionId: 'session-1',
  inputText: 'Where is order 42?',
  agent: { name: 'shop', id: 'AGENT12345', alias: 'TSTALIASID', version: 'DRAFT' },
  sessionAttributes: { customer: 'c-7' },
  promptSessionAttributes: { today: '2025-01-01' },
};

type Handler = (event: Record<string, unknown>, response: ServerResponse) => void;

describe('Lambda-over-HTTP executor', () => {
  let server: Server;
  let base: string;
  const received: Record<string, unknown>[] = [];
  const handlers = new Map<string, Handler>();
  const http = createOutboundHttp({ allowPrivateNetworks: true });

  before(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      if (request.url === '/moved') {
        response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data' }).end();
        return;
      }
      let text = '';
      request.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      request.on('end', () => {
        const event = JSON.parse(text) as Record<string, unknown>;
        received.push({ ...event, contentType: request.headers['content-type'] });
        handlers.get(request.url ?? '')?.(event, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await http.close();
  });

  it('posts the OpenAPI event field by field and reads the API response', async () => {
    handlers.set('/orders', (event, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          messageVersion: '1.0',
          response: { actionGroup: event.actionGroup, apiPath: event.apiPath, httpMethod: event.httpMethod, httpStatusCode: 201, responseBody: { 'application/json': { body: '{"status":"shipped"}' } } },
          sessionAttributes: { customer: 'c-7', lastOrder: '42' },
          promptSessionAttributes: { tone: 'brief' },
          knowledgeBasesConfiguration: [{ knowledgeBaseId: 'KB12345678', retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } } }],
        }),
      );
    });
    const executor = createLambdaHttpExecutor({ url: `${base}/orders`, timeoutMs: 5000, http });
    const result = await executor.invoke({
      invocation: {
        kind: 'api',
        actionGroup: 'orders',
        apiPath: '/orders/{orderId}',
        httpMethod: 'POST',
        parameters: [{ name: 'orderId', type: 'string', value: '42' }],
        requestBody: { content: { 'application/json': { properties: [{ name: 'note', type: 'string', value: 'gift' }] } } },
      },
      session,
    });
    assert.deepEqual(received.at(-1), {
      messageVersion: '1.0',
      agent: { name: 'shop', id: 'AGENT12345', alias: 'TSTALIASID', version: 'DRAFT' },
      inputText: 'Where is order 42?',
      sessionId: 'session-1',
      actionGroup: 'orders',
      apiPath: '/orders/{orderId}',
      httpMethod: 'POST',
      parameters: [{ name: 'orderId', type: 'string', value: '42' }],
      requestBody: { content: { 'application/json': { properties: [{ name: 'note', type: 'string', value: 'gift' }] } } },
      sessionAttributes: { customer: 'c-7' },
      promptSessionAttributes: { today: '2025-01-01' },
      contentType: 'application/json',
    });
    assert.deepEqual(result, {
      responseBody: { 'application/json': { body: '{"status":"shipped"}' } },
      httpStatusCode: 201,
      sessionAttributes: { customer: 'c-7', lastOrder: '42' },
      promptSessionAttributes: { tone: 'brief' },
      knowledgeBasesConfiguration: [{ knowledgeBaseId: 'KB12345678', retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } } }],
    });
  });

  it('posts the function event and reads functionResponse with its state', async () => {
    handlers.set('/fn', (event, response) => {
      response.end(JSON.stringify({ messageVersion: '1.0', response: { actionGroup: event.actionGroup, function: event.function, functionResponse: { responseState: 'REPROMPT', responseBody: { TEXT: { body: 'need a city' } } } } }));
    });
    const executor = createActionExecutor(
      { actionGroupName: 'weather', actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:123456789012:function:weather:PROD' } },
      { functions: { weather: { url: `${base}/fn` } }, outboundHttp: http },
    );
    assert.ok(executor);
    const result = await executor.invoke({ invocation: { kind: 'function', actionGroup: 'weather', function: 'forecast', parameters: [{ name: 'days', type: 'integer', value: '3' }] }, session });
    assert.deepEqual(received.at(-1), {
      messageVersion: '1.0',
      agent: session.agent,
      inputText: session.inputText,
      sessionId: 'session-1',
      actionGroup: 'weather',
      function: 'forecast',
      parameters: [{ name: 'days', type: 'integer', value: '3' }],
      sessionAttributes: { customer: 'c-7' },
      promptSessionAttributes: { today: '2025-01-01' },
      contentType: 'application/json',
    });
    assert.deepEqual(result, { responseBody: { TEXT: { body: 'need a city' } }, responseState: 'REPROMPT' });
  });

  async function failure(url: string, options: { timeoutMs?: number; http?: ReturnType<typeof createOutboundHttp> } = {}) {
    const executor = createLambdaHttpExecutor({ url, timeoutMs: options.timeoutMs ?? 5000, http: options.http ?? http });
    const error = await executor.invoke({ invocation: { kind: 'function', actionGroup: 'g', function: 'f', parameters: [] }, session }).then(
      () => assert.fail('expected a failure'),
      (caught: unknown) => caught,
    );
    assert.ok(ActionExecutionError.isInstance(error), String(error));
    return error;
  }

  it('reports a response that is not JSON, or not the response format', async () => {
    handlers.set('/garbage', (_event, response) => response.end('{"response": '));
    const notJson = await failure(`${base}/garbage`);
    assert.equal(notJson.reason, 'malformed-response');
    assert.match(notJson.message, /Action group 'g': the response of .* is not JSON/);

    handlers.set('/shape', (_event, response) => response.end(JSON.stringify({ response: { functionResponse: { responseBody: { TEXT: { body: 7 } } } } })));
    const wrongShape = await failure(`${base}/shape`);
    assert.equal(wrongShape.reason, 'malformed-response');
    assert.match(wrongShape.message, /response\.functionResponse\.responseBody\.TEXT\.body/);

    handlers.set('/lambda-error', (_event, response) => response.end(JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined' })));
    const thrown = await failure(`${base}/lambda-error`);
    assert.equal(thrown.reason, 'handler-error');
    assert.match(thrown.message, /TypeError: x is undefined/);

    handlers.set('/500', (_event, response) => response.writeHead(500).end('boom'));
    const status = await failure(`${base}/500`);
    assert.match(status.message, /answered HTTP 500: boom/);
  });

  it('times out a handler that does not answer', async () => {
    handlers.set('/slow', () => {});
    const error = await failure(`${base}/slow`, { timeoutMs: 200 });
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /did not answer within 200 ms/);
  });

  it('refuses loopback unless allowed, by IP, by name and on redirects', async () => {
    const strict = createOutboundHttp({ resolveHost: async () => [{ address: '127.0.0.1', family: 4 }] });
    try {
      const literal = await failure(`${base}/fn`, { http: strict });
      assert.equal(literal.reason, 'refused-address');
      assert.match(literal.message, /127\.0\.0\.1 is a loopback address.*allowPrivateNetworks/);
      const port = new URL(base).port;
      const named = await failure(`http://handler.example:${port}/fn`, { http: strict });
      assert.equal(named.reason, 'refused-address');
      assert.match(named.message, /handler\.example resolves to 127\.0\.0\.1 is a loopback address/);
    } finally {
      await strict.close();
    }
    const loopbackOnly = createOutboundHttp({ allowedCidrs: ['127.0.0.0/8'] });
    try {
      const redirect = await failure(`${base}/moved`, { http: loopbackOnly });
      assert.equal(redirect.reason, 'refused-address');
      assert.match(redirect.message, /169\.254\.169\.254 is a link-local address/);
    } finally {
      await loopbackOnly.close();
    }
  });

  it('keeps to the allow-list', async () => {
    const listed = createOutboundHttp({ allowPrivateNetworks: true, allowedUrls: [`${base}/fn`] });
    try {
      handlers.set('/fn', (_event, response) => response.end(JSON.stringify({ response: { functionResponse: { responseBody: { TEXT: { body: 'ok' } } } } })));
      const ok = createLambdaHttpExecutor({ url: `${base}/fn`, timeoutMs: 5000, http: listed });
      const result = await ok.invoke({ invocation: { kind: 'function', actionGroup: 'g', function: 'f', parameters: [] }, session });
      assert.equal(result.responseBody.TEXT?.body, 'ok');
      const error = await failure(`${base}/orders`, { http: listed });
      assert.equal(error.reason, 'refused-address');
      assert.match(error.message, /not in the outbound allow-list/);
    } finally {
      await listed.close();
    }
  });

  it('fails with not-configured for a Lambda ARN nothing serves', async () => {
    const executor = createActionExecutor({ actionGroupName: 'g', actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:123456789012:function:nobody' } }, { functions: {}, outboundHttp: http });
    const error = await executor?.invoke({ invocation: { kind: 'function', actionGroup: 'g', function: 'f', parameters: [] }, session }).catch((caught: unknown) => caught);
    assert.ok(ActionExecutionError.isInstance(error));
    assert.equal(error.reason, 'not-configured');
    assert.equal(createActionExecutor({ actionGroupName: 'rc', actionGroupExecutor: { customControl: 'RETURN_CONTROL' } }, { functions: {}, outboundHttp: http }), undefined);
  });
});
