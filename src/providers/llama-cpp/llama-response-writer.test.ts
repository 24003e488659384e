import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamPart } from '../../core/inference/language-model.js';
import { JsonValueScanner, LlamaResponseWriter } from './llama-response-writer.js';

function record(forced: string | null | undefined): { parts: StreamPart[]; writer: LlamaResponseWriter } {
  const parts: StreamPart[] = [];
  return { parts, writer: new LlamaResponseWriter((part) => parts.push(part), forced) };
}

const usage = { inputTokens: 3, outputTokens: 2 };

describe('JsonValueScanner', () => {
  it('finds the end of an object across pieces, ignoring braces inside strings', () => {
    const scanner = new JsonValueScanner();
    assert.equal(scanner.take('{"a": "}{\\"'), '{"a": "}{\\"');
    assert.equal(scanner.done, false);
    assert.equal(scanner.take('", "b": [1, {}]}\n\n\n\n'), '", "b": [1, {}]}');
    assert.equal(scanner.done, true);
    assert.equal(scanner.take('more'), '');
  });

  it('ends a top-level number at its delimiter', () => {
    const scanner = new JsonValueScanner();
    assert.equal(scanner.take(' 12'), ' 12');
    assert.equal(scanner.take('3}'), '3');
    assert.equal(scanner.done, true);
  });
});

describe('LlamaResponseWriter', () => {
  it('writes structured output as text holding only the JSON value, without the whitespace around it', () => {
    const parts: StreamPart[] = [];
    const writer = new LlamaResponseWriter((part) => parts.push(part), undefined, true);
    for (const piece of ['\n ', ' {"rock"', ': "gra', 'nite"}', '\n\n', ' ']) writer.text(piece);
    writer.finish('stop', usage);
    assert.deepEqual(parts, [
      { type: 'text-start', id: 'text' },
      { type: 'text-delta', id: 'text', delta: '{"rock"' },
      { type: 'text-delta', id: 'text', delta: ': "gra' },
      { type: 'text-delta', id: 'text', delta: 'nite"}' },
      { type: 'text-end', id: 'text' },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
  });

  it('opens text and reasoning blocks as the model switches between them', () => {
    const { parts, writer } = record(undefined);
    writer.reasoning('Hmm', false);
    writer.reasoning('', true);
    writer.text('Granite');
    writer.text('.');
    writer.finish('stop', usage);
    assert.deepEqual(
      parts.map((part) => part.type),
      ['reasoning-start', 'reasoning-delta', 'reasoning-end', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish'],
    );
  });

  it('streams a named forced call as that tool input, without the grammar trailing newlines', () => {
    const { parts, writer } = record('get_weather');
    for (const piece of ['{"ci', 'ty": "Oslo"', '}', '\n\n', '\n\n']) writer.text(piece);
    writer.finish('tool-calls', usage);
    assert.equal(parts[0]?.type, 'tool-input-start');
    assert.equal(parts[0]?.type === 'tool-input-start' && parts[0].toolName, 'get_weather');
    const input = parts.flatMap((part) => (part.type === 'tool-input-delta' ? [part.delta] : [])).join('');
    assert.equal(input, '{"city": "Oslo"}');
    assert.deepEqual(writer.forcedCall && { name: writer.forcedCall.name, input: JSON.parse(writer.forcedCall.input) }, { name: 'get_weather', input: { city: 'Oslo' } });
    assert.equal(writer.forcedComplete, true);
    assert.deepEqual(
      parts.slice(-2).map((part) => part.type),
      ['tool-input-end', 'finish'],
    );
  });

  it('reads the tool name from the envelope, then streams only the input', () => {
    const { parts, writer } = record(null);
    for (const piece of ['{ "name', '": "get_', 'rock", "input"', ': {"rock": "granite"}', '}\n\n\n\n']) writer.text(piece);
    writer.finish('tool-calls', usage);
    const start = parts.find((part) => part.type === 'tool-input-start');
    assert.equal(start?.type === 'tool-input-start' && start.toolName, 'get_rock');
    assert.equal(parts.flatMap((part) => (part.type === 'tool-input-delta' ? [part.delta] : [])).join(''), '{"rock": "granite"}');
  });

  it('reports an input cut off by the token limit as incomplete', () => {
    const { writer } = record('f');
    writer.text('{"a": "unfinish');
    assert.equal(writer.forcedComplete, false);
  });

  it('turns auto-mode function call chunks into tool-input blocks, and completes unstreamed calls', () => {
    const { parts, writer } = record(undefined);
    writer.text('Let me check.');
    writer.functionCallChunk(0, 'get_rock', '{"rock":', false);
    writer.functionCallChunk(0, 'get_rock', '"granite"}', true);
    writer.completeFunctionCalls([
      { functionName: 'get_rock', params: { rock: 'granite' } },
      { functionName: 'get_weather', params: { city: 'Oslo' } },
    ]);
    assert.equal(writer.calledFunctions, 2);
    assert.deepEqual(
      parts.map((part) => part.type),
      ['text-start', 'text-delta', 'text-end', 'tool-input-start', 'tool-input-delta', 'tool-input-delta', 'tool-input-end', 'tool-input-start', 'tool-input-delta', 'tool-input-end'],
    );
    const ids = parts.flatMap((part) => (part.type === 'tool-input-start' ? [part.id] : []));
    for (const id of ids) assert.match(id, /^tooluse_[\w-]{22}$/);
    assert.notEqual(ids[0], ids[1]);
  });
});
