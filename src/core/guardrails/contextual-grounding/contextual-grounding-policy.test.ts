import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentenceEmbedder } from '../sentence-embedder.js';
import { groundingFindings, scoreGrounding } from './contextual-grounding-policy.js';

const source =
  'The Golden Gate Bridge opened to traffic on May 27, 1937. It spans 1,280 meters between San Francisco and Marin County. The bridge is painted a color called international orange.';
const query = 'When did the Golden Gate Bridge open and what color is it?';
// Static embeddings only (no model): fast, and the same ordering the encoder gives.
const embedder = new SentenceEmbedder(undefined);

describe('contextual grounding scores', () => {
  it('orders grounded > partly grounded > invented answers', async () => {
    const grounded = await scoreGrounding({ response: 'The bridge opened in 1937 and is painted international orange.', source, query, embedder });
    const partly = await scoreGrounding({ response: 'The bridge opened in 1937. It was designed by Leonardo da Vinci and cost 9 billion dollars.', source, query, embedder });
    const invented = await scoreGrounding({ response: 'Penguins migrate across Antarctica every winter in 1850.', source, query, embedder });
    assert.equal(grounded.encoder, 'fast');
    assert.ok(grounded.grounding > partly.grounding, `${grounded.grounding} > ${partly.grounding}`);
    assert.ok(partly.grounding > invented.grounding, `${partly.grounding} > ${invented.grounding}`);
    assert.ok(grounded.grounding >= 0.7 && invented.grounding <= 0.3, JSON.stringify([grounded, invented]));
  });

  it('penalizes numbers the source does not contain', async () => {
    const right = await scoreGrounding({ response: 'The bridge opened in 1937.', source, query, embedder });
    const wrong = await scoreGrounding({ response: 'The bridge opened in 1952.', source, query, embedder });
    assert.ok(right.grounding > wrong.grounding + 0.2, JSON.stringify([right, wrong]));
  });

  it('orders relevant > off-topic answers', async () => {
    const relevant = await scoreGrounding({ response: 'It opened in 1937 and is international orange.', source, query, embedder });
    const offTopic = await scoreGrounding({ response: 'San Francisco has many good seafood restaurants.', source, query, embedder });
    assert.ok(relevant.relevance > offTopic.relevance, `${relevant.relevance} > ${offTopic.relevance}`);
  });

  it('catches a score under the threshold and reports every filter', () => {
    const { findings, blocked } = groundingFindings(
      [
        { type: 'GROUNDING', threshold: 0.6 },
        { type: 'RELEVANCE', threshold: 0.5, action: 'NONE' },
      ],
      { grounding: 0.4, relevance: 0.3 },
    );
    assert.equal(blocked, true);
    assert.deepEqual(findings, [
      { type: 'GROUNDING', threshold: 0.6, score: 0.4, action: 'BLOCKED', detected: true },
      { type: 'RELEVANCE', threshold: 0.5, score: 0.3, action: 'NONE', detected: true },
    ]);
    assert.equal(groundingFindings([{ type: 'GROUNDING', threshold: 0.6 }], { grounding: 0.9 }).findings[0]?.detected, false);
  });
});
