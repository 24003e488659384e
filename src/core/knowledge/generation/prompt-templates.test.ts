import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGenerationPrompt } from './build-generation-prompt.js';
import { defaultGenerationPromptTemplate, formatSearchResults, renderPromptTemplate } from './prompt-templates.js';

describe('prompt templates', () => {
  it('replaces known placeholders only, and never reads $ patterns in values', () => {
    assert.equal(renderPromptTemplate('A $query$ B $other$ $query$', { query: "costs $& and $1 and $'" }), "A costs $& and $1 and $' B $other$ costs $& and $1 and $'");
  });

  it('numbers the search results from 1', () => {
    const formatted = formatSearchResults(['first', 'second']);
    assert.match(formatted, /<content>\nfirst\n<\/content>\n<source>1<\/source>/);
    assert.match(formatted, /<content>\nsecond\n<\/content>\n<source>2<\/source>/);
  });

  it('the default template is the system prompt, with results and format instructions; the question is the user turn', () => {
    assert.match(defaultGenerationPromptTemplate, /\$search_results\$/);
    const prompt = buildGenerationPrompt({ question: 'What is basalt?', results: [{ text: 'Basalt is volcanic.' }], history: [{ question: 'Hi', answer: 'Hello' }] });
    assert.deepEqual(
      prompt.map((message) => message.role),
      ['system', 'user', 'assistant', 'user'],
    );
    const system = prompt[0]?.content[0];
    assert.ok(system?.type === 'text' && system.text.includes('<source>1</source>') && system.text.includes('<answer_part>') && !system.text.includes('$'));
    assert.deepEqual(prompt[3]?.content, [{ type: 'text', text: 'What is basalt?' }]);
  });

  it('a template with $query$ becomes the last user turn', () => {
    const prompt = buildGenerationPrompt({ question: 'Why?', results: [{ text: 'Because.' }], history: [], template: 'Q: $query$\n$search_results$' });
    assert.equal(prompt.length, 1);
    const only = prompt[0]?.content[0];
    assert.ok(only?.type === 'text' && only.text.startsWith('Q: Why?\n<search_results>'));
  });
});
