import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerateResult, LanguageModel } from '../../inference/language-model.js';
import { agentDefinition } from '../agent-definition.test-support.js';
import type { AgentEvent } from './agent-events.js';
import { AgentRuntime } from './agent-runtime.js';

function scriptedModel(replies: Array<GenerateResult['content']>): LanguageModel & { calls: number } {
  const model = {
    specificationVersion: 'outcrop.v1' as const,
    provider: 'test',
    modelId: 'test',
    capabilities: { images: false, documents: false, tools: true, systemPrompt: true },
    calls: 0,
    async generate(): Promise<GenerateResult> {
      const content = replies[model.calls] ?? [{ type: 'text', text: 'fallback' }];
      model.calls += 1;
      return { content, finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, warnings: [] };
    },
    stream: () => Promise.reject(new Error('unused')),
    countTokens: async () => 0,
  };
  return model;
}

const definition = agentDefinition({
  agentId: 'AGENT00001',
  agentName: 'memory',
  idleSessionTTLInSeconds: 60,
  memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 1 },
});

async function drain(events: AsyncIterable<AgentEvent>): Promise<string> {
  let text = '';
  for await (const event of events) if (event.type === 'chunk') text += event.text;
  return text;
}

describe('AgentRuntime', () => {
  it('ends a session idle past its TTL, summarizes it into memory, and forgets the summary after storageDays', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const model = scriptedModel([[{ type: 'text', text: 'Hi Ada.' }], [{ type: 'text', text: 'Ada said hello.' }]]);
    const runtime = new AgentRuntime({ resolveModel: () => model, sweepIntervalMs: 0, now: () => now });
    const signal = new AbortController().signal;
    assert.equal(await drain(runtime.invoke({ definition, agentAliasId: 'TSTALIASID', sessionId: 's1', memoryId: 'ada', inputText: 'hello', endSession: false, signal })), 'Hi Ada.');
    now = new Date(now.getTime() + 30_000);
    await runtime.sweep();
    assert.equal(runtime.sessions.size(), 1, 'not idle long enough yet');
    now = new Date(now.getTime() + 31_000);
    await runtime.sweep();
    assert.equal(runtime.sessions.size(), 0);
    const [summary] = await runtime.memory.list('AGENT00001', 'ada', now);
    assert.equal(summary?.summaryText, 'Ada said hello.');
    assert.equal(summary?.sessionExpiryTime.toISOString(), '2026-01-01T00:01:00.000Z');
    now = new Date(now.getTime() + 2 * 86_400_000);
    assert.deepEqual(await runtime.memory.list('AGENT00001', 'ada', now), []);
  });

  it('refuses a second call on a session that is still running', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const model = scriptedModel([]);
    const slow: LanguageModel = {
      ...model,
      generate: async (options) => {
        await gate;
        return model.generate(options);
      },
    };
    const runtime = new AgentRuntime({ resolveModel: () => slow, sweepIntervalMs: 0 });
    const signal = new AbortController().signal;
    const first = drain(runtime.invoke({ definition, agentAliasId: 'A', sessionId: 'busy', inputText: 'one', endSession: false, signal }));
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(drain(runtime.invoke({ definition, agentAliasId: 'A', sessionId: 'busy', inputText: 'two', endSession: false, signal })), /already processing/);
    release();
    assert.equal(await first, 'fallback');
  });

  it('searches a knowledge base as a tool and cites the references in the answer', async () => {
    const model = scriptedModel([
      [{ type: 'tool-call', toolCallId: 't1', toolName: 'GET__x_amz_knowledgebase_KB00000001__Search', input: { searchQuery: 'basalt hardness' } }],
      [{ type: 'text', text: 'Basalt is about 6 on the Mohs scale.' }],
    ]);
    const searches: string[] = [];
    const runtime = new AgentRuntime({
      resolveModel: () => model,
      sweepIntervalMs: 0,
      ports: {
        knowledge: {
          async search(request) {
            searches.push(`${request.knowledgeBaseId}:${request.text}`);
            return [{ content: { type: 'TEXT', text: 'Basalt has a Mohs hardness of about 6.' }, location: { type: 'S3', s3Location: { uri: 's3://rocks/basalt.md' } } }];
          },
        },
      },
    });
    const events: AgentEvent[] = [];
    const kbDefinition = { ...definition, memoryConfiguration: undefined, knowledgeBases: [{ knowledgeBaseId: 'KB00000001', description: 'Rock facts' }] };
    for await (const event of runtime.invoke({ definition: kbDefinition, agentAliasId: 'A', sessionId: 'kb', inputText: 'How hard is basalt?', endSession: false, signal: new AbortController().signal })) events.push(event);
    assert.deepEqual(searches, ['KB00000001:basalt hardness']);
    const chunk = events.find((event) => event.type === 'chunk');
    assert.ok(chunk?.type === 'chunk');
    assert.equal(chunk.text, 'Basalt is about 6 on the Mohs scale.');
    assert.deepEqual(chunk.citations?.[0]?.generatedResponsePart.textResponsePart.span, { start: 0, end: chunk.text.length - 1 });
    assert.equal(chunk.citations?.[0]?.retrievedReferences[0]?.location?.type, 'S3');
    const lookup = events.find((event) => event.type === 'trace' && 'knowledgeBaseLookupOutput' in ((event.trace.orchestrationTrace as { observation?: object })?.observation ?? {}));
    assert.ok(lookup, 'the observation lists the retrieved references');
  });
});
