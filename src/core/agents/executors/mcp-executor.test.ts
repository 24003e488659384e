import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { ActionExecutionError, type ActionExecutionRequest, type ActionExecutor } from './action-executor.js';
import { createMcpExecutor } from './mcp-executor.js';
import { mcpToolsToFunctions, toMcpArguments } from './mcp-tool-functions.js';
import { createOutboundHttp } from './outbound-http.js';

const session: ActionExecutionRequest['session'] = {
  messageVersion: '1.0',
  sessionId: 's-1',
  inputText: 'hi',
  agent: { name: 'a', id: 'AGENT12345', alias: 'TSTALIASID', version: 'DRAFT' },
  sessionAttributes: {},
  promptSessionAttributes: {},
};

/** The tools both servers offer (the stdio one is written out from the same text). */
const registerTools = `
  server.registerTool('add.numbers', { description: 'Adds two numbers', inputSchema: { a: z.number().describe('first'), b: z.number(), scale: z.number().int().optional() } },
    async ({ a, b, scale }) => ({ content: [{ type: 'text', text: String((a + b) * (scale ?? 1)) }] }));
  server.registerTool('tag', { description: 'Joins tags', inputSchema: { tags: z.array(z.string()), options: z.object({ upper: z.boolean() }) } },
    async ({ tags, options }) => ({ content: [{ type: 'text', text: options.upper ? tags.join('+').toUpperCase() : tags.join('+') }] }));
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => ({ isError: true, content: [{ type: 'text', text: 'no luck' }] }));
  server.registerTool('sleep', { description: 'Sleeps', inputSchema: { ms: z.number() } }, async ({ ms }) => { await new Promise((r) => setTimeout(r, ms)); return { content: [{ type: 'text', text: 'awake' }] }; });
`;

function call(executor: ActionExecutor, name: string, parameters: { name: string; type: string; value: string }[], timeoutMs?: number) {
  return executor.invoke({ invocation: { kind: 'function', actionGroup: 'tools', function: name, parameters }, session, ...(timeoutMs ? { timeoutMs } : {}) });
}

async function exercise(executor: ActionExecutor) {
  const functions = await executor.listFunctions?.();
  assert.deepEqual(
    functions?.map((fn) => fn.name),
    ['add_numbers', 'tag', 'fail', 'sleep'],
  );
  assert.deepEqual(functions?.[0], {
    name: 'add_numbers',
    description: 'Adds two numbers',
    parameters: { a: { type: 'number', description: 'first', required: true }, b: { type: 'number', required: true }, scale: { type: 'integer', required: false } },
  });
  assert.equal(functions?.[1]?.parameters?.options?.type, 'string');
  const sum = await call(executor, 'add_numbers', [
    { name: 'a', type: 'number', value: '2' },
    { name: 'b', type: 'number', value: '3.5' },
    { name: 'scale', type: 'integer', value: '2' },
  ]);
  assert.deepEqual(sum, { responseBody: { TEXT: { body: '11' } } });
  const tags = await call(executor, 'tag', [
    { name: 'tags', type: 'array', value: '["a","b"]' },
    { name: 'options', type: 'string', value: '{"upper":true}' },
  ]);
  assert.equal(tags.responseBody.TEXT?.body, 'A+B');
  const failed = await call(executor, 'fail', []);
  assert.deepEqual(failed, { responseBody: { TEXT: { body: 'no luck' } }, responseState: 'FAILURE' });
  const slow = await call(executor, 'sleep', [{ name: 'ms', type: 'number', value: '2000' }], 200).catch((error: unknown) => error);
  assert.ok(ActionExecutionError.isInstance(slow));
  assert.equal(slow.reason, 'timeout');
  const missing = await call(executor, 'nope', []).catch((error: unknown) => error);
  assert.ok(ActionExecutionError.isInstance(missing));
  assert.match(missing.message, /has no tool named nope/);
}

describe('MCP executor', () => {
  let dir: string;
  let httpServer: Server;
  let url: string;
  const http = createOutboundHttp({ allowPrivateNetworks: true });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outcrop-mcp-'));
    const require = createRequire(import.meta.url);
    const sdk = (path: string) => pathToFileURL(require.resolve(`@modelcontextprotocol/sdk/${path}`)).href;
    await writeFile(
      join(dir, 'server.mjs'),
      `import { McpServer } from '${sdk('server/mcp.js')}';
import { StdioServerTransport } from '${sdk('server/stdio.js')}';
import { z } from '${pathToFileURL(require.resolve('zod')).href}';
const server = new McpServer({ name: 'test-tools', version: '1.0.0' });
${registerTools}
await server.connect(new StdioServerTransport());
`,
    );
    httpServer = createServer(async (request, response) => {
      const server = new McpServer({ name: 'test-tools', version: '1.0.0' });
      new Function('server', 'z', registerTools)(server, z);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request, response);
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
  });
  after(async () => {
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
    await http.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists and calls the tools of a stdio server', async () => {
    const executor = createMcpExecutor({ server: { command: process.execPath, args: [join(dir, 'server.mjs')] }, timeoutMs: 20_000, http });
    try {
      await exercise(executor);
    } finally {
      await executor.close();
    }
  });

  it('lists and calls the tools of a streamable HTTP server', async () => {
    const executor = createMcpExecutor({ server: { url }, timeoutMs: 20_000, http });
    try {
      await exercise(executor);
    } finally {
      await executor.close();
    }
  });

  it('refuses a loopback HTTP server unless allowed, and reports a command that fails', async () => {
    const strict = createOutboundHttp();
    try {
      const refused = await call(createMcpExecutor({ server: { url }, timeoutMs: 5000, http: strict }), 'tag', []).catch((error: unknown) => error);
      assert.ok(ActionExecutionError.isInstance(refused));
      assert.equal(refused.reason, 'refused-address');
    } finally {
      await strict.close();
    }
    const broken = createMcpExecutor({ server: { command: process.execPath, args: ['-e', 'process.exit(3)'] }, timeoutMs: 5000, http });
    const error = await call(broken, 'tag', []).catch((caught: unknown) => caught);
    assert.ok(ActionExecutionError.isInstance(error));
    assert.equal(error.reason, 'unreachable');
    await broken.close();
  });

  it('names clashing tools apart and reads values by JSON type', () => {
    const functions = mcpToolsToFunctions([
      { name: 'a.b', inputSchema: { type: 'object' } },
      { name: 'a-b', inputSchema: { type: 'object' } },
      { name: 'a/b', inputSchema: { type: 'object' } },
    ]);
    assert.deepEqual(
      functions.map((fn) => fn.definition.name),
      ['a_b', 'a-b', 'a_b_2'],
    );
    assert.deepEqual(
      toMcpArguments(
        [
          { name: 'n', type: 'number', value: 'x' },
          { name: 'flag', type: 'boolean', value: 'true' },
          { name: 'list', type: 'array', value: 'a, b' },
        ],
        { n: 'number', flag: 'boolean', list: 'array' },
      ),
      { n: 'x', flag: true, list: ['a', 'b'] },
    );
  });
});
