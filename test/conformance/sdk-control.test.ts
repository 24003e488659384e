import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BedrockClient, GetFoundationModelCommand, ListCustomModelsCommand, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient, ListAgentsCommand, ListFlowsCommand } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

let server: TestServer;
const credentials = { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey };

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

function bedrock(): BedrockClient {
  return new BedrockClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

describe('control plane through @aws-sdk/client-bedrock', () => {
  it('lists the catalog with modalities, streaming support and provider', async () => {
    const response = await bedrock().send(new ListFoundationModelsCommand({}));
    const text = response.modelSummaries?.find((model) => model.modelId === 'outcrop.text');
    assert.deepEqual(text, {
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/outcrop.text',
      modelId: 'outcrop.text',
      modelName: 'Text fixture',
      providerName: 'Outcrop',
      inputModalities: ['TEXT', 'IMAGE'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    });
    assert.equal(response.modelSummaries?.find((model) => model.modelId === 'outcrop.no-stream')?.responseStreamingSupported, false);
  });

  it('applies the ListFoundationModels filters', async () => {
    const byProvider = await bedrock().send(new ListFoundationModelsCommand({ byProvider: 'outcrop' }));
    assert.ok((byProvider.modelSummaries?.length ?? 0) > 5);
    const none = await bedrock().send(new ListFoundationModelsCommand({ byProvider: 'nobody' }));
    assert.deepEqual(none.modelSummaries, []);
    const images = await bedrock().send(new ListFoundationModelsCommand({ byOutputModality: 'IMAGE' }));
    assert.deepEqual(images.modelSummaries, []);
    const customizable = await bedrock().send(new ListFoundationModelsCommand({ byCustomizationType: 'FINE_TUNING' }));
    assert.deepEqual(customizable.modelSummaries, []);
  });

  it('gets a model by ID, alias and ARN, and 404s an unknown one', async () => {
    for (const identifier of ['outcrop.text', 'meta.llama3-1-8b-instruct-v1:0', 'arn:aws:bedrock:us-east-1::foundation-model/outcrop.text']) {
      const response = await bedrock().send(new GetFoundationModelCommand({ modelIdentifier: identifier }));
      assert.equal(response.modelDetails?.modelId, 'outcrop.text', identifier);
    }
    await assert.rejects(bedrock().send(new GetFoundationModelCommand({ modelIdentifier: 'nope.model-v1:0' })), (error: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(error.name, 'ResourceNotFoundException');
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it('answers 501 naming an operation that has no handler yet', async () => {
    await assert.rejects(bedrock().send(new ListCustomModelsCommand({})), (error: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(error.name, 'NotImplementedException');
      assert.equal(error.$metadata.httpStatusCode, 501);
      assert.match(error.message, /ListCustomModels/);
      return true;
    });
  });
});

describe('the other services route and validate on the same port', () => {
  it('bedrock-agent (HTTP/1.1 client) reaches its operations', async () => {
    const agent = new BedrockAgentClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const agents = await agent.send(new ListAgentsCommand({}));
    assert.ok(Array.isArray(agents.agentSummaries));
    await assert.rejects(agent.send(new ListFlowsCommand({})), (error: Error) => error.name === 'NotImplementedException' && /ListFlows/.test(error.message));
  });

  it('bedrock-agent-runtime (default HTTP/2 client) reaches its operations and validates input', async () => {
    const runtime = new BedrockAgentRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await assert.rejects(
      runtime.send(new RetrieveCommand({ knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'granite' } })),
      (error: Error) => error.name === 'ResourceNotFoundException' && /KB12345678/.test(error.message),
    );
    await assert.rejects(
      runtime.send(new RetrieveCommand({ knowledgeBaseId: 'not a valid id!', retrievalQuery: { text: 'granite' } })),
      (error: Error) => error.name === 'ValidationException' && /knowledgeBaseId/.test(error.message),
    );
  });
});
