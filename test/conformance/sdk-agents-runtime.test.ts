/**
 * The agent runtime (InvokeInlineAgent, InvokeAgent, GetAgentMemory, DeleteAgentMemory) through
 * @aws-sdk/client-bedrock-agent-runtime against the real server, with a scripted OpenAI-compatible
 * upstream answering each model call with a planned reply (text or tool calls).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateAgentCommand, PrepareAgentCommand } from '@aws-sdk/client-bedrock-agent';
import {
  DeleteAgentMemoryCommand,
  GetAgentMemoryCommand,
  InvokeAgentCommand,
  InvokeInlineAgentCommand,
  type InvokeInlineAgentCommandInput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { CreateGuardrailCommand } from '@aws-sdk/client-bedrock';
import { type AgentStreamParts, collectAgentStream, orchestration } from '../support/agent-stream.js';
import { type ScriptedAgentServer, startScriptedAgentServer } from '../support/scripted-agent-server.js';
import type { ScriptedUpstream } from '../support/scripted-openai-upstream.js';
import { agentClient, agentRuntimeClient, bedrockClient } from '../support/sdk-clients.js';
import type { TestServer } from '../support/test-server.js';

let agents: ScriptedAgentServer;
let server: TestServer;
let upstream: ScriptedUpstream;
const runtime = () => agentRuntimeClient(server.url);

before(async () => {
  agents = await startScriptedAgentServer({ models: ['supervisor', 'worker', 'loop', 'guarded', 'flaky'] });
  ({ server, upstream } = agents);
});
after(async () => {
  await agents?.close();
});

async function invoke(input: Partial<InvokeInlineAgentCommandInput> & { sessionId: string }): Promise<AgentStreamParts> {
  const response = await runtime().send(
    new InvokeInlineAgentCommand({ foundationModel: 'agent.worker', instruction: 'You are a helpful assistant for the test suite.', enableTrace: true, ...input }),
  );
  assert.equal(response.sessionId, input.sessionId);
  return collectAgentStream(response.completion);
}

const weatherGroup = {
  actionGroupName: 'weather',
  description: 'Weather lookups',
  actionGroupExecutor: { customControl: 'RETURN_CONTROL' as const },
  functionSchema: {
    functions: [{ name: 'getForecast', description: 'Forecast for a city', parameters: { city: { type: 'string' as const, description: 'the city', required: true }, days: { type: 'integer' as const, required: false } } }],
  },
};

describe('InvokeInlineAgent', () => {
  it('answers directly, with Bedrock trace shapes for the model step and the final response', async () => {
    upstream.plan('worker', [{ text: 'Hello from the agent.' }]);
    const result = await invoke({ sessionId: 'plain-1', inputText: 'Say hello' });
    assert.equal(result.text, 'Hello from the agent.');
    const input = orchestration(result.traces, 'modelInvocationInput')[0];
    assert.ok(input);
    assert.equal(input.type, 'ORCHESTRATION');
    assert.equal(input.foundationModel, 'agent.worker');
    assert.match(String(input.traceId), /^.{2,16}$/);
    assert.match(String(input.text), /You are a helpful assistant for the test suite\./);
    const output = orchestration(result.traces, 'modelInvocationOutput')[0] as { metadata: { usage: { inputTokens: number; outputTokens: number } } };
    assert.deepEqual(output.metadata.usage, { inputTokens: 11, outputTokens: 7 });
    const observation = orchestration(result.traces, 'observation')[0] as { type: string; finalResponse: { text: string } };
    assert.equal(observation.type, 'FINISH');
    assert.equal(observation.finalResponse.text, 'Hello from the agent.');
    for (const trace of result.traces) {
      assert.equal(trace.sessionId, 'plain-1');
      assert.ok(trace.eventTime instanceof Date);
    }
  });

  it('sends no trace events without enableTrace', async () => {
    upstream.plan('worker', [{ text: 'Quiet answer.' }]);
    const result = await invoke({ sessionId: 'quiet-1', inputText: 'hi', enableTrace: false });
    assert.equal(result.text, 'Quiet answer.');
    assert.equal(result.traces.length, 0);
  });

  it('returns control for a RETURN_CONTROL function and resumes on returnControlInvocationResults', async () => {
    upstream.plan('worker', [{ text: 'Let me check.', toolCalls: [{ name: 'weather__getForecast', arguments: { city: 'Oslo', days: 2 } }] }]);
    const first = await invoke({ sessionId: 'rc-1', inputText: 'Weather in Oslo?', actionGroups: [weatherGroup] });
    assert.equal(first.text, '');
    assert.ok(first.returnControl?.invocationId);
    const call = first.returnControl?.invocationInputs?.[0] as { functionInvocationInput: Record<string, unknown> };
    assert.equal(call.functionInvocationInput.actionGroup, 'weather');
    assert.equal(call.functionInvocationInput.function, 'getForecast');
    assert.equal(call.functionInvocationInput.actionInvocationType, 'RESULT');
    assert.deepEqual(call.functionInvocationInput.parameters, [
      { name: 'city', type: 'string', value: 'Oslo' },
      { name: 'days', type: 'integer', value: '2' },
    ]);
    const rationale = orchestration(first.traces, 'rationale')[0];
    assert.equal(rationale?.text, 'Let me check.');
    const tools = (upstream.requests.at(-1)?.body.tools ?? []) as Array<{ function: { name: string; parameters: { required?: string[] } } }>;
    assert.deepEqual(tools.map((tool) => tool.function.name), ['weather__getForecast']);
    assert.deepEqual(tools[0]?.function.parameters.required, ['city']);

    upstream.plan('worker', [{ text: 'Oslo will be sunny for two days.' }]);
    const second = await invoke({
      sessionId: 'rc-1',
      actionGroups: [weatherGroup],
      inlineSessionState: {
        invocationId: first.returnControl?.invocationId,
        returnControlInvocationResults: [{ functionResult: { actionGroup: 'weather', function: 'getForecast', responseBody: { TEXT: { body: 'sunny, 21C' } } } }],
      },
    });
    assert.equal(second.text, 'Oslo will be sunny for two days.');
    const messages = upstream.requests.at(-1)?.body.messages as Array<{ role: string; content: unknown; tool_call_id?: string }>;
    const toolMessage = messages.find((message) => message.role === 'tool');
    assert.equal(toolMessage?.content, 'sunny, 21C');
  });

  it('refuses results for a session with nothing pending, and a wrong invocationId, and survives', async () => {
    await assert.rejects(
      invoke({
        sessionId: 'rc-none',
        actionGroups: [weatherGroup],
        inlineSessionState: { returnControlInvocationResults: [{ functionResult: { actionGroup: 'weather', function: 'getForecast', responseBody: { TEXT: { body: 'x' } } } }] },
      }),
      (error: Error & { $metadata: { httpStatusCode: number } }) => error.name === 'ValidationException' && error.$metadata.httpStatusCode === 400 && /no action awaiting/.test(error.message),
    );
    upstream.plan('worker', [{ toolCalls: [{ name: 'weather__getForecast', arguments: { city: 'Rome' } }] }]);
    const first = await invoke({ sessionId: 'rc-2', inputText: 'Weather in Rome?', actionGroups: [weatherGroup] });
    await assert.rejects(
      invoke({
        sessionId: 'rc-2',
        actionGroups: [weatherGroup],
        inlineSessionState: { invocationId: 'not-the-one', returnControlInvocationResults: [{ functionResult: { actionGroup: 'weather', function: 'getForecast', responseBody: { TEXT: { body: 'x' } } } }] },
      }),
      (error: Error) => error.name === 'ValidationException' && /does not match the pending invocation/.test(error.message),
    );
    upstream.plan('worker', [{ text: 'Rome is warm.' }]);
    const resumed = await invoke({
      sessionId: 'rc-2',
      actionGroups: [weatherGroup],
      inlineSessionState: { invocationId: first.returnControl?.invocationId, returnControlInvocationResults: [{ functionResult: { actionGroup: 'weather', function: 'getForecast', responseBody: { TEXT: { body: 'warm' } } } }] },
    });
    assert.equal(resumed.text, 'Rome is warm.');
  });

  it('ends the turn with the question when the model asks the user (AMAZON.UserInput)', async () => {
    upstream.plan('worker', [{ toolCalls: [{ name: 'user__askuser', arguments: { question: 'Which city do you mean?' } }] }]);
    const result = await invoke({ sessionId: 'ask-1', inputText: 'What is the weather?', actionGroups: [{ actionGroupName: 'UserInputAction', parentActionGroupSignature: 'AMAZON.UserInput' }] });
    assert.equal(result.text, 'Which city do you mean?');
    const observation = orchestration(result.traces, 'observation').at(-1);
    assert.equal(observation?.type, 'ASK_USER');
    upstream.plan('worker', [{ text: 'Paris is mild.' }]);
    const next = await invoke({ sessionId: 'ask-1', inputText: 'Paris', actionGroups: [{ actionGroupName: 'UserInputAction', parentActionGroupSignature: 'AMAZON.UserInput' }] });
    assert.equal(next.text, 'Paris is mild.');
    const messages = upstream.requests.at(-1)?.body.messages as Array<{ role: string; content: unknown }>;
    assert.ok(messages.some((message) => message.role === 'assistant' && message.content === 'Which city do you mean?'), 'the question is in the history');
  });

  it('stops a tool loop that never ends at the step limit, with a failure trace, and the session survives', async () => {
    upstream.fallback('loop', { toolCalls: [{ name: 'weather__getForecast', arguments: { city: 'Loop' } }] });
    const loopGroup = { ...weatherGroup, actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:nowhere' } };
    const before = upstream.requests.length;
    const result = await invoke({ sessionId: 'loop-1', inputText: 'loop forever', foundationModel: 'agent.loop', actionGroups: [loopGroup] });
    assert.equal(upstream.requests.length - before, 10, 'ten model calls, the default step limit');
    const failure = result.traces.map((trace) => (trace.trace as { failureTrace?: { failureReason: string } }).failureTrace).find(Boolean);
    assert.match(failure?.failureReason ?? '', /limit of 10 steps/);
    assert.match(result.text, /limit of 10 steps/);
    const observations = orchestration(result.traces, 'observation') as Array<{ actionGroupInvocationOutput?: { text: string } }>;
    assert.match(observations[0]?.actionGroupInvocationOutput?.text ?? '', /no executor is configured/);
    upstream.plan('worker', [{ text: 'Still here.' }]);
    const after = await invoke({ sessionId: 'loop-1', inputText: 'are you there?', actionGroups: [loopGroup] });
    assert.equal(after.text, 'Still here.');
  });

  it('routes a supervisor message to a collaborator, whose answer becomes the observation', async () => {
    upstream.plan('supervisor', [{ toolCalls: [{ name: 'AgentCommunication__sendMessage', arguments: { recipient: 'forecaster', content: 'Forecast for Bergen?' } }] }, { text: 'The forecaster says: rain.' }]);
    upstream.plan('worker', [{ text: 'Rain all week in Bergen.' }]);
    const result = await invoke({
      sessionId: 'super-1',
      inputText: 'Weather in Bergen?',
      foundationModel: 'agent.supervisor',
      agentCollaboration: 'SUPERVISOR',
      collaboratorConfigurations: [{ collaboratorName: 'forecaster', collaboratorInstruction: 'Ask it about weather forecasts.' }],
      collaborators: [{ agentName: 'forecaster', foundationModel: 'agent.worker', instruction: 'You forecast the weather for any city the user names.' }],
    });
    assert.equal(result.text, 'The forecaster says: rain.');
    const invocation = orchestration(result.traces, 'invocationInput').find((item) => item.invocationType === 'AGENT_COLLABORATOR') as
      | { agentCollaboratorInvocationInput: { agentCollaboratorName: string; input: { text: string } } }
      | undefined;
    assert.equal(invocation?.agentCollaboratorInvocationInput.agentCollaboratorName, 'forecaster');
    assert.equal(invocation?.agentCollaboratorInvocationInput.input.text, 'Forecast for Bergen?');
    const observation = orchestration(result.traces, 'observation').find((item) => item.type === 'AGENT_COLLABORATOR') as { agentCollaboratorInvocationOutput: { output: { text: string } } } | undefined;
    assert.equal(observation?.agentCollaboratorInvocationOutput.output.text, 'Rain all week in Bergen.');
    assert.ok(result.traces.some((trace) => trace.collaboratorName === 'forecaster' && Array.isArray(trace.callerChain)), 'the collaborator traces its own steps');
    const workerRequest = upstream.requests.filter((request) => request.model === 'worker').at(-1);
    assert.match(JSON.stringify(workerRequest?.body.messages), /You forecast the weather for any city the user names\./);
  });

  it('SUPERVISOR_ROUTER classifies the request and relays the chosen collaborator', async () => {
    upstream.plan('supervisor', [{ text: 'forecaster' }]);
    upstream.plan('worker', [{ text: 'Snow in Tromsø.' }]);
    const result = await invoke({
      sessionId: 'router-1',
      inputText: 'Weather in Tromsø?',
      foundationModel: 'agent.supervisor',
      agentCollaboration: 'SUPERVISOR_ROUTER',
      collaboratorConfigurations: [
        { collaboratorName: 'forecaster', collaboratorInstruction: 'Weather questions.' },
        { collaboratorName: 'banker', collaboratorInstruction: 'Money questions.' },
      ],
      collaborators: [
        { agentName: 'forecaster', foundationModel: 'agent.worker', instruction: 'You forecast the weather for any city the user names.' },
        { agentName: 'banker', foundationModel: 'agent.worker', instruction: 'You answer money questions about budgets and savings.' },
      ],
    });
    assert.equal(result.text, 'Snow in Tromsø.');
    const routing = result.traces.map((trace) => (trace.trace as { routingClassifierTrace?: Record<string, unknown> }).routingClassifierTrace).filter(Boolean);
    assert.ok(routing.some((item) => item && 'modelInvocationInput' in item));
    assert.ok(routing.some((item) => item && 'observation' in item));
  });

  it('applies the guardrail to the input, answering its blocked message', async () => {
    const bedrock = bedrockClient(server.url);
    const created = await bedrock.send(
      new CreateGuardrailCommand({
        name: 'agent-words',
        wordPolicyConfig: { wordsConfig: [{ text: 'project nightingale' }] },
        blockedInputMessaging: 'I cannot discuss that.',
        blockedOutputsMessaging: 'I cannot share that answer.',
      }),
    );
    const guardrailConfiguration = { guardrailIdentifier: created.guardrailId ?? '', guardrailVersion: 'DRAFT' };
    const before = upstream.requests.length;
    const blocked = await invoke({ sessionId: 'guard-1', inputText: 'Tell me about project nightingale', foundationModel: 'agent.guarded', guardrailConfiguration });
    assert.equal(blocked.text, 'I cannot discuss that.');
    assert.equal(upstream.requests.length, before, 'the model is never called');
    const trace = blocked.traces.map((item) => (item.trace as { guardrailTrace?: { action: string; inputAssessments: unknown[] } }).guardrailTrace).find(Boolean);
    assert.equal(trace?.action, 'INTERVENED');
    assert.equal(trace?.inputAssessments.length, 1);
    upstream.plan('guarded', [{ text: 'The codename is project nightingale.' }]);
    const output = await invoke({ sessionId: 'guard-2', inputText: 'What is the codename?', foundationModel: 'agent.guarded', guardrailConfiguration });
    assert.equal(output.text, 'I cannot share that answer.');
  });

  it('rejects a broken OpenAPI schema with a message naming the action group', async () => {
    await assert.rejects(
      invoke({
        sessionId: 'bad-schema',
        inputText: 'hi',
        actionGroups: [{ actionGroupName: 'broken', actionGroupExecutor: { customControl: 'RETURN_CONTROL' }, apiSchema: { payload: '{"openapi": "3.0.0", "paths": ' } }],
      }),
      (error: Error & { $metadata: { httpStatusCode: number } }) => error.name === 'ValidationException' && error.$metadata.httpStatusCode === 400 && /broken/.test(error.message),
    );
  });

  it('offers OpenAPI operations as tools and returns their call with Bedrock apiInvocationInput', async () => {
    const schema = {
      openapi: '3.0.0',
      info: { title: 'Orders', version: '1.0.0' },
      paths: {
        '/orders/{orderId}': {
          get: {
            operationId: 'getOrder',
            description: 'Get one order',
            parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'the order' } },
          },
        },
        '/orders': {
          post: {
            operationId: 'createOrder',
            description: 'Create an order',
            requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { item: { type: 'string' }, quantity: { type: 'integer' } }, required: ['item'] } } } },
            responses: { '200': { description: 'created' } },
          },
        },
      },
    };
    const group = { actionGroupName: 'orders', actionGroupExecutor: { customControl: 'RETURN_CONTROL' as const }, apiSchema: { payload: JSON.stringify(schema) } };
    upstream.plan('worker', [{ toolCalls: [{ name: 'POST__orders__createOrder', arguments: { requestBody: { item: 'basalt', quantity: 3 } } }] }]);
    const result = await invoke({ sessionId: 'api-1', inputText: 'Order three basalt', actionGroups: [group] });
    const tools = (upstream.requests.at(-1)?.body.tools ?? []) as Array<{ function: { name: string } }>;
    assert.deepEqual(tools.map((tool) => tool.function.name).sort(), ['GET__orders__getOrder', 'POST__orders__createOrder']);
    const input = ((result.returnControl?.invocationInputs?.[0] ?? {}) as { apiInvocationInput?: Record<string, unknown> }).apiInvocationInput ?? {};
    assert.equal(input.apiPath, '/orders');
    assert.equal(input.httpMethod, 'POST');
    assert.deepEqual(input.requestBody, {
      content: {
        'application/json': {
          properties: [
            { name: 'item', type: 'string', value: 'basalt' },
            { name: 'quantity', type: 'integer', value: '3' },
          ],
        },
      },
    });
  });

  it('reports a model failure as an exception event after a failure trace', async () => {
    upstream.plan('flaky', [{ status: 500 }, { status: 500 }, { status: 500 }]);
    await assert.rejects(invoke({ sessionId: 'flaky-1', inputText: 'hi', foundationModel: 'agent.flaky' }), (error: Error) => /flaky|failed|model/i.test(error.message));
  });
});

describe('InvokeAgent with a prepared agent, and SESSION_SUMMARY memory', () => {
  let agentId = '';
  before(async () => {
    const created = await agentClient(server.url).send(
      new CreateAgentCommand({
        agentName: 'memory-agent',
        foundationModel: 'agent.worker',
        instruction: 'You remember what users tell you about their favourite rocks.',
        idleSessionTTLInSeconds: 600,
        memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 30 },
      }),
    );
    agentId = created.agent?.agentId ?? '';
    await agentClient(server.url).send(new PrepareAgentCommand({ agentId }));
  });

  async function invokeAgent(input: { sessionId: string; inputText?: string; endSession?: boolean; memoryId?: string }): Promise<AgentStreamParts> {
    const response = await runtime().send(new InvokeAgentCommand({ agentId, agentAliasId: 'TSTALIASID', enableTrace: true, ...input }));
    assert.equal(response.sessionId, input.sessionId);
    return collectAgentStream(response.completion);
  }

  it('runs the prepared DRAFT through the test alias, with agent ids in the traces', async () => {
    upstream.plan('worker', [{ text: 'Nice to meet you, Ada.' }]);
    const result = await invokeAgent({ sessionId: 'mem-s1', memoryId: 'user-ada', inputText: 'I am Ada and I love granite.' });
    assert.equal(result.text, 'Nice to meet you, Ada.');
    const trace = result.traces[0];
    assert.equal(trace?.agentId, agentId);
    assert.equal(trace?.agentAliasId, 'TSTALIASID');
    assert.equal(trace?.agentVersion, 'DRAFT');
  });

  it('summarizes an ended session into memory, gives it to the next session, and forgets it on DeleteAgentMemory', async () => {
    upstream.plan('worker', [{ text: 'Ada loves granite.' }]);
    const ended = await invokeAgent({ sessionId: 'mem-s1', memoryId: 'user-ada', endSession: true });
    assert.equal(ended.text, '');
    const memory = await runtime().send(new GetAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'user-ada', memoryType: 'SESSION_SUMMARY' }));
    const summary = memory.memoryContents?.[0]?.sessionSummary;
    assert.equal(summary?.summaryText, 'Ada loves granite.');
    assert.equal(summary?.sessionId, 'mem-s1');
    assert.equal(summary?.memoryId, 'user-ada');
    assert.ok(summary?.sessionStartTime instanceof Date && summary.sessionExpiryTime instanceof Date);

    upstream.plan('worker', [{ text: 'You love granite, Ada.' }]);
    const next = await invokeAgent({ sessionId: 'mem-s2', memoryId: 'user-ada', inputText: 'What do I love?' });
    assert.equal(next.text, 'You love granite, Ada.');
    const system = ((upstream.requests.at(-1)?.body.messages ?? []) as Array<{ role: string; content: string }>)[0];
    assert.match(system?.content ?? '', /Ada loves granite\./);

    const other = await runtime().send(new GetAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'user-bob', memoryType: 'SESSION_SUMMARY' }));
    assert.deepEqual(other.memoryContents ?? [], []);
    await runtime().send(new DeleteAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'user-ada' }));
    const forgotten = await runtime().send(new GetAgentMemoryCommand({ agentId, agentAliasId: 'TSTALIASID', memoryId: 'user-ada', memoryType: 'SESSION_SUMMARY' }));
    assert.deepEqual(forgotten.memoryContents ?? [], []);
  });

  it('answers ResourceNotFoundException for an unknown agent', async () => {
    await assert.rejects(
      runtime().send(new InvokeAgentCommand({ agentId: 'NOSUCHAGNT', agentAliasId: 'TSTALIASID', sessionId: 'x1', inputText: 'hi' })),
      (error: Error & { $metadata: { httpStatusCode: number } }) => error.name === 'ResourceNotFoundException' && error.$metadata.httpStatusCode === 404,
    );
  });
});
