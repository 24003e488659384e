import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { contentWords } from '../contextual-grounding/lexical-support.js';
import { guardrailDataDirectory, readGuardrailData } from '../guardrail-data-files.js';
import { loadStaticSentenceEncoder } from '../static-sentence-encoder.js';
import { screenedTopic, screenScore, TopicScreen } from './topic-screen.js';

describe('topic screen', () => {
  it('gives every topic exactly the score screenScore gives it, words or no words', async () => {
    const fast = await loadStaticSentenceEncoder();
    const topics = [
      ['Advice on which stocks or funds to buy.', 'Which stock should I buy?', 'Is this fund a good investment?'],
      ['Medical diagnosis of symptoms.', 'Do I have the flu?'],
      ['Questions about the weather and forecasts.'],
    ].map((texts) => screenedTopic(texts, fast));
    const screen = new TopicScreen(topics);
    const units = ['Which stock should I buy now?', 'My fever and cough started yesterday, is it the flu?', 'the and of', '', 'Stocks stocks STOCKS fund funds', 'Nice weather for a walk.'];
    const scores = new Float64Array(screen.size);
    for (const unit of units) {
      const vector = fast.encode(unit);
      const words = contentWords(unit);
      screen.scores(vector, words, scores);
      topics.forEach((topic, index) => {
        assert.equal(scores[index], screenScore(vector, words, topic), `${unit} / topic ${index}`);
      });
    }
  });

  it('agrees with screenScore on the shipped topics and labeled texts', async () => {
    const fast = await loadStaticSentenceEncoder();
    const topics = (await readGuardrailData<Array<{ definition: string; examples: string[] }>>('denied-topics/topics.json')).map((topic) => screenedTopic([topic.definition, ...topic.examples], fast));
    const texts = readFileSync(new URL('content-filters/heldout.jsonl', guardrailDataDirectory), 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 300)
      .map((line) => (JSON.parse(line) as { text: string }).text);
    const screen = new TopicScreen(topics);
    const scores = new Float64Array(screen.size);
    for (const text of texts) {
      const vector = fast.encode(text);
      const words = contentWords(text);
      screen.scores(vector, words, scores);
      assert.deepEqual([...scores], topics.map((topic) => screenScore(vector, words, topic)), text);
    }
  });
});
