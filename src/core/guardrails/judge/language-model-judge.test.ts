import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallOptions, GenerateResult, LanguageModel } from '../../inference/language-model.js';
import { createLanguageModelJudge, parseLlamaGuardAnswer } from './language-model-judge.js';

/** A language model that answers from a function of the prompt and records what it was asked. */
function fakeModel(answer: (prompt: string) => string | Error): LanguageModel & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    specificationVersion: 'outcrop.v1',
    provider: 'fake',
    modelId: 'llama-guard-fake',
    capabilities: { images: false, documents: false, tools: false, systemPrompt: true },
    prompts,
    async generate(options: CallOptions): Promise<GenerateResult> {
      const part = options.prompt[0]?.content[0];
      const prompt = part?.type === 'text' ? part.text : '';
      prompts.push(prompt);
      assert.equal(options.temperature, 0);
      const reply = answer(prompt);
      if (reply instanceof Error) throw reply;
      return { content: [{ type: 'text', text: reply }], finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 2 }, warnings: [] };
    },
    stream: () => Promise.reject(new Error('not used')),
    countTokens: () => Promise.resolve(0),
  };
}

describe('Llama Guard judge', () => {
  it('parses safe and unsafe answers', () => {
    assert.deepEqual(parseLlamaGuardAnswer('safe'), []);
    assert.deepEqual(parseLlamaGuardAnswer(' unsafe\nS1,S10 '), ['S1', 'S10']);
    assert.throws(() => parseLlamaGuardAnswer('I cannot help with that'), { name: 'InternalServerException' });
  });

  it('maps hazard categories onto Bedrock filters and leaves INSULTS and PROMPT_ATTACK to the classifier', async () => {
    const model = fakeModel(() => 'unsafe\nS10');
    const judge = createLanguageModelJudge({ model, format: 'llama-guard' });
    assert.deepEqual(judge.contentCategories, ['HATE', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT']);
    const verdict = await judge.classifyContent({ text: 'some text', source: 'OUTPUT', categories: ['HATE', 'VIOLENCE', 'INSULTS'] });
    assert.deepEqual(verdict, { HATE: 'HIGH', VIOLENCE: 'NONE' });
    assert.match(model.prompts[0]!, /Agent: some text/);
    assert.match(model.prompts[0]!, /S10: Hate\./);
  });

  it('turns denied topics into custom categories', async () => {
    const model = fakeModel((prompt) => (prompt.includes('S2: Gambling') ? 'unsafe\nS2' : 'safe'));
    const judge = createLanguageModelJudge({ model, format: 'llama-guard' });
    const topics = [
      { name: 'Investment advice', definition: 'Advice on investments.', examples: [] },
      { name: 'Gambling', definition: 'Betting tips.', examples: ['Which team should I bet on?'] },
    ];
    assert.deepEqual(await judge.matchTopics({ text: 'who wins tonight, I want to bet', source: 'INPUT', topics }), ['Gambling']);
    assert.match(model.prompts[0]!, /User: who wins tonight/);
  });
});

describe('JSON judge', () => {
  it('reads a confidence per category', async () => {
    const judge = createLanguageModelJudge({ model: fakeModel(() => 'Sure: {"HATE": "low", "PROMPT_ATTACK": "HIGH"}'), format: 'json' });
    assert.deepEqual(await judge.classifyContent({ text: 'x', source: 'INPUT', categories: ['HATE', 'PROMPT_ATTACK'] }), { HATE: 'LOW', PROMPT_ATTACK: 'HIGH' });
  });

  it('fails, rather than passing the text, when the answer does not parse or the model errors', async () => {
    const garbled = createLanguageModelJudge({ model: fakeModel(() => 'no idea'), format: 'json' });
    await assert.rejects(garbled.classifyContent({ text: 'x', source: 'INPUT', categories: ['HATE'] }), { name: 'InternalServerException' });
    const missing = createLanguageModelJudge({ model: fakeModel(() => '{"HATE": "maybe"}'), format: 'json' });
    await assert.rejects(missing.classifyContent({ text: 'x', source: 'INPUT', categories: ['HATE'] }), { name: 'InternalServerException', message: /no valid confidence for HATE/ });
    const broken = createLanguageModelJudge({ model: fakeModel(() => new Error('connection refused')), format: 'llama-guard' });
    await assert.rejects(broken.matchTopics({ text: 'x', source: 'INPUT', topics: [{ name: 'a', definition: 'b', examples: [] }] }), { name: 'InternalServerException', message: /guard model failed: connection refused/ });
  });
});

