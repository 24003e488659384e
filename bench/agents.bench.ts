/**
 * The agents benchmark (`npm run bench:agents`):
 * - orchestration overhead per agent step: an agent whose model calls a trivial tool N times, run
 *   in-process through `AgentRuntime` with an instant in-memory model and tool whose own time is
 *   measured and subtracted; overhead = (turn time − model time − tool time) / model calls, p50/p99;
 * - concurrent sessions: ≥200 InvokeAgent streams at once through the real server (HTTP/2, the AWS
 *   SDK) in front of a scripted OpenAI-compatible upstream that answers each call after a delay, so
 *   every stream is open at the same time; errors counted, and heap held per live session.
 * - executor overhead: one invocation of the real executors (Lambda over HTTP to a local handler,
 *   a Node module in a fresh worker thread) minus the handler's own time, p50/p99.
 * Writes `bench/results/agents-latest.md` and `.json`.
 *
 * Environment: `BENCH_AGENT_TURNS` (turns in the overhead phase, default 300), `BENCH_AGENT_STEPS`
 * (tool calls per turn, default 4), `BENCH_AGENT_SESSIONS` (concurrent streams, default 200), `BENCH_AGENT_EXECUTOR_CALLS` (invocations per executor, default 100).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockAgentClient, CreateAgentCommand, PrepareAgentCommand } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import pino from 'pino';
import { parseConfig } from '../src/config/config.js';
import type { AgentDefinition } from '../src/core/agents/agent-definition.js';
import type { ActionExecutionRequest, ActionExecutor } from '../src/core/agents/executors/action-executor.js';
import { createLambdaHttpExecutor } from '../src/core/agents/executors/lambda-http-executor.js';
import { createOutboundHttp } from '../src/core/agents/executors/outbound-http.js';
import { createWorkerModuleExecutor } from '../src/core/agents/executors/worker-module-executor.js';
import { AgentRuntime } from '../src/core/agents/orchestration/agent-runtime.js';
import type { GenerateResult, LanguageModel } from '../src/core/inference/language-model.js';
import { startOutcrop } from '../src/server/outcrop.js';
import { startScriptedUpstream } from '../test/support/scripted-openai-upstream.js';
import { repositoryRoot, sourceRevision } from './support/child-processes.js';
import { summarizeLatency } from './support/latency-summary.js';

const turns = Number(process.env.BENCH_AGENT_TURNS ?? 300);
const stepsPerTurn = Number(process.env.BENCH_AGENT_STEPS ?? 4);
const sessions = Number(process.env.BENCH_AGENT_SESSIONS ?? 200);
const executorCalls = Number(process.env.BENCH_AGENT_EXECUTOR_CALLS ?? 100);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const definition: AgentDefinition = {
  agentId: 'BENCHAGENT',
  agentName: 'bench',
  agentVersion: 'DRAFT',
  foundationModel: 'bench.model',
  instruction: 'You are a benchmark agent that calls the echo tool until it is done.',
  idleSessionTTLInSeconds: 600,
  actionGroups: [
    {
      actionGroupName: 'tools',
      actionGroupState: 'ENABLED',
      actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:echo' },
      functionSchema: { functions: [{ name: 'echo', description: 'Echoes its input', parameters: { text: { type: 'string', required: true } } }] },
    },
  ],
  knowledgeBases: [],
  orchestrationType: 'DEFAULT',
  agentCollaboration: 'DISABLED',
  collaborators: [],
};

async function overheadPerStep() {
  let modelMs = 0;
  let toolMs = 0;
  let calls = 0;
  const model: LanguageModel = {
    specificationVersion: 'outcrop.v1',
    provider: 'bench',
    modelId: 'bench',
    capabilities: { images: false, documents: false, tools: true, systemPrompt: true },
    async generate(options): Promise<GenerateResult> {
      const started = performance.now();
      calls += 1;
      const toolTurns = options.prompt.filter((message) => message.role === 'tool').length;
      const content: GenerateResult['content'] =
        toolTurns < stepsPerTurn ? [{ type: 'tool-call', toolCallId: `call-${calls}`, toolName: 'tools__echo', input: { text: `step ${toolTurns}` } }] : [{ type: 'text', text: 'done' }];
      const result: GenerateResult = { content, finishReason: content[0]?.type === 'text' ? 'stop' : 'tool-calls', usage: { inputTokens: 10, outputTokens: 5 }, warnings: [] };
      modelMs += performance.now() - started;
      return result;
    },
    stream: () => Promise.reject(new Error('not used')),
    countTokens: async () => 0,
  };
  const runtime = new AgentRuntime({
    resolveModel: () => model,
    sweepIntervalMs: 0,
    maxSteps: stepsPerTurn + 2,
    ports: {
      actions: {
        async invoke(request) {
          const started = performance.now();
          const text = `echo: ${request.parameters[0]?.value ?? ''}`;
          toolMs += performance.now() - started;
          return { text };
        },
      },
    },
  });
  const perStep: number[] = [];
  const signal = new AbortController().signal;
  for (let turn = 0; turn < turns + 20; turn++) {
    modelMs = 0;
    toolMs = 0;
    const before = calls;
    const started = performance.now();
    let answer = '';
    for await (const event of runtime.invoke({ definition, agentAliasId: 'TSTALIASID', sessionId: `bench-${turn}`, inputText: 'go', endSession: false, signal })) {
      if (event.type === 'chunk') answer += event.text;
    }
    const total = performance.now() - started;
    if (answer !== 'done') throw new Error(`unexpected answer ${answer}`);
    if (turn >= 20) perStep.push((total - modelMs - toolMs) / (calls - before));
  }
  runtime.close();
  return summarizeLatency(perStep);
}

async function concurrentSessions() {
  const upstream = await startScriptedUpstream();
  upstream.fallback('bench', { text: 'All set.', delayMs: 400 });
  const dataDir = mkdtempSync(join(tmpdir(), 'outcrop-bench-agents-'));
  const config = parseConfig(`
server: { port: 0, host: 127.0.0.1, logLevel: silent, builtinEmbeddings: false }
providers:
  scripted: { type: openai-compatible, baseUrl: ${upstream.url}, apiKey: sk-bench, timeoutMs: 30000, idleTimeoutMs: 30000 }
models:
  - { id: bench.model, provider: scripted, upstreamModel: bench, providerName: Outcrop }
`);
  config.server.dataDir = dataDir;
  const server = await startOutcrop({ config, noAuth: true, logger: pino({ level: 'silent' }) });
  const credentials = { accessKeyId: 'AKIAOUTCROPBENCH0001', secretAccessKey: 'bench' };
  const agentClient = new BedrockAgentClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const created = await agentClient.send(new CreateAgentCommand({ agentName: 'bench-agent', foundationModel: 'bench.model', instruction: definition.instruction }));
  const agentId = created.agent?.agentId ?? '';
  await agentClient.send(new PrepareAgentCommand({ agentId }));
  const client = new BedrockAgentRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let errors = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: sessions }, async (_, index) => {
      const begun = performance.now();
      try {
        const response = await client.send(new InvokeAgentCommand({ agentId, agentAliasId: 'TSTALIASID', sessionId: `concurrent-${index}`, inputText: `hello ${index}` }));
        let text = '';
        for await (const event of response.completion ?? []) if (event.chunk?.bytes) text += new TextDecoder().decode(event.chunk.bytes);
        if (text !== 'All set.') errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - begun);
    }),
  );
  const wall = performance.now() - started;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const rssAfter = process.memoryUsage().rss;
  const upstreamCalls = upstream.requests.filter((request) => request.model === 'bench').length;
  await server.close();
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    sessions,
    errors,
    upstreamCalls,
    wallMs: round(wall, 1),
    latency: summarizeLatency(latencies),
    heapPerSessionKiB: round((heapAfter - heapBefore) / sessions / 1024, 1),
    rssGrowthMiB: round((rssAfter - rssBefore) / 1024 / 1024, 1),
    gcExposed: typeof global.gc === 'function',
  };
}

/** Time one executor invocation adds around its handler: event building, transport, response parsing. */
async function executorOverhead() {
  const request: ActionExecutionRequest = {
    invocation: { kind: 'function', actionGroup: 'tools', function: 'echo', parameters: [{ name: 'text', type: 'string', value: 'hi' }] },
    session: { messageVersion: '1.0', sessionId: 'bench', inputText: 'go', agent: { name: 'bench', id: 'BENCHAGENT', alias: 'TSTALIASID', version: 'DRAFT' }, sessionAttributes: {}, promptSessionAttributes: {} },
  };
  const answer = (body: string) => ({ messageVersion: '1.0', response: { actionGroup: 'tools', function: 'echo', functionResponse: { responseBody: { TEXT: { body } } } } });
  let handlerMs = 0;
  const httpServer = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const started = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { parameters: Array<{ value: string }> };
      const body = JSON.stringify(answer(`echo: ${event.parameters[0]?.value}`));
      handlerMs = performance.now() - started;
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'outcrop-bench-executors-'));
  writeFileSync(join(dir, 'echo.mjs'), `export async function handler(event) { return ${JSON.stringify(answer('echo'))}; }`);
  const http = createOutboundHttp({ allowPrivateNetworks: true });
  const measure = async (executor: ActionExecutor, calls: number, ownTime: () => number) => {
    const samples: number[] = [];
    for (let index = 0; index < calls + 5; index++) {
      handlerMs = 0;
      const started = performance.now();
      await executor.invoke(request);
      if (index >= 5) samples.push(performance.now() - started - ownTime());
    }
    await executor.close();
    return summarizeLatency(samples);
  };
  try {
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/invoke`;
    const lambdaHttp = await measure(createLambdaHttpExecutor({ url, timeoutMs: 10_000, http }), executorCalls, () => handlerMs);
    const workerModule = await measure(createWorkerModuleExecutor({ module: join(dir, 'echo.mjs'), timeoutMs: 10_000, functionName: 'echo' }), Math.max(10, Math.floor(executorCalls / 5)), () => 0);
    return { lambdaHttp, workerModule };
  } finally {
    httpServer.closeAllConnections();
    httpServer.close();
    await http.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const overhead = await overheadPerStep();
const executors = await executorOverhead();
const concurrency = await concurrentSessions();
const result = {
  revision: sourceRevision(),
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  overhead: { turns, stepsPerTurn, perStepMs: { p50: round(overhead.p50), p99: round(overhead.p99), mean: round(overhead.mean) } },
  executors: {
    calls: executorCalls,
    lambdaHttpMs: { p50: round(executors.lambdaHttp.p50), p99: round(executors.lambdaHttp.p99) },
    workerModuleMs: { p50: round(executors.workerModule.p50), p99: round(executors.workerModule.p99) },
  },
  concurrency,
};
const markdown = `# Agents benchmark

Revision ${result.revision}, ${result.date}, Node ${result.node}, ${result.cpus} CPUs.

## Orchestration overhead per step

In-process \`AgentRuntime\`, ${turns} turns of ${stepsPerTurn} tool calls and a final answer (${stepsPerTurn + 1} model calls each); an instant in-memory model and tool whose own time is subtracted. Overhead per model call (prompt and tool building, tracing, session bookkeeping):

| p50 | p99 | mean |
|---:|---:|---:|
| ${result.overhead.perStepMs.p50} ms | ${result.overhead.perStepMs.p99} ms | ${result.overhead.perStepMs.mean} ms |

## Executor overhead per invocation

The real executors around a trivial handler, the handler's own time subtracted: Lambda over HTTP (event to JSON, keep-alive POST to a local service through the outbound policy, response checked), and a Node module (a fresh worker thread per invocation, so a handler can be stopped at its timeout).

| executor | p50 | p99 |
|---|---:|---:|
| Lambda over HTTP (${executorCalls} calls) | ${result.executors.lambdaHttpMs.p50} ms | ${result.executors.lambdaHttpMs.p99} ms |
| Node module in a worker (${Math.max(10, Math.floor(executorCalls / 5))} calls) | ${result.executors.workerModuleMs.p50} ms | ${result.executors.workerModuleMs.p99} ms |

## Concurrent sessions

${concurrency.sessions} InvokeAgent streams at once through the real server (AWS SDK, HTTP/2), a scripted upstream answering after 400 ms: a wall time under 800 ms means every stream was open at once.

| streams | errors | upstream calls | wall | latency p50 | latency p99 | heap per live session | RSS growth |
|---:|---:|---:|---:|---:|---:|---:|---:|
| ${concurrency.sessions} | ${concurrency.errors} | ${concurrency.upstreamCalls} | ${concurrency.wallMs} ms | ${round(concurrency.latency.p50, 1)} ms | ${round(concurrency.latency.p99, 1)} ms | ${concurrency.heapPerSessionKiB} KiB | ${concurrency.rssGrowthMiB} MiB |

Heap per session is the heap growth while the ${concurrency.sessions} sessions are held (they stay live until their idle TTL)${concurrency.gcExposed ? ', measured after forced GC' : ' (run with `node --expose-gc` for a GC-settled figure)'}. The server runs in the benchmark's process, so heap and RSS include the client side.
`;
writeFileSync(join(repositoryRoot, 'bench', 'results', 'agents-latest.md'), markdown);
writeFileSync(join(repositoryRoot, 'bench', 'results', 'agents-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(markdown);
if (concurrency.errors > 0) process.exitCode = 1;
