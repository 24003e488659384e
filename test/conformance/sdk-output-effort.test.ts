import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConverseCommand, type ConverseCommandInput, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { converseEvents, rejectsWithName, runtimeClient } from '../support/bedrock-runtime-client.js';
import { type TestServer, startTestServer } from '../support/test-server.js';

/**
 * `outputConfig.effort` through @aws-sdk/client-bedrock-runtime, end to end: the real server in front
 * of the fake OpenAI-compatible upstream, which receives the effort as `reasoning_effort`.
 */

const messages: ConverseCommandInput['messages'] = [{ role: 'user', content: [{ text: 'What is granite?' }] }];

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** The body of the upstream request whose prompt carries `marker`. */
function upstreamBody(marker: string): Record<string, unknown> {
  const request = server.upstream.requests.find((candidate) => JSON.stringify(candidate.body.messages ?? []).includes(marker));
  assert.ok(request, `the upstream never received the request marked ${marker}`);
  return request.body;
}

const marked = (marker: string): ConverseCommandInput['messages'] => [{ role: 'user', content: [{ text: `${marker}: what is granite?` }] }];

describe('Converse outputConfig.effort through @aws-sdk/client-bedrock-runtime', () => {
  it('reaches an OpenAI-compatible upstream as reasoning_effort', async () => {
    const response = await runtimeClient(server.url).send(new ConverseCommand({ modelId: 'outcrop.text', messages: marked('effort-low'), outputConfig: { effort: 'low' } }));
    assert.equal(response.stopReason, 'end_turn');
    assert.equal(upstreamBody('effort-low').reasoning_effort, 'low');
  });

  it('reaches the upstream from ConverseStream too, beside a textFormat', async () => {
    const schema = { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] };
    const response = await runtimeClient(server.url).send(
      new ConverseStreamCommand({
        modelId: 'outcrop.text',
        messages: marked('effort-stream'),
        outputConfig: { effort: 'medium', textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'rock' } } } },
      }),
    );
    const events = await converseEvents(response.stream);
    assert.ok(events.at(-1)?.metadata, 'the stream ends with its metadata');
    const body = upstreamBody('effort-stream');
    assert.equal(body.reasoning_effort, 'medium');
    assert.equal((body.response_format as { type?: string } | undefined)?.type, 'json_schema');
  });

  it('sends max as high, the highest level a plain OpenAI-compatible server takes', async () => {
    await runtimeClient(server.url).send(new ConverseCommand({ modelId: 'outcrop.text', messages: marked('effort-max'), outputConfig: { effort: 'max' } }));
    assert.equal(upstreamBody('effort-max').reasoning_effort, 'high');
  });

  it('lets a reasoning_effort in additionalModelRequestFields win', async () => {
    await runtimeClient(server.url).send(
      new ConverseCommand({ modelId: 'outcrop.text', messages: marked('effort-own'), outputConfig: { effort: 'high' }, additionalModelRequestFields: { reasoning_effort: 'minimal' } }),
    );
    assert.equal(upstreamBody('effort-own').reasoning_effort, 'minimal');
  });

  it('answers an unknown effort with a ValidationException naming the field and the allowed values, before the upstream', async () => {
    const before = server.upstream.requests.length;
    const unknown = await rejectsWithName(runtimeClient(server.url).send(new ConverseCommand({ modelId: 'outcrop.text', messages, outputConfig: { effort: 'extreme' } })), 'ValidationException');
    assert.equal(unknown.$metadata?.httpStatusCode, 400);
    assert.match(unknown.message, /'extreme' at 'outputConfig\.effort'/);
    assert.match(unknown.message, /\[low, medium, high, xhigh, max\]/);
    const streamed = await rejectsWithName(
      runtimeClient(server.url).send(new ConverseStreamCommand({ modelId: 'outcrop.text', messages, outputConfig: { effort: 'minimal' } })),
      'ValidationException',
    );
    assert.match(streamed.message, /'minimal' at 'outputConfig\.effort'/);
    const long = await rejectsWithName(runtimeClient(server.url).send(new ConverseCommand({ modelId: 'outcrop.text', messages, outputConfig: { effort: 'x'.repeat(17) } })), 'ValidationException');
    assert.match(long.message, /outputConfig\.effort/);
    assert.equal(server.upstream.requests.length, before, 'a refused request never reaches the upstream');
  });
});
