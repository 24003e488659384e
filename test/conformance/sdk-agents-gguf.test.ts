/**
 * An agent on the embedded llama.cpp provider, end to end through InvokeInlineAgent: a GGUF with
 * random weights (scripts/make-test-gguf.ts) cannot choose a tool by itself, so the orchestration
 * forces a tool call on its first step (`capabilities.freeToolChoice: false`), the provider
 * constrains it with a JSON-schema grammar, the runtime runs it on a worker-module handler, and the
 * model's next step is the final answer. The text is meaningless by design; flow and shapes are
 * asserted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BedrockAgentRuntimeClient, InvokeInlineAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import pino from 'pino';
import { makeTestGguf } from '../../scripts/make-test-gguf.js';
import { parseConfig } from '../../src/config/config.js';
import { type OutcropServer, startOutcrop } from '../../src/server/outcrop.js';
import { testCredentials } from '../support/test-server.js';

let server: OutcropServer;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'outcrop-agent-gguf-'));
  writeFileSync(
    join(dataDir, 'rocks.mjs'),
    `export async function handler(event) {
  const metric = event.parameters.find((p) => p.name === 'metric');
  return { messageVersion: '1.0', response: { actionGroup: event.actionGroup, function: event.function,
    functionResponse: { responseBody: { TEXT: { body: 'handled ' + event.function + ' metric=' + (metric ? metric.type + ':' + metric.value : 'none') } } } } };
}`,
  );
  const config = parseConfig(`
server: { port: 0, host: 127.0.0.1, shutdownGraceMs: 1000 }
providers:
  local: { type: llama-cpp, gpu: false, threads: 1, parallelSequences: 1, contextSize: 4096 }
models:
  - { id: outcrop.llama, provider: local, upstreamModel: "${makeTestGguf('llama')}" }
agents:
  functions:
    rocks: { module: "${join(dataDir, 'rocks.mjs')}", timeoutMs: 10000 }
`);
  config.server.dataDir = dataDir;
  server = await startOutcrop({
    config,
    logger: pino({ level: 'silent' }),
    env: { OUTCROP_ROOT_ACCESS_KEY_ID: testCredentials.accessKeyId, OUTCROP_ROOT_SECRET_ACCESS_KEY: testCredentials.secretAccessKey },
  });
});

after(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('an agent on a random-weight GGUF (embedded llama.cpp)', () => {
  it('makes a grammar-forced tool call on its first step, runs it, then answers', { timeout: 180_000 }, async () => {
    const client = new BedrockAgentRuntimeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey },
      maxAttempts: 1,
    });
    const response = await client.send(
      new InvokeInlineAgentCommand({
        sessionId: 'gguf-1',
        foundationModel: 'outcrop.llama',
        instruction: 'You are a geologist. Look up rocks with the tool before you answer.',
        inputText: 'How hard is granite?',
        enableTrace: true,
        actionGroups: [
          {
            actionGroupName: 'rocks',
            actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:123456789012:function:rocks' },
            functionSchema: {
              functions: [{ name: 'hardness', description: 'Mohs hardness of a rock', parameters: { metric: { type: 'boolean', description: 'metric units', required: true } } }],
            },
          },
        ],
        promptOverrideConfiguration: {
          promptConfigurations: [{ promptType: 'ORCHESTRATION', promptCreationMode: 'DEFAULT', inferenceConfiguration: { maximumLength: 48, temperature: 0, topP: 1 } }],
        },
      }),
    );
    let text = '';
    const traces: Array<Record<string, Record<string, Record<string, unknown>>>> = [];
    for await (const event of response.completion ?? []) {
      if (event.chunk) text += new TextDecoder().decode(event.chunk.bytes);
      if (event.trace?.trace) traces.push(event.trace.trace as unknown as Record<string, Record<string, Record<string, unknown>>>);
    }
    const steps = traces.map((trace) => trace.orchestrationTrace).filter((step): step is Record<string, Record<string, unknown>> => step !== undefined);
    const inputs = steps.map((step) => step.modelInvocationInput).filter(Boolean);
    assert.equal(inputs.length, 2, 'two model steps: the forced tool call, then the answer');
    const rawResponse = steps.map((step) => step.modelInvocationOutput).find(Boolean)?.rawResponse as { content?: string } | undefined;
    const firstOutput = JSON.parse(String(rawResponse?.content)) as { content: Array<{ type: string; name?: string; input?: { metric?: unknown } }> };
    const call = firstOutput.content.find((part) => part.type === 'tool_use');
    assert.equal(call?.name, 'rocks__hardness');
    assert.equal(typeof call?.input?.metric, 'boolean', 'the grammar makes the input match the function schema');
    const invocation = steps.map((step) => step.invocationInput).find(Boolean) as { invocationType: string; actionGroupInvocationInput: { function: string; parameters: Array<{ name: string; value: string }> } };
    assert.equal(invocation.invocationType, 'ACTION_GROUP');
    assert.equal(invocation.actionGroupInvocationInput.function, 'hardness');
    const observations = steps.map((step) => step.observation).filter(Boolean) as Array<{ type: string; actionGroupInvocationOutput?: { text: string }; finalResponse?: { text: string } }>;
    assert.equal(observations[0]?.type, 'ACTION_GROUP');
    assert.equal(observations[0]?.actionGroupInvocationOutput?.text, `handled hardness metric=boolean:${String(call?.input?.metric)}`);
    assert.equal(observations.at(-1)?.type, 'FINISH');
    assert.equal(observations.at(-1)?.finalResponse?.text, text);
    assert.ok(!traces.some((trace) => trace.failureTrace), 'no failure');
  });
});
