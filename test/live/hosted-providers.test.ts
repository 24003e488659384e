/**
 * Live checks against the real hosted APIs, opt-in: each suite runs only when its key is in the
 * environment (OPENAI_API_KEY, MISTRAL_API_KEY, CO_API_KEY) and is skipped otherwise. Models can be
 * chosen with OUTCROP_LIVE_OPENAI_MODEL, OUTCROP_LIVE_MISTRAL_MODEL and OUTCROP_LIVE_COHERE_MODEL.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CallOptions, LanguageModel, ModelCapabilities, StreamPart } from '../../src/core/inference/language-model.js';
import type { Provider } from '../../src/core/models/provider.js';
import { createCohereProvider } from '../../src/providers/cohere/cohere-provider.js';
import { createMistralProvider } from '../../src/providers/mistral/mistral-provider.js';
import { createOpenAIProvider } from '../../src/providers/openai/openai-provider.js';

const capabilities: ModelCapabilities = { images: false, documents: false, tools: true, systemPrompt: true };
const question: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'Name one igneous rock. One word.' }] }], maxOutputTokens: 20 };
const tools: Pick<CallOptions, 'tools' | 'toolChoice'> = {
  tools: [{ name: 'get_rock_hardness', description: 'Mohs hardness of a rock', inputSchema: { type: 'object', properties: { rock: { type: 'string' } }, required: ['rock'] } }],
  toolChoice: { type: 'required' },
};
const providers: Provider[] = [];

after(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
});

function skipUnless(variable: string): { skip: string | false } {
  return { skip: process.env[variable] ? false : `${variable} is not set` };
}

async function checkChat(model: LanguageModel): Promise<void> {
  const result = await model.generate(question);
  assert.ok(result.content.some((part) => part.type === 'text' && part.text.length > 0));
  assert.ok(result.usage.inputTokens > 0);
  const { stream } = await model.stream(question);
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  assert.equal(parts.at(-1)?.type, 'finish', JSON.stringify(parts.at(-1)));
  const called = await model.generate({ ...question, ...tools, maxOutputTokens: 200 });
  assert.ok(called.content.some((part) => part.type === 'tool-call' && part.toolName === 'get_rock_hardness'));
}

describe('OpenAI (live)', skipUnless('OPENAI_API_KEY'), () => {
  const modelId = process.env.OUTCROP_LIVE_OPENAI_MODEL ?? 'gpt-4.1-nano';
  it('chats through Chat Completions', async () => {
    const provider = createOpenAIProvider({ name: 'openai' });
    providers.push(provider);
    await checkChat(provider.languageModel!(modelId, capabilities));
  });
  it('chats through the Responses API', async () => {
    const provider = createOpenAIProvider({ name: 'openai', api: 'responses' });
    providers.push(provider);
    await checkChat(provider.languageModel!(modelId, capabilities));
  });
  it('embeds', async () => {
    const provider = createOpenAIProvider({ name: 'openai' });
    providers.push(provider);
    const { embeddings } = await provider.embeddingModel!('text-embedding-3-small').embed({ values: ['granite'] });
    assert.equal(embeddings[0]?.length, 1536);
  });
});

describe('Mistral (live)', skipUnless('MISTRAL_API_KEY'), () => {
  it('chats and embeds', async () => {
    const provider = createMistralProvider({ name: 'mistral' });
    providers.push(provider);
    await checkChat(provider.languageModel!(process.env.OUTCROP_LIVE_MISTRAL_MODEL ?? 'mistral-small-latest', capabilities));
    const { embeddings } = await provider.embeddingModel!('mistral-embed').embed({ values: ['granite'] });
    assert.equal(embeddings[0]?.length, 1024);
  });
});

describe('Cohere (live)', skipUnless('CO_API_KEY'), () => {
  it('chats, embeds and reranks', async () => {
    const provider = createCohereProvider({ name: 'cohere' });
    providers.push(provider);
    await checkChat(provider.languageModel!(process.env.OUTCROP_LIVE_COHERE_MODEL ?? 'command-r7b-12-2024', capabilities));
    const { embeddings } = await provider.embeddingModel!('embed-english-v3.0').embed({ values: ['granite', 'basalt'], purpose: 'document' });
    assert.equal(embeddings.length, 2);
    const { results } = await provider.rerankingModel!('rerank-v3.5').rerank({ query: 'igneous rock', documents: ['Shale is sedimentary.', 'Granite is igneous.'], topN: 1 });
    assert.equal(results[0]?.index, 1);
  });
});
