import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { ChatBedrockConverse } from '@langchain/aws';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

describe('Vercel AI SDK (@ai-sdk/amazon-bedrock)', () => {
  const bedrock = () =>
    createAmazonBedrock({
      region: 'us-east-1',
      baseURL: server.url,
      accessKeyId: testCredentials.accessKeyId,
      secretAccessKey: testCredentials.secretAccessKey,
    });

  it('generates text', async () => {
    const result = await generateText({ model: bedrock()('anthropic.claude-3-haiku-20240307-v1:0'), prompt: 'What is granite?', maxRetries: 0 });
    assert.equal(result.text, 'Granite is an igneous rock.');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage.inputTokens, 21);
    assert.equal(result.usage.outputTokens, 8);
  });

  it('streams text', async () => {
    const result = streamText({ model: bedrock()('outcrop.text'), prompt: 'What is granite?', maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    assert.equal(text, 'Granite is an igneous rock.');
    assert.equal(await result.finishReason, 'stop');
  });

  it('calls tools', async () => {
    const result = await generateText({
      model: bedrock()('outcrop.tools'),
      prompt: 'How hard is granite?',
      maxRetries: 0,
      tools: { get_rock_hardness: tool({ description: 'Hardness of a rock', inputSchema: jsonSchema<{ rock: string }>({ type: 'object', properties: { rock: { type: 'string' } } }) }) },
      toolChoice: 'required',
    });
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.toolCalls.map((call) => [call.toolName, call.input]), [['get_rock_hardness', { rock: 'granite', scale: 'mohs' }]]);
  });

  it('authenticates with a Bedrock API key', async () => {
    const keyed = createAmazonBedrock({ region: 'us-east-1', baseURL: server.url, apiKey: testCredentials.apiKey });
    const result = await generateText({ model: keyed('outcrop.text'), prompt: 'hi', maxRetries: 0 });
    assert.equal(result.text, 'Granite is an igneous rock.');
  });
});

describe("LangChain's ChatBedrockConverse", () => {
  const chat = () =>
    new ChatBedrockConverse({
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      region: 'us-east-1',
      client: new BedrockRuntimeClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey },
        maxAttempts: 1,
      }),
    });

  it('invokes', async () => {
    const message = await chat().invoke('What is granite?');
    assert.equal(message.content, 'Granite is an igneous rock.');
    assert.equal(message.usage_metadata?.input_tokens, 21);
  });

  it('streams', async () => {
    let text = '';
    for await (const chunk of await chat().stream('What is granite?')) text += typeof chunk.content === 'string' ? chunk.content : '';
    assert.equal(text, 'Granite is an igneous rock.');
  });

  it('binds tools', async () => {
    const withTools = new ChatBedrockConverse({
      model: 'outcrop.tools',
      region: 'us-east-1',
      client: new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey }, maxAttempts: 1 }),
    }).bindTools([{ name: 'get_rock_hardness', description: 'Hardness of a rock', schema: { type: 'object', properties: { rock: { type: 'string' } } } }]);
    const message = await withTools.invoke('How hard is granite?');
    assert.deepEqual(message.tool_calls?.map((call) => [call.name, call.args]), [['get_rock_hardness', { rock: 'granite', scale: 'mohs' }]]);
  });
});
