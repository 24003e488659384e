import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillPlaceholders, renderPromptTemplate } from './prompt-template.js';

describe('renderPromptTemplate', () => {
  it('reads Bedrock message-API templates and fills placeholders after parsing', () => {
    const template = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', system: 'Tools: $tools$', messages: [{ role: 'user', content: '$question$' }, { role: 'assistant', content: [{ type: 'text', text: 'Thinking about $question$' }] }] });
    assert.deepEqual(renderPromptTemplate(template, { tools: '[]', question: 'say "hi"\n' }), [
      { role: 'system', content: [{ type: 'text', text: 'Tools: []' }] },
      { role: 'user', content: [{ type: 'text', text: 'say "hi"' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Thinking about say "hi"' }] },
    ]);
  });

  it('accepts raw line breaks inside the JSON strings', () => {
    const messages = renderPromptTemplate('{\n  "system": "Line one\n\tLine two",\n  "messages": [{"role": "user", "content": "$question$"}]\n}', { question: 'q' });
    assert.equal(messages[0]?.content[0]?.type === 'text' && messages[0].content[0].text, 'Line one\n\tLine two');
    assert.equal(messages.length, 2);
  });

  it('treats any other template as one user message, unknown placeholders empty', () => {
    assert.deepEqual(renderPromptTemplate('Q: $question$ $unknown$', { question: 'why?' }), [{ role: 'user', content: [{ type: 'text', text: 'Q: why?' }] }]);
    assert.deepEqual(renderPromptTemplate('{ not json: $question$', { question: 'x' }), [{ role: 'user', content: [{ type: 'text', text: '{ not json: x' }] }]);
  });

  it('adds the question as a user turn when the template has none', () => {
    assert.deepEqual(renderPromptTemplate('{"system": "Only a system prompt."}', { question: 'hello' }), [
      { role: 'system', content: [{ type: 'text', text: 'Only a system prompt.' }] },
      { role: 'user', content: [{ type: 'text', text: 'hello' }] },
    ]);
  });
});

describe('fillPlaceholders', () => {
  it('does not re-expand placeholders inside values', () => {
    assert.equal(fillPlaceholders('$a$ $b$', { a: '$b$', b: 'B' }), '$b$ B');
  });
});
