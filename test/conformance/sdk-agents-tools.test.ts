/**
 * Agents running real tools through the real server, driven by the AWS SDK: an OpenAPI action
 * group whose Lambda ARN is served over HTTP (Bedrock's exact Lambda input event and response), a
 * function-schema group on a Node module handler in a worker thread, executors that time out or
 * answer malformed JSON, the code interpreter with files in and out, a real knowledge base searched
 * as a tool with citations, and an MCP stdio server whose tools are offered without a schema. A
 * scripted OpenAI-compatible upstream plans each model step.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  AssociateAgentKnowledgeBaseCommand,
  CreateAgentActionGroupCommand,
  type CreateAgentActionGroupCommandInput,
  CreateAgentAliasCommand,
  CreateAgentCommand,
  PrepareAgentCommand,
} from '@aws-sdk/client-bedrock-agent';
import { InvokeAgentCommand, type InvokeAgentCommandInput, InvokeInlineAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { type AgentStreamParts, collectAgentStream, orchestration } from '../support/agent-stream.js';
import { createCustomKnowledgeBase } from '../support/knowledge-fixtures.js';
import { type ScriptedAgentServer, startScriptedAgentServer } from '../support/scripted-agent-server.js';
import type { ScriptedUpstream } from '../support/scripted-openai-upstream.js';
import { agentClient, agentRuntimeClient } from '../support/sdk-clients.js';
import type { TestServer } from '../support/test-server.js';

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let agents: ScriptedAgentServer;
let server: TestServer;
let upstream: ScriptedUpstream;
let handlers: LambdaService;
let folder: string;
const control = () => agentClient(server.url);
const runtime = () => agentRuntimeClient(server.url);

/** A small web service in front of Lambda-style handlers: records each event, answers per path. */
interface LambdaService {
  url: string;
  events: Array<{ path: string; event: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function startLambdaService(): Promise<LambdaService> {
  const events: LambdaService['events'] = [];
  const httpServer: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const path = request.url ?? '/';
      events.push({ path, event });
      const answer = (body: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (path === '/orders') {
        const parameters = event.parameters as Array<{ name: string; value: string }>;
        const orderId = parameters.find((parameter) => parameter.name === 'orderId')?.value;
        const seen = (event.sessionAttributes as Record<string, string>).lookups ?? '0';
        answer({
          messageVersion: '1.0',
          response: {
            actionGroup: event.actionGroup,
            apiPath: event.apiPath,
            httpMethod: event.httpMethod,
            httpStatusCode: 200,
            responseBody: { 'application/json': { body: JSON.stringify({ orderId, status: 'shipped', carrier: 'Basalt Express' }) } },
          },
          sessionAttributes: { lookups: String(Number(seen) + 1) },
        });
      } else if (path === '/slow') {
        setTimeout(() => answer({ messageVersion: '1.0', response: { responseBody: { 'application/json': { body: 'too late' } } } }), 3000).unref();
      } else if (path === '/malformed') {
        answer('{"messageVersion": "1.0", "response": {');
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

const ordersSchema = {
  openapi: '3.0.0',
  info: { title: 'Orders', version: '1.0.0' },
  paths: {
    '/orders/{orderId}': {
      get: {
        operationId: 'getOrder',
        description: 'Look up one order by its id',
        parameters: [{ name: 'orderId', in: 'path', required: true, description: 'the order id', schema: { type: 'string' } }],
        responses: { '200': { description: 'the order', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
};

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'outcrop-agent-tools-'));
  const require = createRequire(import.meta.url);
  const sdk = (path: string) => pathToFileURL(require.resolve(`@modelcontextprotocol/sdk/${path}`)).href;
  await writeFile(
    join(folder, 'convert.mjs'),
    `export async function handler(event, context) {
  const value = Number(event.parameters.find((p) => p.name === 'amount').value);
  const rate = { EUR: 0.5, NOK: 5 }[event.parameters.find((p) => p.name === 'currency').value] ?? 1;
  return { messageVersion: '1.0', response: { actionGroup: event.actionGroup, function: event.function,
    functionResponse: { responseBody: { TEXT: { body: JSON.stringify({ converted: value * rate, fn: context.functionName, agent: event.agent, sessionId: event.sessionId, inputText: event.inputText }) } } } } };
}`,
  );
  await writeFile(
    join(folder, 'mcp-server.mjs'),
    `import { McpServer } from '${sdk('server/mcp.js')}';
import { StdioServerTransport } from '${sdk('server/stdio.js')}';
import { z } from '${pathToFileURL(require.resolve('zod')).href}';
const server = new McpServer({ name: 'geology-tools', version: '1.0.0' });
server.registerTool('rock.hardness', { description: 'Mohs hardness of a rock or mineral', inputSchema: { mineral: z.string().describe('the mineral') } },
  async ({ mineral }) => ({ content: [{ type: 'text', text: mineral.toLowerCase() === 'quartz' ? 'quartz: 7' : mineral + ': unknown' }] }));
await server.connect(new StdioServerTransport());
`,
  );
  handlers = await startLambdaService();
  agents = await startScriptedAgentServer({
    models: ['tools'],
    configure: (config) => {
      config.agents.outboundHttp.allowPrivateNetworks = true;
      config.agents.functions = {
        [lambda('orders')]: { url: `${handlers.url}/orders` },
        [lambda('slow')]: { url: `${handlers.url}/slow`, timeoutMs: 400 },
        [lambda('malformed')]: { url: `${handlers.url}/malformed` },
        convert: { module: join(folder, 'convert.mjs'), timeoutMs: 10_000 },
        [lambda('geology')]: { mcp: { command: process.execPath, args: [join(folder, 'mcp-server.mjs')] }, timeoutMs: 20_000 },
      };
    },
  });
  ({ server, upstream } = agents);
});

after(async () => {
  await agents?.close();
  await handlers?.close();
  await rm(folder, { recursive: true, force: true });
});

/** Creates an agent on the scripted model with the given action groups, prepares it, and makes an alias (version 1). */
async function agentWith(name: string, groups: Array<Omit<CreateAgentActionGroupCommandInput, 'agentId' | 'agentVersion'>>): Promise<{ agentId: string; agentAliasId: string }> {
  const created = await control().send(
    new CreateAgentCommand({ agentName: name, foundationModel: 'agent.tools', instruction: 'You help the test suite by calling the tools you are given when they are useful.' }),
  );
  const agentId = created.agent?.agentId ?? '';
  for (const group of groups) await control().send(new CreateAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', ...group }));
  await control().send(new PrepareAgentCommand({ agentId }));
  const alias = await control().send(new CreateAgentAliasCommand({ agentId, agentAliasName: 'live' }));
  return { agentId, agentAliasId: alias.agentAlias?.agentAliasId ?? '' };
}

async function invokeAgent(input: Omit<InvokeAgentCommandInput, 'enableTrace'>): Promise<AgentStreamParts> {
  const response = await runtime().send(new InvokeAgentCommand({ enableTrace: true, ...input }));
  assert.equal(response.sessionId, input.sessionId);
  return collectAgentStream(response.completion);
}

describe('action groups on executors', () => {
  it('runs an OpenAPI operation on a Lambda served over HTTP, with exactly Bedrock’s Lambda event', async () => {
    const { agentId, agentAliasId } = await agentWith('orders-agent', [
      { actionGroupName: 'orders', description: 'Order lookups', actionGroupExecutor: { lambda: lambda('orders') }, apiSchema: { payload: JSON.stringify(ordersSchema) } },
    ]);
    assert.match(agentAliasId, /^[0-9A-Z]{10}$/);
    upstream.plan('tools', [{ text: 'Looking it up.', toolCalls: [{ name: 'GET__orders__getOrder', arguments: { orderId: 'A-17' } }] }, { text: 'Order A-17 has shipped with Basalt Express.' }]);
    const result = await invokeAgent({ agentId, agentAliasId, sessionId: 'orders-1', inputText: 'Where is order A-17?' });
    assert.equal(result.text, 'Order A-17 has shipped with Basalt Express.');
    assert.equal(handlers.events.length, 1);
    assert.equal(handlers.events[0]?.path, '/orders');
    assert.deepEqual(handlers.events[0]?.event, {
      messageVersion: '1.0',
      agent: { name: 'orders-agent', id: agentId, alias: agentAliasId, version: '1' },
      inputText: 'Where is order A-17?',
      sessionId: 'orders-1',
      actionGroup: 'orders',
      apiPath: '/orders/{orderId}',
      httpMethod: 'GET',
      parameters: [{ name: 'orderId', type: 'string', value: 'A-17' }],
      sessionAttributes: {},
      promptSessionAttributes: {},
    });
    const invocation = orchestration(result.traces, 'invocationInput')[0] as { invocationType: string; actionGroupInvocationInput: Record<string, unknown> };
    assert.equal(invocation.invocationType, 'ACTION_GROUP');
    assert.deepEqual(invocation.actionGroupInvocationInput, {
      actionGroupName: 'orders',
      executionType: 'LAMBDA',
      apiPath: '/orders/{orderId}',
      verb: 'get',
      parameters: [{ name: 'orderId', type: 'string', value: 'A-17' }],
    });
    const observation = orchestration(result.traces, 'observation')[0] as { type: string; actionGroupInvocationOutput: { text: string } };
    assert.equal(observation.type, 'ACTION_GROUP');
    assert.deepEqual(JSON.parse(observation.actionGroupInvocationOutput.text), { orderId: 'A-17', status: 'shipped', carrier: 'Basalt Express' });
    const messages = upstream.requests.at(-1)?.body.messages as Array<{ role: string; content: string }>;
    assert.match(messages.find((message) => message.role === 'tool')?.content ?? '', /Basalt Express/);
    for (const trace of result.traces) assert.equal(trace.agentVersion, '1');

    // the session attributes the handler returned reach its next event in the same session
    upstream.plan('tools', [{ toolCalls: [{ name: 'GET__orders__getOrder', arguments: { orderId: 'B-2' } }] }, { text: 'B-2 has shipped too.' }]);
    const next = await invokeAgent({ agentId, agentAliasId, sessionId: 'orders-1', inputText: 'And B-2?' });
    assert.equal(next.text, 'B-2 has shipped too.');
    assert.deepEqual(handlers.events[1]?.event.sessionAttributes, { lookups: '1' });
  });

  it('runs a function-schema group on a Node module handler in a worker thread', async () => {
    const { agentId, agentAliasId } = await agentWith('convert-agent', [
      {
        actionGroupName: 'money',
        actionGroupExecutor: { lambda: lambda('convert') },
        functionSchema: {
          functions: [
            {
              name: 'convert',
              description: 'Convert an amount of money',
              parameters: { amount: { type: 'number', required: true }, currency: { type: 'string', required: true, description: 'ISO code' } },
            },
          ],
        },
      },
    ]);
    upstream.plan('tools', [{ toolCalls: [{ name: 'money__convert', arguments: { amount: 42, currency: 'NOK' } }] }, { text: 'That is 210 NOK.' }]);
    const result = await invokeAgent({ agentId, agentAliasId, sessionId: 'convert-1', inputText: 'How much is 42 in NOK?' });
    assert.equal(result.text, 'That is 210 NOK.');
    const invocation = orchestration(result.traces, 'invocationInput')[0] as { actionGroupInvocationInput: Record<string, unknown> };
    assert.deepEqual(invocation.actionGroupInvocationInput, {
      actionGroupName: 'money',
      executionType: 'LAMBDA',
      function: 'convert',
      parameters: [
        { name: 'amount', type: 'number', value: '42' },
        { name: 'currency', type: 'string', value: 'NOK' },
      ],
    });
    const observation = orchestration(result.traces, 'observation')[0] as { actionGroupInvocationOutput: { text: string } };
    assert.deepEqual(JSON.parse(observation.actionGroupInvocationOutput.text), {
      converted: 210,
      fn: 'convert',
      agent: { name: 'convert-agent', id: agentId, alias: agentAliasId, version: '1' },
      sessionId: 'convert-1',
      inputText: 'How much is 42 in NOK?',
    });
  });

  it('reports an executor that times out and one that answers malformed JSON, and the session survives', async () => {
    const groups = [
      {
        actionGroupName: 'slowpoke',
        actionGroupExecutor: { lambda: lambda('slow') },
        functionSchema: { functions: [{ name: 'wait', description: 'Waits', parameters: {} }] },
      },
      {
        actionGroupName: 'garbled',
        actionGroupExecutor: { lambda: lambda('malformed') },
        functionSchema: { functions: [{ name: 'read', description: 'Reads', parameters: {} }] },
      },
    ];
    const { agentId, agentAliasId } = await agentWith('failing-agent', groups);
    upstream.plan('tools', [
      {
        toolCalls: [
          { name: 'slowpoke__wait', arguments: {} },
          { name: 'garbled__read', arguments: {} },
        ],
      },
      { text: 'Both tools failed; sorry.' },
    ]);
    const started = Date.now();
    const result = await invokeAgent({ agentId, agentAliasId, sessionId: 'failing-1', inputText: 'Try both tools' });
    assert.ok(Date.now() - started < 2500, 'the slow handler is cut off at its 400 ms timeout');
    assert.equal(result.text, 'Both tools failed; sorry.');
    const outputs = (orchestration(result.traces, 'observation') as Array<{ actionGroupInvocationOutput?: { text: string } }>)
      .map((observation) => observation.actionGroupInvocationOutput?.text)
      .filter((text): text is string => text !== undefined);
    assert.equal(outputs.length, 2);
    assert.match(outputs[0] ?? '', /slowpoke.*did not answer within 400 ms|slowpoke.*400 ms/s);
    assert.match(outputs[1] ?? '', /garbled.*not JSON/s);
    const messages = upstream.requests.at(-1)?.body.messages as Array<{ role: string; content: string }>;
    const toolMessages = messages.filter((message) => message.role === 'tool').map((message) => message.content);
    assert.equal(toolMessages.length, 2, 'the model sees both failures');
    upstream.plan('tools', [{ text: 'Still here.' }]);
    const next = await invokeAgent({ agentId, agentAliasId, sessionId: 'failing-1', inputText: 'Are you there?' });
    assert.equal(next.text, 'Still here.');
  });
});

describe('AMAZON.CodeInterpreter', () => {
  it('computes a result from an input file and returns the file the code writes', { timeout: 120_000 }, async () => {
    const { agentId, agentAliasId } = await agentWith('analyst-agent', [{ actionGroupName: 'CodeInterpreterAction', parentActionGroupSignature: 'AMAZON.CodeInterpreter' }]);
    const code = [
      'import csv',
      "rows = list(csv.DictReader(open('rocks.csv')))",
      "total = sum(int(row['kg']) for row in rows)",
      "open('summary.txt', 'w').write(f'total={total}')",
      'print(total)',
    ].join('\n');
    upstream.plan('tools', [{ toolCalls: [{ name: 'codeinterpreter__execute', arguments: { code } }] }, { text: 'The rocks weigh 42 kg in all.' }]);
    const result = await invokeAgent({
      agentId,
      agentAliasId,
      sessionId: 'code-1',
      inputText: 'How heavy are the rocks in total?',
      sessionState: { files: [{ name: 'rocks.csv', useCase: 'CODE_INTERPRETER', source: { sourceType: 'BYTE_CONTENT', byteContent: { mediaType: 'text/csv', data: Buffer.from('rock,kg\ngranite,30\nbasalt,12\n') } } }] },
    });
    assert.equal(result.text, 'The rocks weigh 42 kg in all.');
    const invocation = orchestration(result.traces, 'invocationInput')[0] as { invocationType: string; codeInterpreterInvocationInput: { code: string; files: string[] } };
    assert.equal(invocation.invocationType, 'ACTION_GROUP_CODE_INTERPRETER');
    assert.equal(invocation.codeInterpreterInvocationInput.code, code);
    assert.deepEqual(invocation.codeInterpreterInvocationInput.files, ['rocks.csv']);
    const observation = orchestration(result.traces, 'observation')[0] as {
      type: string;
      codeInterpreterInvocationOutput: { executionOutput: string; executionError?: string; executionTimeout: boolean; files: string[] };
    };
    assert.equal(observation.type, 'ACTION_GROUP');
    assert.equal(observation.codeInterpreterInvocationOutput.executionError, undefined);
    assert.equal(observation.codeInterpreterInvocationOutput.executionOutput.trim(), '42');
    assert.equal(observation.codeInterpreterInvocationOutput.executionTimeout, false);
    assert.deepEqual(observation.codeInterpreterInvocationOutput.files, ['summary.txt']);
    assert.equal(result.files.length, 1);
    assert.equal(result.files[0]?.name, 'summary.txt');
    assert.equal(result.files[0]?.type, 'text/plain');
    assert.equal(Buffer.from(result.files[0]?.bytes ?? []).toString('utf8'), 'total=42');
    const messages = upstream.requests.at(-1)?.body.messages as Array<{ role: string; content: string }>;
    assert.match(messages.find((message) => message.role === 'tool')?.content ?? '', /^42/);
  });
});

describe('a knowledge base as a tool', () => {
  it('searches a real knowledge base and answers with citations', { timeout: 120_000 }, async () => {
    const client = control();
    const { knowledgeBaseId } = await createCustomKnowledgeBase(client, {
      name: 'field-notes',
      dataSourceName: 'notes',
      documents: [
        { id: 'hut-hours', text: 'The mountain hut at Kestrel Ridge opens at seven in the morning and closes at ten at night.' },
        { id: 'glacier-speed', text: 'The Svartisen glacier moves about two metres per day in summer.' },
        { id: 'cafeteria', text: 'The cafeteria serves vegetarian lasagne every Thursday.' },
      ],
    });

    const created = await client.send(
      new CreateAgentCommand({ agentName: 'ranger-agent', foundationModel: 'agent.tools', instruction: 'You answer questions about the mountains from the field notes.' }),
    );
    const agentId = created.agent?.agentId ?? '';
    await client.send(new AssociateAgentKnowledgeBaseCommand({ agentId, agentVersion: 'DRAFT', knowledgeBaseId, description: 'Field notes about huts and glaciers' }));
    await client.send(new PrepareAgentCommand({ agentId }));
    const toolName = `GET__x_amz_knowledgebase_${knowledgeBaseId}__Search`;
    upstream.plan('tools', [{ toolCalls: [{ name: toolName, arguments: { searchQuery: 'When does the mountain hut open?' } }] }, { text: 'The hut opens at seven in the morning.' }]);
    const result = await invokeAgent({ agentId, agentAliasId: 'TSTALIASID', sessionId: 'kb-1', inputText: 'When does the hut at Kestrel Ridge open?' });
    assert.equal(result.text, 'The hut opens at seven in the morning.');
    const offered = (upstream.requests.at(-2)?.body.tools ?? []) as Array<{ function: { name: string } }>;
    assert.deepEqual(
      offered.map((tool) => tool.function.name),
      [toolName],
    );
    const lookup = orchestration(result.traces, 'invocationInput')[0] as { invocationType: string; knowledgeBaseLookupInput: { knowledgeBaseId: string; text: string } };
    assert.equal(lookup.invocationType, 'KNOWLEDGE_BASE');
    assert.deepEqual(lookup.knowledgeBaseLookupInput, { knowledgeBaseId, text: 'When does the mountain hut open?' });
    const observation = orchestration(result.traces, 'observation')[0] as {
      type: string;
      knowledgeBaseLookupOutput: { retrievedReferences: Array<{ content: { text: string }; location: { type: string; customDocumentLocation?: { id: string } } }> };
    };
    assert.equal(observation.type, 'KNOWLEDGE_BASE');
    const references = observation.knowledgeBaseLookupOutput.retrievedReferences;
    assert.ok(references.length >= 1);
    assert.match(references[0]?.content.text ?? '', /mountain hut at Kestrel Ridge opens at seven/);
    assert.equal(references[0]?.location.type, 'CUSTOM');
    assert.equal(references[0]?.location.customDocumentLocation?.id, 'hut-hours');
    const toolMessage = ((upstream.requests.at(-1)?.body.messages ?? []) as Array<{ role: string; content: string }>).find((message) => message.role === 'tool');
    assert.match(toolMessage?.content ?? '', /opens at seven in the morning/);

    assert.equal(result.citations.length, 1);
    const citation = result.citations[0] as {
      generatedResponsePart: { textResponsePart: { text: string; span: { start: number; end: number } } };
      retrievedReferences: Array<{ content: { text: string }; location: { type: string } }>;
    };
    assert.equal(citation.generatedResponsePart.textResponsePart.text, 'The hut opens at seven in the morning.');
    assert.deepEqual(citation.generatedResponsePart.textResponsePart.span, { start: 0, end: 'The hut opens at seven in the morning.'.length - 1 });
    assert.match(citation.retrievedReferences[0]?.content.text ?? '', /opens at seven/);
    assert.equal(citation.retrievedReferences[0]?.location.type, 'CUSTOM');
  });
});

describe('an MCP server as an action group', () => {
  it('offers the tools a stdio MCP server lists (no schema in the group) and calls them', { timeout: 60_000 }, async () => {
    upstream.plan('tools', [{ toolCalls: [{ name: 'geology__rock_hardness', arguments: { mineral: 'quartz' } }] }, { text: 'Quartz has a hardness of 7.' }]);
    const response = await runtime().send(
      new InvokeInlineAgentCommand({
        sessionId: 'mcp-1',
        foundationModel: 'agent.tools',
        instruction: 'You answer geology questions with the tools you are given.',
        inputText: 'How hard is quartz?',
        enableTrace: true,
        actionGroups: [{ actionGroupName: 'geology', actionGroupExecutor: { lambda: lambda('geology') } }],
      }),
    );
    const result = await collectAgentStream(response.completion);
    assert.equal(result.text, 'Quartz has a hardness of 7.');
    const offered = (upstream.requests.at(-2)?.body.tools ?? []) as Array<{ function: { name: string; description: string; parameters: { properties: Record<string, unknown>; required?: string[] } } }>;
    assert.deepEqual(
      offered.map((tool) => tool.function.name),
      ['geology__rock_hardness'],
    );
    assert.equal(offered[0]?.function.description, 'Mohs hardness of a rock or mineral');
    assert.deepEqual(offered[0]?.function.parameters.required, ['mineral']);
    const observation = orchestration(result.traces, 'observation')[0] as { actionGroupInvocationOutput: { text: string } };
    assert.equal(observation.actionGroupInvocationOutput.text, 'quartz: 7');
  });

  it('lets a stored agent use an MCP group too, and still refuses a schema-less group on a plain Lambda', async () => {
    const { agentId, agentAliasId } = await agentWith('mcp-agent', [{ actionGroupName: 'geology', actionGroupExecutor: { lambda: lambda('geology') } }]);
    upstream.plan('tools', [{ toolCalls: [{ name: 'geology__rock_hardness', arguments: { mineral: 'talc' } }] }, { text: 'Unknown.' }]);
    const result = await invokeAgent({ agentId, agentAliasId, sessionId: 'mcp-2', inputText: 'How hard is talc?' });
    assert.equal(result.text, 'Unknown.');
    const observation = orchestration(result.traces, 'observation')[0] as { actionGroupInvocationOutput: { text: string } };
    assert.equal(observation.actionGroupInvocationOutput.text, 'talc: unknown');
    await assert.rejects(
      control().send(new CreateAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', actionGroupName: 'plain', actionGroupExecutor: { lambda: lambda('orders') } })),
      (error: Error & { $metadata: { httpStatusCode: number } }) => error.name === 'ValidationException' && error.$metadata.httpStatusCode === 400 && /exactly one of apiSchema or functionSchema/.test(error.message),
    );
  });
});
