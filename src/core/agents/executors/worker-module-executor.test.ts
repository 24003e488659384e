import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ActionExecutionError, type ActionExecutionRequest } from './action-executor.js';
import { createWorkerModuleExecutor } from './worker-module-executor.js';

const request: ActionExecutionRequest = {
  invocation: { kind: 'function', actionGroup: 'calc', function: 'add', parameters: [{ name: 'a', type: 'number', value: '2' }, { name: 'b', type: 'number', value: '40' }] },
  session: { messageVersion: '1.0', sessionId: 's-1', inputText: 'add', agent: { name: 'a', id: 'AGENT12345', alias: 'TSTALIASID', version: 'DRAFT' }, sessionAttributes: { n: '1' }, promptSessionAttributes: {} },
};

describe('Node module executor (worker thread)', () => {
  let dir: string;
  const modules: Record<string, string> = {
    'add.mjs': `export async function handler(event, context) {
      const sum = event.parameters.reduce((total, p) => total + Number(p.value), 0);
      return { messageVersion: '1.0', response: { actionGroup: event.actionGroup, function: event.function,
        functionResponse: { responseBody: { TEXT: { body: JSON.stringify({ sum, session: event.sessionId, fn: context.functionName, left: context.getRemainingTimeInMillis() > 0 }) } } } },
        sessionAttributes: { ...event.sessionAttributes, last: String(sum) } };
    }`,
    'callback.cjs': `exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { response: { functionResponse: { responseBody: { TEXT: { body: 'cb:' + event.function } } } } }), 5); };`,
    'loop.mjs': 'export async function handler() { for (;;) {} }',
    'throws.mjs': 'export async function handler() { throw new RangeError("amount must be positive"); }',
    'hog.mjs': 'export async function handler() { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); }',
    'malformed.mjs': 'export async function handler() { return { hello: "world" }; }',
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outcrop-worker-'));
    for (const [name, source] of Object.entries(modules)) await writeFile(join(dir, name), source);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const executor = (name: string, options: { timeoutMs?: number; memoryMb?: number } = {}) =>
    createWorkerModuleExecutor({ module: join(dir, name), timeoutMs: options.timeoutMs ?? 10_000, functionName: 'calc-fn', ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}) });

  async function failure(name: string, options: { timeoutMs?: number; memoryMb?: number } = {}) {
    const error = await executor(name, options).invoke(request).then(() => assert.fail('expected a failure'), (caught: unknown) => caught);
    assert.ok(ActionExecutionError.isInstance(error), String(error));
    return error;
  }

  it('runs the handler with the Lambda event and context', async () => {
    const result = await executor('add.mjs').invoke(request);
    assert.deepEqual(JSON.parse(result.responseBody.TEXT?.body ?? ''), { sum: 42, session: 's-1', fn: 'calc-fn', left: true });
    assert.deepEqual(result.sessionAttributes, { n: '1', last: '42' });
  });

  it('supports callback-style handlers', async () => {
    const result = await executor('callback.cjs').invoke(request);
    assert.equal(result.responseBody.TEXT?.body, 'cb:add');
  });

  it('stops a handler that overruns its timeout', async () => {
    const started = Date.now();
    const error = await failure('loop.mjs', { timeoutMs: 300 });
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /did not finish within 300 ms and was stopped/);
    assert.ok(Date.now() - started < 5000);
  });

  it('reports a throwing handler, a memory hog and a malformed answer', async () => {
    const thrown = await failure('throws.mjs');
    assert.equal(thrown.reason, 'handler-error');
    assert.match(thrown.message, /RangeError: amount must be positive/);
    const hog = await failure('hog.mjs', { memoryMb: 32, timeoutMs: 20_000 });
    assert.equal(hog.reason, 'handler-error');
    assert.match(hog.message, /ran out of memory \(limit 32 MB\)/);
    const malformed = await failure('malformed.mjs');
    assert.equal(malformed.reason, 'malformed-response');
    assert.match(malformed.message, /response: /);
  });
});
