import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../core/errors.js';
import { bedrockAgentModel, bedrockAgentRuntimeModel, bedrockModel, bedrockRuntimeModel } from './generated/index.js';
import type { OperationModel, ServiceModel } from './model-types.js';
import { readInput, type WireRequest, writeOutput } from './rest-json.js';

function op(service: ServiceModel, name: string): OperationModel {
  const found = service.operations.find((operation) => operation.name === name);
  assert.ok(found, `${service.name} has no operation ${name}`);
  return found;
}

function request(parts: Partial<Omit<WireRequest, 'body'>> & { body?: Buffer | string | object }): WireRequest {
  const body = parts.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(parts.body) ? parts.body : Buffer.from(typeof parts.body === 'string' ? parts.body : JSON.stringify(parts.body));
  return { labels: parts.labels ?? {}, query: parts.query ?? new URLSearchParams(), headers: parts.headers ?? {}, body };
}

function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(OutcropError.isInstance(error), `expected an OutcropError, got ${String(error)}`);
    assert.equal(error.code, 'ValidationException');
    return error.message;
  }
  assert.fail('expected a ValidationException');
}

const converse = op(bedrockRuntimeModel, 'Converse');
const invokeModel = op(bedrockRuntimeModel, 'InvokeModel');
const listFoundationModels = op(bedrockModel, 'ListFoundationModels');
const listAsyncInvokes = op(bedrockRuntimeModel, 'ListAsyncInvokes');
const createAgent = op(bedrockAgentModel, 'CreateAgent');

describe('readInput', () => {
  it('reads Converse from its label and JSON body', () => {
    const input = readInput(
      bedrockRuntimeModel,
      converse,
      request({
        labels: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' },
        body: {
          messages: [{ role: 'user', content: [{ text: 'What is granite?' }] }],
          system: [{ text: 'You are a geologist.' }],
          inferenceConfig: { maxTokens: 64, temperature: 0.5, stopSequences: ['END'] },
          additionalModelRequestFields: { top_k: 5 },
        },
      }),
    );
    assert.deepEqual(input, {
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      messages: [{ role: 'user', content: [{ text: 'What is granite?' }] }],
      system: [{ text: 'You are a geologist.' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.5, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 5 },
    });
  });

  it('rejects a Converse request without a model ID label', () => {
    assert.equal(
      validationMessage(() => readInput(bedrockRuntimeModel, converse, request({ body: {} }))),
      "1 validation error detected: Value null at 'modelId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports every absent required query parameter as null, counted together', () => {
    const getAgentMemory = op(bedrockAgentRuntimeModel, 'GetAgentMemory');
    assert.equal(
      validationMessage(() => readInput(bedrockAgentRuntimeModel, getAgentMemory, request({ labels: { agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' } }))),
      "2 validation errors detected: Value null at 'memoryType' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'memoryId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports Converse body violations with their paths', () => {
    assert.equal(
      validationMessage(() =>
        readInput(
          bedrockRuntimeModel,
          converse,
          request({ labels: { modelId: 'm' }, body: { messages: [{ role: 'user', content: [] }], inferenceConfig: { maxTokens: 0, temperature: 2 } } }),
        ),
      ),
      "2 validation errors detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '2' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
    );
  });

  it('rejects a body that is not JSON', () => {
    assert.match(
      validationMessage(() => readInput(bedrockRuntimeModel, converse, request({ labels: { modelId: 'm' }, body: '{"messages":' }))),
      /^Malformed input request: the body is not valid JSON/,
    );
  });

  it('rejects JSON nested deeper than 1000 levels', () => {
    const deep = `{"additionalModelRequestFields":${'['.repeat(1001)}${']'.repeat(1001)}}`;
    assert.match(
      validationMessage(() => readInput(bedrockRuntimeModel, converse, request({ labels: { modelId: 'm' }, body: deep }))),
      /deeper than 1000 levels/,
    );
  });

  it('reads InvokeModel: the raw body as the payload blob, Content-Type and Accept from headers', () => {
    const body = Buffer.from('{"anthropic_version":"bedrock-2023-05-31","max_tokens":5}');
    const input = readInput(
      bedrockRuntimeModel,
      invokeModel,
      request({
        labels: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' },
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-amzn-bedrock-trace': 'ENABLED' },
        body,
      }),
    );
    assert.ok(Buffer.isBuffer(input.body));
    assert.deepEqual(input.body, body);
    assert.equal(input.contentType, 'application/json');
    assert.equal(input.accept, 'application/json');
    assert.equal(input.trace, 'ENABLED');
    assert.equal(input.modelId, 'anthropic.claude-3-haiku-20240307-v1:0');
  });

  it('checks enum values of header-bound members', () => {
    assert.equal(
      validationMessage(() =>
        readInput(bedrockRuntimeModel, invokeModel, request({ labels: { modelId: 'm' }, headers: { 'x-amzn-bedrock-trace': 'LOUD' }, body: '{}' })),
      ),
      "1 validation error detected: Value 'LOUD' at 'trace' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_FULL]",
    );
  });

  it('reads ListFoundationModels filters from the query string', () => {
    const input = readInput(
      bedrockModel,
      listFoundationModels,
      request({ query: new URLSearchParams('byProvider=Anthropic&byOutputModality=TEXT&byInferenceType=ON_DEMAND') }),
    );
    assert.deepEqual(input, { byProvider: 'Anthropic', byOutputModality: 'TEXT', byInferenceType: 'ON_DEMAND' });
    assert.deepEqual(readInput(bedrockModel, listFoundationModels, request({})), {});
  });

  it('validates query values: enum and pattern', () => {
    assert.equal(
      validationMessage(() => readInput(bedrockModel, listFoundationModels, request({ query: new URLSearchParams('byOutputModality=AUDIO') }))),
      "1 validation error detected: Value 'AUDIO' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]",
    );
    assert.equal(
      validationMessage(() => readInput(bedrockModel, listFoundationModels, request({ query: new URLSearchParams('byProvider=anthropic!') }))),
      "1 validation error detected: Value 'anthropic!' at 'byProvider' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9- ]{1,63}$",
    );
  });

  it('converts query integers and timestamps, and checks their range', () => {
    const input = readInput(
      bedrockRuntimeModel,
      listAsyncInvokes,
      request({ query: new URLSearchParams('maxResults=10&submitTimeAfter=2024-01-02T03:04:05Z&sortOrder=Descending') }),
    );
    assert.deepEqual(input, { maxResults: 10, submitTimeAfter: new Date('2024-01-02T03:04:05Z'), sortOrder: 'Descending' });
    assert.equal(
      validationMessage(() => readInput(bedrockRuntimeModel, listAsyncInvokes, request({ query: new URLSearchParams('maxResults=0') }))),
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assert.equal(
      validationMessage(() => readInput(bedrockRuntimeModel, listAsyncInvokes, request({ query: new URLSearchParams('maxResults=ten') }))),
      "1 validation error detected: Value 'ten' at 'maxResults' failed to satisfy constraint: Member must be a number",
    );
  });

  it('generates an idempotency token when the client sends none, and keeps one that it sends', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const first = readInput(bedrockAgentModel, createAgent, request({ body: { agentName: 'geologist' } }));
    const second = readInput(bedrockAgentModel, createAgent, request({ body: { agentName: 'geologist' } }));
    assert.match(String(first.clientToken), uuid);
    assert.match(String(second.clientToken), uuid);
    assert.notEqual(first.clientToken, second.clientToken);
    const token = 'a'.repeat(40);
    assert.equal(readInput(bedrockAgentModel, createAgent, request({ body: { agentName: 'geologist', clientToken: token } })).clientToken, token);
  });

  it('checks the body members of CreateAgent: required name, pattern and ranges', () => {
    assert.equal(
      validationMessage(() => readInput(bedrockAgentModel, createAgent, request({ body: { idleSessionTTLInSeconds: 10 } }))),
      "2 validation errors detected: Value null at 'agentName' failed to satisfy constraint: Member must not be null; " +
        "Value '10' at 'idleSessionTTLInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    );
  });

  it('decodes base64 blobs of the body to bytes', () => {
    const input = readInput(
      bedrockRuntimeModel,
      converse,
      request({
        labels: { modelId: 'm' },
        body: { messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: Buffer.from('PNG!').toString('base64') } } }] }] },
      }),
    );
    const bytes = (input.messages as { content: { image: { source: { bytes: Uint8Array } } }[] }[])[0]?.content[0]?.image.source.bytes;
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(Buffer.from(bytes).toString(), 'PNG!');
  });

  it('rejects a union with two members set', () => {
    assert.equal(
      validationMessage(() =>
        readInput(bedrockRuntimeModel, converse, request({ labels: { modelId: 'm' }, body: { messages: [{ role: 'user', content: [{ text: 'a', image: {} }] }] } })),
      ),
      "1 validation error detected: Value null at 'messages.1.member.content.1.member' failed to satisfy constraint: Union must have exactly one member set",
    );
  });
});

describe('writeOutput', () => {
  const operation: OperationModel = { name: 'Get', method: 'GET', uri: '/', code: 200, input: null, output: 'Output', errors: [] };

  it('writes InvokeModel: the payload blob as the raw body and header-bound members as headers', () => {
    const body = new TextEncoder().encode('{"completion":"Granite is igneous."}');
    const response = writeOutput(bedrockRuntimeModel, invokeModel, {
      body,
      contentType: 'application/json',
      performanceConfigLatency: 'standard',
      serviceTier: undefined,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, body);
    assert.deepEqual(response.headers, { 'content-type': 'application/json', 'x-amzn-bedrock-performanceconfig-latency': 'standard' });
  });

  it('keeps a non-JSON content type of an InvokeModel payload', () => {
    const response = writeOutput(bedrockRuntimeModel, invokeModel, { body: new Uint8Array([1, 2]), contentType: 'application/octet-stream' });
    assert.equal(response.headers['content-type'], 'application/octet-stream');
  });

  it('writes Converse as JSON with blobs in base64', () => {
    const response = writeOutput(bedrockRuntimeModel, converse, {
      output: { message: { role: 'assistant', content: [{ text: 'Here:' }, { image: { format: 'png', source: { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) } } }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
      metrics: { latencyMs: 12 },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(String(response.body)), {
      output: { message: { role: 'assistant', content: [{ text: 'Here:' }, { image: { format: 'png', source: { bytes: 'iVBORw==' } } }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
      metrics: { latencyMs: 12 },
    });
  });

  it('writes a Buffer that is a slice of a larger allocation as exactly its own bytes', () => {
    const pool = Buffer.from('xxxxPNG!yyyy');
    const response = writeOutput(bedrockRuntimeModel, converse, {
      output: { message: { role: 'assistant', content: [{ image: { format: 'png', source: { bytes: pool.subarray(4, 8) } } }] } },
    });
    const json = JSON.parse(String(response.body)) as { output: { message: { content: { image: { source: { bytes: string } } }[] } } };
    assert.equal(Buffer.from(json.output.message.content[0]?.image.source.bytes ?? '', 'base64').toString(), 'PNG!');
  });

  it('writes a timestamp without a modeled format as epoch seconds', () => {
    const service: ServiceModel = {
      name: 'test',
      sdkId: 'Test',
      version: '2024-01-01',
      endpointPrefix: 'test',
      operations: [operation],
      shapes: {
        Output: { t: 'structure', m: { at: { s: 'Time' }, list: { s: 'Times' }, iso: { s: 'Time', tf: 'date-time' }, http: { s: 'Time', tf: 'http-date' } } },
        Time: { t: 'timestamp' },
        Times: { t: 'list', m: 'Time' },
      },
    };
    const when = new Date('2023-11-14T22:13:20.500Z');
    const response = writeOutput(service, operation, { at: when, list: [when], iso: when, http: when });
    assert.deepEqual(JSON.parse(String(response.body)), {
      at: 1_700_000_000.5,
      list: [1_700_000_000.5],
      iso: '2023-11-14T22:13:20.500Z',
      http: 'Tue, 14 Nov 2023 22:13:20 GMT',
    });
  });

  it('writes a date-time timestamp as ISO-8601 text, which the SDKs require', () => {
    const getAsyncInvoke = op(bedrockRuntimeModel, 'GetAsyncInvoke');
    const response = writeOutput(bedrockRuntimeModel, getAsyncInvoke, {
      invocationArn: 'arn:aws:bedrock:us-east-1:123456789012:async-invoke/abc',
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:0',
      status: 'Completed',
      submitTime: new Date('2023-11-14T22:13:20Z'),
      endTime: new Date('2023-11-14T22:13:20.250Z'),
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/out' } },
    });
    const json = JSON.parse(String(response.body)) as Record<string, unknown>;
    assert.equal(json.submitTime, '2023-11-14T22:13:20Z');
    assert.equal(json.endTime, '2023-11-14T22:13:20.250Z');
    assert.deepEqual(json.outputDataConfig, { s3OutputDataConfig: { s3Uri: 's3://bucket/out' } });
  });

  it('uses the modeled success code, e.g. 202 for CreateAgent', () => {
    const response = writeOutput(bedrockAgentModel, createAgent, { agent: { agentId: 'A', agentName: 'geologist' } });
    assert.equal(response.statusCode, 202);
    assert.deepEqual(JSON.parse(String(response.body)), { agent: { agentId: 'A', agentName: 'geologist' } });
  });

  it('writes {} for an output without members', () => {
    const response = writeOutput(bedrockModel, listFoundationModels, {});
    assert.equal(response.body, '{}');
  });
});
