import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BedrockRuntimeClient, CountTokensCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

/**
 * The native InvokeModel bodies of every text-generation family, through the real server and the
 * AWS SDK: the documented request (test/fixtures/families/<family>/request.json) goes in, and the
 * body and stream chunks that come back must have exactly the documented keys and value types.
 */

type Json = Record<string, unknown>;

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'families');
const upstreamText = 'Granite is an igneous rock.';
const hello = "Describe the purpose of a 'hello world' program in one line.";

function fixture(family: string, name: 'request' | 'response' | 'chunks'): unknown {
  return JSON.parse(readFileSync(join(fixtures, family, `${name}.json`), 'utf8'));
}

/** The value at a dotted path (`choices.0.message.content`). */
function dig(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((current, key) => (current as Record<string, unknown> | null | undefined)?.[key], value);
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Where `actual` departs from `documented`: other keys or other JSON types (null stands for a nullable field). */
function shapeDifference(actual: unknown, documented: unknown, path = '$'): string | null {
  if (actual === null || documented === null) return null;
  if (kind(actual) !== kind(documented)) return `${path} is ${kind(actual)}, documented ${kind(documented)}`;
  if (Array.isArray(actual) && Array.isArray(documented)) {
    return actual.length && documented.length ? shapeDifference(actual[0], documented[0], `${path}[0]`) : null;
  }
  if (kind(actual) !== 'object') return null;
  const keys = Object.keys(actual as Json).sort();
  const documentedKeys = Object.keys(documented as Json).sort();
  if (keys.join() !== documentedKeys.join()) return `${path} has keys [${keys}], documented [${documentedKeys}]`;
  for (const key of keys) {
    const difference = shapeDifference((actual as Json)[key], (documented as Json)[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return null;
}

const metricsKey = 'amazon-bedrock-invocationMetrics';

function withoutMetrics(chunk: Json): Json {
  const { [metricsKey]: _metrics, ...rest } = chunk;
  return rest;
}

interface FamilySpec {
  family: string;
  /** where a response body holds the generated text */
  textPath: string;
  /** the text piece a stream chunk carries */
  chunkText(chunk: Json): string;
  /** a key the family requires */
  required: string;
  /** what the documented request must become upstream */
  messages: unknown[];
  params: Json;
}

const specs: FamilySpec[] = [
  {
    family: 'amazon-nova',
    textPath: 'output.message.content.0.text',
    chunkText: (chunk) => String(dig(chunk, 'contentBlockDelta.delta.text') ?? ''),
    required: 'messages',
    messages: [
      { role: 'system', content: 'Act as a creative writing assistant. When the user provides you with a topic, write a short story about that topic.' },
      { role: 'user', content: 'A camping trip' },
    ],
    params: { max_tokens: 500, top_p: 0.9, top_k: 20, temperature: 0.7 },
  },
  {
    family: 'amazon-titan-text',
    textPath: 'results.0.outputText',
    chunkText: (chunk) => String(chunk.outputText ?? ''),
    required: 'inputText',
    messages: [{ role: 'user', content: hello }],
    params: { max_tokens: 512, temperature: 0.5 },
  },
  {
    family: 'meta',
    textPath: 'generation',
    chunkText: (chunk) => String(chunk.generation ?? ''),
    required: 'prompt',
    messages: [{ role: 'user', content: hello }],
    params: { max_tokens: 512, temperature: 0.5 },
  },
  {
    family: 'mistral',
    textPath: 'outputs.0.text',
    chunkText: (chunk) => String(dig(chunk, 'outputs.0.text') ?? ''),
    required: 'prompt',
    messages: [{ role: 'user', content: hello }],
    params: { max_tokens: 512, temperature: 0.5 },
  },
  {
    family: 'mistral-chat',
    textPath: 'choices.0.message.content',
    chunkText: (chunk) => String(dig(chunk, 'choices.0.message.content') ?? ''),
    required: 'messages',
    messages: [{ role: 'user', content: 'which llm are you?' }],
    params: { max_tokens: undefined, temperature: undefined },
  },
  {
    family: 'cohere-command-r',
    textPath: 'text',
    chunkText: (chunk) => (chunk.event_type === 'text-generation' ? String(chunk.text) : ''),
    required: 'message',
    messages: [
      { role: 'system', content: 'You are a concise historian.' },
      { role: 'user', content: 'Who discovered gravity?' },
      { role: 'assistant', content: 'The man who is widely credited with discovering gravity is Sir Isaac Newton' },
      { role: 'user', content: 'What year was he born?' },
    ],
    params: { max_tokens: 512, temperature: 0.5 },
  },
  {
    family: 'ai21-jamba',
    textPath: 'choices.0.message.content',
    chunkText: (chunk) => String(dig(chunk, 'choices.0.delta.content') ?? ''),
    required: 'messages',
    messages: [
      { role: 'system', content: 'You are a helpful chatbot with a background in earth sciences.' },
      { role: 'user', content: 'What is granite?' },
    ],
    params: { max_tokens: 256, temperature: 0.7, top_p: 0.8 },
  },
  {
    family: 'deepseek',
    textPath: 'choices.0.text',
    chunkText: (chunk) => String(dig(chunk, 'choices.0.text') ?? ''),
    required: 'prompt',
    messages: [{ role: 'user', content: hello }],
    params: { max_tokens: 512, temperature: 0.5, top_p: 0.9 },
  },
  {
    family: 'openai',
    textPath: 'choices.0.message.content',
    chunkText: (chunk) => String(dig(chunk, 'choices.0.delta.content') ?? ''),
    required: 'messages',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello!' },
    ],
    params: { max_tokens: 150, temperature: 0.7, top_p: 0.9 },
  },
];

let server: TestServer;

function client(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey },
    maxAttempts: 1,
  });
}

async function invoke(modelId: string, body: unknown): Promise<Json> {
  const response = await client().send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: 'application/json', accept: 'application/json' }));
  assert.equal(response.contentType, 'application/json');
  return JSON.parse(new TextDecoder().decode(response.body));
}

async function invokeStream(modelId: string, body: unknown): Promise<Json[]> {
  const response = await client().send(new InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify(body) }));
  const chunks: Json[] = [];
  for await (const event of response.body ?? []) {
    if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
  }
  return chunks;
}

async function validationMessage(modelId: string, body: unknown): Promise<string> {
  try {
    await invoke(modelId, body);
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(failure.name, 'ValidationException', failure.message);
    assert.equal(failure.$metadata?.httpStatusCode, 400);
    return failure.message;
  }
  assert.fail('expected a ValidationException');
}

function lastUpstreamBody(): Json {
  const request = server.upstream.requests.at(-1);
  assert.ok(request, 'the server called the upstream');
  return request.body;
}

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

for (const spec of specs) {
  const modelId = `outcrop.family.${spec.family}`;
  describe(`InvokeModel with a ${spec.family} body`, () => {
    it('answers the documented response body and sends the conversation upstream', async () => {
      const body = await invoke(modelId, fixture(spec.family, 'request'));
      assert.equal(shapeDifference(body, fixture(spec.family, 'response')), null, JSON.stringify(body));
      assert.equal(dig(body, spec.textPath), upstreamText);
      const sent = lastUpstreamBody();
      assert.equal(sent.model, 'text');
      assert.deepEqual(sent.messages, spec.messages);
      for (const [key, value] of Object.entries(spec.params)) assert.deepEqual(sent[key], value, `upstream ${key}`);
    });

    it('streams the documented chunks with invocation metrics on the last', async () => {
      const chunks = await invokeStream(modelId, fixture(spec.family, 'request'));
      const documented = (fixture(spec.family, 'chunks') as Json[]).map(withoutMetrics);
      for (const chunk of chunks) {
        const differences = documented.map((shape) => shapeDifference(withoutMetrics(chunk), shape));
        assert.ok(differences.includes(null), `chunk ${JSON.stringify(chunk)} matches no documented chunk: ${differences.join('; ')}`);
      }
      assert.equal(chunks.map(spec.chunkText).join(''), upstreamText);
      assert.ok(chunks.slice(0, -1).every((chunk) => !(metricsKey in chunk)), 'only the last chunk carries metrics');
      const metrics = chunks.at(-1)?.[metricsKey] as Record<string, number>;
      assert.equal(metrics.inputTokenCount, 21);
      assert.equal(metrics.outputTokenCount, 8);
      assert.equal(typeof metrics.invocationLatency, 'number');
      assert.equal(typeof metrics.firstByteLatency, 'number');
      assert.equal(lastUpstreamBody().stream, true);
    });

    it('refuses a body that does not fit the family, naming the field', async () => {
      const request = fixture(spec.family, 'request') as Json;
      const { [spec.required]: _dropped, ...missing } = request;
      assert.match(await validationMessage(modelId, missing), new RegExp(`^Malformed input request: #: required key \\[${spec.required}\\] not found`));
      const anthropic = { ...request, anthropic_version: 'bedrock-2023-05-31' };
      assert.match(await validationMessage(modelId, anthropic), /#: extraneous key \[anthropic_version\] is not permitted/);
    });

    it('counts the tokens of the body', async () => {
      const body = new TextEncoder().encode(JSON.stringify(fixture(spec.family, 'request')));
      const response = await client().send(new CountTokensCommand({ modelId, input: { invokeModel: { body } } }));
      assert.equal(response.inputTokens, 21);
      assert.equal(lastUpstreamBody().max_tokens, 1);
    });
  });
}

const rockTool = { name: 'get_rock_hardness', description: 'Hardness of a rock', schema: { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] } };
const upstreamTool = { type: 'function', function: { name: rockTool.name, description: rockTool.description, parameters: rockTool.schema } };
const toolInput = { rock: 'granite', scale: 'mohs' };

describe('tool use in native bodies', () => {
  it('Amazon Nova: toolConfig in, toolUse blocks out, tool results back', async () => {
    const body = await invoke('outcrop.family.amazon-nova.tools', {
      messages: [{ role: 'user', content: [{ text: 'How hard is granite?' }] }],
      toolConfig: { tools: [{ toolSpec: { name: rockTool.name, description: rockTool.description, inputSchema: { json: rockTool.schema } } }], toolChoice: { any: {} } },
    });
    assert.deepEqual(body.output, { message: { content: [{ toolUse: { toolUseId: 'call_8f2b1c', name: rockTool.name, input: toolInput } }], role: 'assistant' } });
    assert.equal(body.stopReason, 'tool_use');
    assert.deepEqual(lastUpstreamBody().tools, [upstreamTool]);
    assert.equal(lastUpstreamBody().tool_choice, 'required');
    await invoke('outcrop.family.amazon-nova', {
      messages: [
        { role: 'user', content: [{ text: 'How hard is granite?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'call_8f2b1c', name: rockTool.name, input: toolInput } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'call_8f2b1c', content: [{ json: { hardness: 6.5 } }] } }] },
      ],
      toolConfig: { tools: [{ toolSpec: { name: rockTool.name, description: rockTool.description, inputSchema: { json: rockTool.schema } } }] },
    });
    assert.deepEqual((lastUpstreamBody().messages as unknown[]).slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_8f2b1c', type: 'function', function: { name: rockTool.name, arguments: JSON.stringify(toolInput) } }] },
      { role: 'tool', tool_call_id: 'call_8f2b1c', content: '{"hardness":6.5}' },
    ]);
  });

  it('Amazon Nova: streams the tool call as contentBlockStart and toolUse input deltas', async () => {
    const chunks = await invokeStream('outcrop.family.amazon-nova.tools', {
      messages: [{ role: 'user', content: [{ text: 'How hard is granite?' }] }],
      toolConfig: { tools: [{ toolSpec: { name: rockTool.name, inputSchema: { json: rockTool.schema } } }] },
    });
    assert.deepEqual(chunks.find((chunk) => chunk.contentBlockStart), { contentBlockStart: { start: { toolUse: { toolUseId: 'call_8f2b1c', name: rockTool.name } }, contentBlockIndex: 0 } });
    const input = chunks.map((chunk) => String(dig(chunk, 'contentBlockDelta.delta.toolUse.input') ?? '')).join('');
    assert.deepEqual(JSON.parse(input), toolInput);
    assert.deepEqual(chunks.find((chunk) => chunk.messageStop), { messageStop: { stopReason: 'tool_use' } });
  });

  it('Cohere Command R: parameter_definitions in, tool_calls out', async () => {
    const body = await invoke('outcrop.family.cohere-command-r.tools', {
      message: 'How hard is granite?',
      tools: [{ name: rockTool.name, description: rockTool.description, parameter_definitions: { rock: { description: 'the rock', type: 'str', required: true } } }],
    });
    assert.deepEqual(body.tool_calls, [{ name: rockTool.name, parameters: toolInput }]);
    assert.equal(body.finish_reason, 'COMPLETE');
    assert.deepEqual(lastUpstreamBody().tools, [
      { type: 'function', function: { name: rockTool.name, description: rockTool.description, parameters: { type: 'object', properties: { rock: { type: 'string', description: 'the rock' } }, required: ['rock'] } } },
    ]);
    const chunks = await invokeStream('outcrop.family.cohere-command-r.tools', { message: 'How hard is granite?', tools: [{ name: rockTool.name, description: rockTool.description }] });
    assert.deepEqual(
      chunks.map((chunk) => chunk.event_type),
      ['stream-start', 'tool-calls-generation', 'stream-end'],
    );
    assert.deepEqual(chunks[1]?.tool_calls, [{ name: rockTool.name, parameters: toolInput }]);
  });

  it('Mistral chat and OpenAI: tools in, tool_calls out', async () => {
    const mistral = await invoke('outcrop.family.mistral-chat.tools', { messages: [{ role: 'user', content: 'How hard is granite?' }], tools: [upstreamTool], tool_choice: 'any' });
    assert.deepEqual(dig(mistral, 'choices.0.message.tool_calls'), [{ id: 'call_8f2b1c', function: { name: rockTool.name, arguments: JSON.stringify(toolInput) } }]);
    assert.equal(dig(mistral, 'choices.0.stop_reason'), 'tool_calls');
    assert.equal(lastUpstreamBody().tool_choice, 'required');
    const openai = await invoke('outcrop.family.openai.tools', { messages: [{ role: 'user', content: 'How hard is granite?' }], tools: [upstreamTool], tool_choice: { type: 'function', function: { name: rockTool.name } } });
    assert.deepEqual(dig(openai, 'choices.0.message'), { role: 'assistant', content: null, tool_calls: [{ id: 'call_8f2b1c', type: 'function', function: { name: rockTool.name, arguments: JSON.stringify(toolInput) } }] });
    assert.equal(dig(openai, 'choices.0.finish_reason'), 'tool_calls');
    assert.deepEqual(lastUpstreamBody().tool_choice, { type: 'function', function: { name: rockTool.name } });
  });
});

describe('family selection and what the neutral interface cannot carry', () => {
  it('takes the family from the ID the client used: a Llama alias speaks Llama bodies', async () => {
    const body = await invoke('meta.llama3-1-8b-instruct-v1:0', { prompt: 'What is granite?', max_gen_len: 64 });
    assert.equal(body.generation, upstreamText);
    assert.deepEqual(lastUpstreamBody().messages, [{ role: 'user', content: 'What is granite?' }]);
    // A Nova body sent to a Llama model is refused by the Llama schema, not run as Nova.
    assert.match(await validationMessage('outcrop.family.meta', fixture('amazon-nova', 'request')), /#: required key \[prompt\] not found/);
  });

  it('refuses family features it cannot serve, naming them', async () => {
    const cohere = await validationMessage('outcrop.family.cohere-command-r', { message: 'Summarise', documents: [{ title: 'Granite', snippet: 'An igneous rock.' }] });
    assert.match(cohere, /#\/documents: document grounding/);
    const nova = await validationMessage('outcrop.family.amazon-nova', { messages: [{ role: 'user', content: [{ video: { format: 'mp4', source: { bytes: 'AAAA' } } }] }] });
    assert.match(nova, /#\/messages\/0\/content\/0\/video/);
    const jamba = await validationMessage('outcrop.family.ai21-jamba', { messages: [{ role: 'user', content: 'Hi' }], n: 2 });
    assert.match(jamba, /#\/n: only one completion/);
    const openai = await validationMessage('outcrop.family.openai', { messages: [{ role: 'user', content: 'Hi' }], stream: true });
    assert.match(openai, /#\/stream: must be false for InvokeModel/);
  });

  it('sends Llama 3.2 images with the user turn', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
    await invoke('outcrop.family.meta', {
      prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n<|image|>What is this?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
      images: [png],
    });
    assert.deepEqual(lastUpstreamBody().messages, [
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }, { type: 'text', text: 'What is this?' }] },
    ]);
  });
});
