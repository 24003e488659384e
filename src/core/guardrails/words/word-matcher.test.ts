import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompiledWordPolicy } from './word-policy.js';
import { compileWordPolicy, evaluateWords } from './word-policy.js';
import { createWordMatcher } from './word-matcher.js';

describe('word matcher', () => {
  const matcher = createWordMatcher(['ass', 'Project Nightingale', 'f*ck', 'c++']);

  it('matches whole words only, whatever the case', () => {
    assert.deepEqual(matcher.find('What an ASS.'), ['ass']);
    assert.deepEqual(matcher.find('a classic class assessment'), []);
    assert.deepEqual(matcher.find('bass and grass'), []);
  });

  it('matches phrases across any whitespace and reports the listed spelling once', () => {
    assert.deepEqual(matcher.find('about project\n  NIGHTINGALE and Project Nightingale again'), ['Project Nightingale']);
  });

  it('treats punctuation inside an entry literally', () => {
    assert.deepEqual(matcher.find('oh f*ck, I wrote c++ code'), ['f*ck', 'c++']);
    assert.deepEqual(matcher.find('fuck'), []);
  });

  it('respects non-Latin word boundaries', () => {
    const cyrillic = createWordMatcher(['кот']);
    assert.deepEqual(cyrillic.find('мой кот спит'), ['кот']);
    assert.deepEqual(cyrillic.find('котенок'), []);
  });
});

describe('word policy', () => {
  let policy: CompiledWordPolicy;

  it('blocks custom words and managed profanity, reports NONE-action words without blocking', async () => {
    policy = await compileWordPolicy({
      words: [{ text: 'rival corp' }, { text: 'codename', inputAction: 'NONE', outputAction: 'BLOCK' }],
      managedWordLists: [{ type: 'PROFANITY' }],
    });
    const input = evaluateWords(policy, 'Our codename is secret', 'INPUT');
    assert.deepEqual(input.customWords, [{ match: 'codename', action: 'NONE', detected: true }]);
    assert.equal(input.blocked, false);
    assert.equal(evaluateWords(policy, 'Our codename is secret', 'OUTPUT').blocked, true);
    const profane = evaluateWords(policy, 'well shit, Rival Corp won', 'INPUT');
    assert.deepEqual(profane.managedWordLists, [{ match: 'shit', type: 'PROFANITY', action: 'BLOCKED', detected: true }]);
    assert.deepEqual(profane.customWords, [{ match: 'rival corp', action: 'BLOCKED', detected: true }]);
    assert.equal(evaluateWords(policy, 'The Scunthorpe assessment passed.', 'INPUT').blocked, false);
  });

  it('skips a direction that is disabled', async () => {
    const disabled = await compileWordPolicy({ words: [{ text: 'secret', inputEnabled: false }], managedWordLists: [{ type: 'PROFANITY', outputEnabled: false }] });
    const input = evaluateWords(disabled, 'secret damn', 'INPUT');
    assert.deepEqual(input.customWords, []);
    assert.deepEqual(input.managedWordLists.map((finding) => finding.match), ['damn']);
    assert.equal(evaluateWords(disabled, 'secret', 'OUTPUT').blocked, true);
    assert.equal(evaluateWords(disabled, 'damn', 'OUTPUT').blocked, false);
  });
});
