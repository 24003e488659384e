import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallOptions, LanguageModel, StreamPart } from '../../inference/language-model.js';
import { ConversationSessions } from './conversation-sessions.js';
import { type AnswerStreamEvent, type RetrieveAndGenerateOptions, retrieveAndGenerate, streamRetrieveAndGenerate } from './retrieve-and-generate.js';
import type { SearchResult } from './search-result.js';

/** A model that answers from a script and records its prompts. */
function scriptedModel(answer: (options: CallOptions) => string): LanguageModel & { calls: CallOptions[] } {
  const calls: CallOptions[] = [];
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'test',
    modelId: 'scripted',
    capabilities: { images: false, documents: false, tools: false, systemPrompt: true },
    calls,
    async generate(options) {
      calls.push(options);
      return { content: [{ type: 'text', text: answer(options) }], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, warnings: [] };
    },
    async stream(options) {
      calls.push(options);
      const text = answer(options);
      const parts: StreamPart[] = [{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: 't' }];
      for (let offset = 0; offset < text.length; offset += 5) parts.push({ type: 'text-delta', id: 't', delta: text.slice(offset, offset + 5) });
      parts.push({ type: 'text-end', id: 't' }, { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
      return { stream: new ReadableStream({ start: (controller) => { for (const part of parts) controller.enqueue(part); controller.close(); } }) };
    },
    async countTokens() {
      return 1;
    },
  };
}

const passages: SearchResult[] = [
  { text: 'Granite is a coarse-grained igneous rock.', location: { type: 'S3', s3Location: { uri: 's3://b/granite.txt' } }, metadata: { kind: 'igneous' } },
  { text: 'Basalt is a volcanic rock formed from lava.', location: { type: 'S3', s3Location: { uri: 's3://b/basalt.txt' } } },
];

const promptText = (options: CallOptions) => options.prompt.flatMap((message) => message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []))).join('\n');

function options(model: LanguageModel, sessions: ConversationSessions, extra: Partial<RetrieveAndGenerateOptions> = {}): RetrieveAndGenerateOptions & { queries: string[] } {
  const queries: string[] = [];
  return {
    question: 'What is basalt?',
    sessions,
    model,
    queries,
    retrieve: async (query) => {
      queries.push(query);
      return passages;
    },
    ...extra,
  };
}

async function collect(events: AsyncGenerator<AnswerStreamEvent>): Promise<AnswerStreamEvent[]> {
  const out: AnswerStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('retrieveAndGenerate', () => {
  it('cites the search results the model names, with spans into the answer', async () => {
    const model = scriptedModel((call) =>
      promptText(call).includes('query creation agent')
        ? 'basalt formation'
        : '<answer><answer_part><text>Basalt is volcanic.</text><sources><source>2</source></sources></answer_part><answer_part><text>It comes from lava.</text><sources><source>2</source><source>1</source></sources></answer_part></answer>',
    );
    const sessions = new ConversationSessions();
    const first = options(model, sessions, { inference: { maxOutputTokens: 300, temperature: 0.2, extraBody: { top_k: 5 } } });
    const answer = await retrieveAndGenerate(first);
    assert.equal(answer.text, 'Basalt is volcanic. It comes from lava.');
    assert.deepEqual(
      answer.citations.map((citation) => [answer.text.slice(citation.start, citation.end + 1), citation.references.map((reference) => reference.location)]),
      [
        ['Basalt is volcanic.', [passages[1]?.location]],
        ['It comes from lava.', [passages[1]?.location, passages[0]?.location]],
      ],
    );
    assert.equal(answer.guardrailAction, undefined);
    assert.deepEqual(first.queries, ['What is basalt?']);
    assert.equal(model.calls[0]?.maxOutputTokens, 300);
    assert.deepEqual(model.calls[0]?.extraBody, { top_k: 5 });

    const followUp = options(model, sessions, { question: 'How does it form?', sessionId: answer.sessionId });
    const second = await retrieveAndGenerate(followUp);
    assert.equal(second.sessionId, answer.sessionId);
    assert.deepEqual(followUp.queries, ['basalt formation']);
    const rewritePrompt = promptText(model.calls[1] as CallOptions);
    assert.match(rewritePrompt, /User: What is basalt\?\nAssistant: Basalt is volcanic\. It comes from lava\./);
    assert.deepEqual(
      model.calls[2]?.prompt.map((message) => message.role),
      ['system', 'user', 'assistant', 'user'],
    );
  });

  it('attributes an unformatted answer sentence by sentence', async () => {
    const model = scriptedModel(() => 'Granite is a coarse-grained igneous rock.');
    const answer = await retrieveAndGenerate(options(model, new ConversationSessions()));
    assert.equal(answer.text, 'Granite is a coarse-grained igneous rock.');
    assert.deepEqual(answer.citations, [{ start: 0, end: answer.text.length - 1, text: answer.text, references: [passages[0]] }]);
  });

  it('answers a blocked question with the guard message without calling the model', async () => {
    const model = scriptedModel(() => 'never');
    const answer = await retrieveAndGenerate(
      options(model, new ConversationSessions(), {
        guard: { checkInput: async () => ({ blocked: true, text: 'Sorry.' }), checkOutput: async () => assert.fail('no output check') },
      }),
    );
    assert.deepEqual({ text: answer.text, citations: answer.citations, action: answer.guardrailAction }, { text: 'Sorry.', citations: [], action: 'INTERVENED' });
    assert.equal(model.calls.length, 0);
  });

  it('streams the answer text without markup, then each citation, and keeps the turn', async () => {
    const model = scriptedModel(() => '<answer>\n<answer_part>\n<text>\nBasalt is volcanic.\n</text>\n<sources>\n<source>2</source>\n</sources>\n</answer_part>\n</answer>');
    const sessions = new ConversationSessions();
    const { sessionId, events } = await streamRetrieveAndGenerate(options(model, sessions));
    const received = await collect(events);
    const text = received.flatMap((event) => (event.type === 'output' ? [event.text] : [])).join('');
    assert.equal(text, 'Basalt is volcanic.');
    assert.ok(received.filter((event) => event.type === 'output').length > 1, 'text arrives in several events');
    const citations = received.flatMap((event) => (event.type === 'citation' ? [event.citation] : []));
    assert.deepEqual(
      citations.map((citation) => [citation.start, citation.end, citation.references.length]),
      [[0, 18, 1]],
    );
    assert.deepEqual(await sessions.history(sessionId), [{ question: 'What is basalt?', answer: 'Basalt is volcanic.' }]);
  });

  it('with a guard, streams the checked answer and the guardrail action', async () => {
    const model = scriptedModel(() => 'Basalt is a volcanic rock formed from lava.');
    const { events } = await streamRetrieveAndGenerate(
      options(model, new ConversationSessions(), {
        guard: { checkInput: async () => ({ blocked: false, text: '' }), checkOutput: async (text) => ({ intervened: false, blocked: false, text }) },
      }),
    );
    const received = await collect(events);
    assert.deepEqual(received.at(-1), { type: 'guardrail', action: 'NONE' });
    assert.deepEqual(received[0], { type: 'output', text: 'Basalt is a volcanic rock formed from lava.' });
  });
});
