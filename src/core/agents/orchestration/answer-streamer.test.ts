import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LanguageModel, StreamPart } from '../../inference/language-model.js';
import type { AgentEvent } from './agent-events.js';
import { AnswerStreamer } from './answer-streamer.js';

function modelStreaming(parts: StreamPart[]): LanguageModel {
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'test',
    modelId: 'test',
    capabilities: { images: false, documents: false, tools: true, systemPrompt: true },
    generate: () => Promise.reject(new Error('not used')),
    countTokens: () => Promise.resolve(0),
    stream: () => Promise.resolve({ stream: new ReadableStream<StreamPart>({ start: (controller) => { for (const part of parts) controller.enqueue(part); controller.close(); } }) }),
  };
}

function textParts(text: string, size: number): StreamPart[] {
  const parts: StreamPart[] = [{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: 't' }];
  for (let index = 0; index < text.length; index += size) parts.push({ type: 'text-delta', id: 't', delta: text.slice(index, index + size) });
  parts.push({ type: 'text-end', id: 't' }, { type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 4 } });
  return parts;
}

async function drain<T>(generator: AsyncGenerator<AgentEvent, T>): Promise<{ events: AgentEvent[]; value: T }> {
  const events: AgentEvent[] = [];
  for (;;) {
    const next = await generator.next();
    if (next.done) return { events, value: next.value };
    events.push(next.value);
  }
}

const options = { prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
const chunks = (events: AgentEvent[]) => events.filter((event) => event.type === 'chunk').map((event) => (event.type === 'chunk' ? event.text : ''));

describe('AnswerStreamer', () => {
  const answer = 'Basalt is a volcanic rock. It cools fast at the surface. Its grains are fine.';

  it('releases the answer in interval-sized chunks while streaming, the rest on flush', async () => {
    const streamer = new AnswerStreamer({ interval: 20 });
    const { events, value } = await drain(streamer.step(modelStreaming(textParts(answer, 4)), options));
    assert.ok(chunks(events).length >= 2, 'chunks during the step');
    assert.deepEqual(value.content, [{ type: 'text', text: answer }]);
    assert.deepEqual(value.usage, { inputTokens: 3, outputTokens: 4 });
    const flushed = await drain(streamer.flush([]));
    assert.equal([...chunks(events), ...chunks(flushed.events)].join(''), answer);
    assert.equal(streamer.released, answer);
  });

  it('holds short text before a tool call back as rationale and returns the call', async () => {
    const streamer = new AnswerStreamer({ interval: 50 });
    const parts: StreamPart[] = [
      { type: 'text-delta', id: 't', delta: 'Let me check.' },
      { type: 'tool-input-start', id: 'c1', toolName: 'weather__get' },
      { type: 'tool-input-delta', id: 'c1', delta: '{"city":' },
      { type: 'tool-input-delta', id: 'c1', delta: '"Oslo"}' },
      { type: 'tool-input-end', id: 'c1' },
      { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 1 } },
    ];
    const { events, value } = await drain(streamer.step(modelStreaming(parts), options));
    assert.deepEqual(chunks(events), []);
    assert.deepEqual(value.content, [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'weather__get', input: { city: 'Oslo' } }]);
    assert.equal(streamer.started, false);
  });

  it('attaches citations to the last chunk', async () => {
    const streamer = new AnswerStreamer({ interval: 1000 });
    await drain(streamer.step(modelStreaming(textParts('Short.', 2)), options));
    const { events } = await drain(streamer.flush([{ content: { text: 'source' } }]));
    const last = events.at(-1);
    assert.equal(last?.type === 'chunk' && last.text, 'Short.');
    assert.equal(last?.type === 'chunk' && last.citations?.[0]?.retrievedReferences[0]?.content.text, 'source');
  });

  it('checks each chunk with the guard and stops at a block', async () => {
    const checked: string[] = [];
    const guard = async (text: string) => {
      checked.push(text);
      const blocked = text.includes('volcanic') === false && checked.length > 1;
      return { intervened: blocked, text: blocked ? 'Blocked.' : text, trace: { type: 'trace' as const, trace: { guardrailTrace: { action: blocked ? 'INTERVENED' : 'NONE' } }, eventTime: new Date(), agentId: 'a', agentVersion: 'DRAFT' } };
    };
    const streamer = new AnswerStreamer({ interval: 20, guard });
    const { events } = await drain(streamer.step(modelStreaming(textParts(answer, 4)), options));
    await drain(streamer.flush([]));
    assert.equal(streamer.blocked, true);
    assert.equal(chunks(events).at(-1), '\nBlocked.');
    assert.ok(streamer.released.endsWith('Blocked.'));
    assert.equal(checked.length, 2, 'nothing is checked or released after the block');
    assert.equal(events.filter((event) => event.type === 'trace').length, 2);
  });

  it('throws a ModelErrorException for tool arguments that are not JSON, and the stream error as is', async () => {
    const bad: StreamPart[] = [{ type: 'tool-input-start', id: 'c', toolName: 't' }, { type: 'tool-input-delta', id: 'c', delta: '{"a":' }, { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 0, outputTokens: 0 } }];
    await assert.rejects(drain(new AnswerStreamer().step(modelStreaming(bad), options)), /not valid JSON/);
    const failing: StreamPart[] = [{ type: 'error', error: new Error('upstream broke') }];
    await assert.rejects(drain(new AnswerStreamer().step(modelStreaming(failing), options)), /upstream broke/);
  });
});
