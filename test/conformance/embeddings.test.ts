import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { BedrockClient, GetFoundationModelCommand, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

/** A documented request body and the response shape AWS documents for it. */
interface DocumentedExample {
  modelId: string;
  request: Record<string, unknown>;
  response: unknown;
}

const fixtures = new URL('../fixtures/families/embedding/', import.meta.url);
const example = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')) as DocumentedExample;
const recordedOpenAI = JSON.parse(readFileSync(new URL('../fixtures/openai/embedding.json', import.meta.url), 'utf8')) as { data: { embedding: number[] }[] };

const credentials = { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey };
let server: TestServer;

function runtime(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

function control(): BedrockClient {
  return new BedrockClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function invoke(modelId: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await runtime().send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json' }));
  assert.equal(response.contentType, 'application/json');
  return JSON.parse(Buffer.from(response.body).toString('utf8'));
}

async function rejects(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, name, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** Checks a value against AWS's documented template: "float", "int", "string", [item], {key: template}, or a literal. */
function assertShape(value: unknown, template: unknown, path = '$'): void {
  if (template === 'float') {
    assert.equal(typeof value, 'number', path);
  } else if (template === 'int') {
    assert.ok(Number.isInteger(value), `${path}: ${String(value)} is not an integer`);
  } else if (template === 'string') {
    assert.equal(typeof value, 'string', path);
  } else if (Array.isArray(template)) {
    assert.ok(Array.isArray(value) && value.length > 0, `${path} is not a non-empty array`);
    for (const [index, item] of value.entries()) assertShape(item, template[0], `${path}[${index}]`);
  } else if (template && typeof template === 'object') {
    assert.ok(value && typeof value === 'object', `${path} is not an object`);
    assert.deepEqual(Object.keys(value).sort(), Object.keys(template).sort(), `${path} keys`);
    for (const [key, item] of Object.entries(template)) assertShape((value as Record<string, unknown>)[key], item, `${path}.${key}`);
  } else {
    assert.equal(value, template, path);
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += (a[index] ?? 0) * (b[index] ?? 0);
    normA += (a[index] ?? 0) ** 2;
    normB += (b[index] ?? 0) ** 2;
  }
  return dot / Math.sqrt(normA * normB);
}

before(async () => {
  server = await startTestServer({
    extraConfig: `  - { id: outcrop.embed-openai, kind: embedding, provider: fake, upstreamModel: embedding, family: cohere-embed, dimensions: 8, providerName: Outcrop }
  - { id: outcrop.embed-throttled, kind: embedding, provider: fake, upstreamModel: rate-limited, providerName: Outcrop }
`,
  });
});
after(async () => {
  await server.close();
});

describe('the built-in embedding model in the catalog', () => {
  it('is listed with the EMBEDDING output modality and no streaming', async () => {
    const response = await control().send(new ListFoundationModelsCommand({ byOutputModality: 'EMBEDDING' }));
    const builtin = response.modelSummaries?.find((model) => model.modelId === 'outcrop.use-lite-v1');
    assert.deepEqual(builtin, {
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/outcrop.use-lite-v1',
      modelId: 'outcrop.use-lite-v1',
      modelName: 'Universal Sentence Encoder lite',
      providerName: 'Outcrop',
      inputModalities: ['TEXT'],
      outputModalities: ['EMBEDDING'],
      responseStreamingSupported: false,
      customizationsSupported: [],
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    });
    assert.ok(response.modelSummaries?.every((model) => model.outputModalities?.includes('EMBEDDING')));
  });

  it('answers to the Bedrock embedding model IDs', async () => {
    for (const identifier of ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1', 'cohere.embed-english-v3', 'arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-multilingual-v3']) {
      const response = await control().send(new GetFoundationModelCommand({ modelIdentifier: identifier }));
      assert.equal(response.modelDetails?.modelId, 'outcrop.use-lite-v1', identifier);
    }
  });
});

describe('native embedding bodies on the built-in model', () => {
  it('answers Titan Text Embeddings v1 as documented', async () => {
    const documented = example('titan-embed-text-v1');
    const response = await invoke(documented.modelId, documented.request);
    assertShape(response, documented.response);
    assert.equal((response.embedding as number[]).length, 512);
    assert.ok((response.inputTextTokenCount as number) > 5);
  });

  it('answers Titan Text Embeddings v2 as documented: unit length, and a bit a dimension for binary', async () => {
    const documented = example('titan-embed-text-v2');
    const response = await invoke(documented.modelId, documented.request);
    assertShape(response, documented.response);
    const embedding = response.embedding as number[];
    assert.equal(embedding.length, 512);
    assert.ok(Math.abs(Math.hypot(...embedding) - 1) < 1e-6);
    const byType = response.embeddingsByType as { float: number[]; binary: number[] };
    assert.deepEqual(byType.float, embedding);
    assert.deepEqual(byType.binary, embedding.map((value) => (value > 0 ? 1 : 0)));

    const plain = example('titan-embed-text-v2-default');
    assertShape(await invoke('outcrop.use-lite-v1', plain.request), plain.response);
  });

  it('refuses Titan v2 sizes the model cannot produce, and malformed bodies, as ValidationException', async () => {
    await rejects(invoke('amazon.titan-embed-text-v2:0', { inputText: 'granite', dimensions: 1024 }), 'ValidationException', /produces 512-dimension embeddings/);
    await rejects(invoke('amazon.titan-embed-text-v2:0', { inputText: 'granite', dimensions: 300 }), 'ValidationException', /#\/dimensions: 300 is not a valid enum value/);
    await rejects(invoke('amazon.titan-embed-text-v1', { inputText: 'granite', text: 'granite' }), 'ValidationException', /extraneous key \[text\] is not permitted/);
  });

  it('answers Cohere Embed as documented, as floats or by type', async () => {
    const floats = example('cohere-embed-floats');
    const response = await invoke(floats.modelId, floats.request);
    assertShape(response, floats.response);
    assert.deepEqual(response.texts, floats.request.texts);
    assert.deepEqual(
      (response.embeddings as number[][]).map((vector) => vector.length),
      [512, 512],
    );

    const byType = example('cohere-embed-by-type');
    const typed = await invoke(byType.modelId, byType.request);
    assertShape(typed, byType.response);
    const embeddings = typed.embeddings as Record<string, number[][]>;
    assert.equal(embeddings.float?.[0]?.length, 512);
    assert.ok(embeddings.int8?.[0]?.every((value) => value >= -128 && value <= 127));
    assert.equal(embeddings.binary?.[0]?.length, 64);
    assert.equal(embeddings.ubinary?.[0]?.length, 64);
  });

  it('places related sentences nearer than unrelated ones', async () => {
    const triples = [
      ['The cat sat on the mat', 'A kitten rested on the rug', 'Stock markets fell sharply today'],
      ['How do I reset my password?', 'I forgot my login credentials', 'The recipe needs two eggs and flour'],
      ['Heavy rain is expected tomorrow', 'The forecast calls for storms', 'She plays the violin in an orchestra'],
      ['Granite is an igneous rock', 'Basalt forms when lava cools', 'The team won the championship game'],
    ];
    const response = await invoke('cohere.embed-english-v3', { texts: triples.flat(), input_type: 'clustering' });
    const vectors = response.embeddings as number[][];
    triples.forEach((triple, index) => {
      const [anchor, related, unrelated] = vectors.slice(index * 3, index * 3 + 3) as [number[], number[], number[]];
      const near = cosine(anchor, related);
      assert.ok(near > cosine(anchor, unrelated) + 0.1, `${triple[0]}: ${near} vs ${cosine(anchor, unrelated)}`);
      assert.ok(near > cosine(related, unrelated) + 0.1, `${triple[1]}: ${near} vs ${cosine(related, unrelated)}`);
    });
  });

  it('keeps answering other requests while a 256-text batch runs', async () => {
    await invoke('cohere.embed-english-v3', { texts: ['warm up'], input_type: 'search_query' });
    const texts = Array.from({ length: 256 }, (_, index) => `Sentence ${index}: the survey mapped granite, basalt and schist along the ridge near the old quarry.`);
    let finished = 0;
    const started = performance.now();
    const batches = [texts.slice(0, 96), texts.slice(96, 192), texts.slice(192)].map((slice) =>
      invoke('cohere.embed-english-v3', { texts: slice, input_type: 'search_document' }).then((response) => {
        finished++;
        return response;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latencies: number[] = [];
    for (let call = 0; call < 3; call++) {
      const asked = performance.now();
      await control().send(new ListFoundationModelsCommand({}));
      latencies.push(performance.now() - asked);
    }
    assert.equal(finished, 0, 'the batch was still running while the listings were answered');
    const results = await Promise.all(batches);
    const batchMs = performance.now() - started;
    assert.equal(results.flatMap((result) => result.embeddings as number[][]).length, 256);
    assert.ok(Math.max(...latencies) < Math.min(250, batchMs / 3), `ListFoundationModels took ${latencies.map(Math.round).join(', ')} ms during a ${Math.round(batchMs)} ms batch`);
  });

  it('refuses Converse, streaming and CountTokens on an embedding model', async () => {
    await rejects(runtime().send(new ConverseCommand({ modelId: 'amazon.titan-embed-text-v2:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })), 'ValidationException', /embedding model/);
    await rejects(
      runtime().send(new InvokeModelWithResponseStreamCommand({ modelId: 'cohere.embed-english-v3', body: JSON.stringify({ texts: ['hi'], input_type: 'search_query' }) })),
      'ValidationException',
      /embedding model/,
    );
    await rejects(
      runtime().send(new CountTokensCommand({ modelId: 'amazon.titan-embed-text-v2:0', input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify({ inputText: 'hi' })) } } })),
      'ValidationException',
      /embedding model/,
    );
  });
});

describe('an OpenAI-compatible /v1/embeddings backend', () => {
  it('sends the texts upstream and answers in the Cohere shape', async () => {
    const response = await invoke('outcrop.embed-openai', { texts: ['granite', 'basalt', 'gneiss'], input_type: 'search_document' });
    const request = server.upstream.requests.at(-1);
    assert.equal(request?.path, '/v1/embeddings');
    assert.deepEqual(request?.body, { model: 'embedding', input: ['granite', 'basalt', 'gneiss'], encoding_format: 'float' });
    assert.equal(request?.headers.authorization, 'Bearer sk-upstream-secret');
    const [first, second] = recordedOpenAI.data.map((row) => row.embedding);
    assert.deepEqual(response.embeddings, [first, second, first]);
    assert.equal(response.response_type, 'embeddings_floats');
  });

  it("passes the backend's throttling on", async () => {
    await rejects(invoke('outcrop.embed-throttled', { inputText: 'granite' }), 'ThrottlingException');
  });
});
