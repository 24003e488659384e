import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FunctionDefinition } from '../agent-definition.js';
import type { ActionExecutionRequest, ActionExecutionResult, ActionExecutor } from './action-executor.js';
import { ActionExecutionError } from './action-executor.js';
import type { McpServerEndpoint } from './executor-options.js';
import { type McpFunction, mcpToolsToFunctions, toMcpArguments } from './mcp-tool-functions.js';
import { type OutboundHttp, OutboundRefusedError } from './outbound-http.js';
import { runWithDeadline } from './run-with-deadline.js';

export interface McpExecutorOptions {
  server: McpServerEndpoint;
  timeoutMs: number;
  /** the outbound policy a streamable HTTP server is reached through */
  http: OutboundHttp;
  /** the client name announced to the server */
  clientName?: string;
}

interface Connection {
  client: Client;
  functions: Promise<McpFunction[]>;
}

/**
 * An action group served by an MCP server (stdio command or streamable HTTP URL): its tools are the
 * group's functions (see {@link mcpToolsToFunctions}; `listFunctions` returns them), a function
 * invocation becomes `tools/call` with the parameters read back as JSON, and the tool's text content
 * is the response body (`isError` → `FAILURE`). One connection is opened on first use and kept; a
 * dropped one is reopened on the next call.
 *
 * @example
 * const executor = createMcpExecutor({ server: { command: 'node', args: ['server.mjs'] }, timeoutMs: 30_000, http });
 * const functions = await executor.listFunctions?.();
 */
export function createMcpExecutor(options: McpExecutorOptions): ActionExecutor {
  const where = 'url' in options.server ? options.server.url : [options.server.command, ...(options.server.args ?? [])].join(' ');
  let connection: Promise<Connection> | undefined;

  async function open(): Promise<Connection> {
    const client = new Client({ name: options.clientName ?? 'outcrop-agent', version: '1.0.0' });
    const server = options.server;
    let transport: StdioClientTransport | StreamableHTTPClientTransport;
    if ('url' in server) {
      const url = new URL(server.url);
      const refusal = options.http.refusal(url);
      if (refusal) throw new OutboundRefusedError(`${url.href} was refused: ${refusal}.`);
      transport = new StreamableHTTPClientTransport(url, { fetch: options.http.fetch, requestInit: { headers: server.headers ?? {}, redirect: 'manual' } });
    } else {
      transport = new StdioClientTransport({
        command: server.command,
        args: server.args ?? [],
        env: { ...getDefaultEnvironment(), ...server.env },
        ...(server.cwd ? { cwd: server.cwd } : {}),
        stderr: 'ignore',
      });
    }
    client.onclose = () => {
      connection = undefined;
    };
    await client.connect(transport, { timeout: options.timeoutMs });
    const functions = listAllTools(client, options.timeoutMs).then(mcpToolsToFunctions);
    functions.catch(() => {});
    return { client, functions };
  }

  function connect(who: string): Promise<Connection> {
    if (!connection) {
      connection = open().catch((error: unknown) => {
        connection = undefined;
        if (OutboundRefusedError.isInstance(error)) throw new ActionExecutionError('refused-address', `${who}: ${error.message}`, { cause: error });
        throw new ActionExecutionError('unreachable', `${who}: the MCP server ${where} could not be started or reached: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      });
    }
    return connection;
  }

  return {
    type: 'mcp',
    async listFunctions(listOptions = {}): Promise<FunctionDefinition[]> {
      const who = `MCP server ${where}`;
      return runWithDeadline({ who, what: where, timeoutMs: options.timeoutMs, ...(listOptions.abortSignal ? { abortSignal: listOptions.abortSignal } : {}) }, async () => {
        const { functions } = await connect(who);
        return (await functions).map((entry) => entry.definition);
      });
    },
    async invoke(request: ActionExecutionRequest): Promise<ActionExecutionResult> {
      const { invocation } = request;
      const who = `Action group '${invocation.actionGroup}'`;
      if (invocation.kind !== 'function') {
        throw new ActionExecutionError('handler-error', `${who}: the MCP server ${where} serves functions; ${invocation.httpMethod} ${invocation.apiPath} is an OpenAPI operation.`);
      }
      const timeoutMs = request.timeoutMs ?? options.timeoutMs;
      return runWithDeadline({ who, what: `the MCP server ${where}`, timeoutMs, ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}) }, async (signal) => {
        const { client, functions } = await connect(who);
        const tool = (await functions).find((entry) => entry.definition.name === invocation.function || entry.toolName === invocation.function);
        if (!tool) throw new ActionExecutionError('handler-error', `${who}: the MCP server ${where} has no tool named ${invocation.function}.`);
        const result = await client.callTool({ name: tool.toolName, arguments: toMcpArguments(invocation.parameters, tool.parameterTypes) }, undefined, { signal, timeout: timeoutMs });
        const body = toolResultText(result as { content?: unknown; structuredContent?: unknown; toolResult?: unknown });
        return { responseBody: { TEXT: { body } }, ...(result.isError ? { responseState: 'FAILURE' as const } : {}) };
      });
    },
    async close() {
      const current = connection;
      connection = undefined;
      if (current) await (await current.catch(() => undefined))?.client.close();
    },
  };
}

async function listAllTools(client: Client, timeoutMs: number) {
  const tools = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** The text the model sees: text content joined, else the structured content as JSON. */
function toolResultText(result: { content?: unknown; structuredContent?: unknown; toolResult?: unknown }): string {
  const parts: string[] = [];
  for (const item of Array.isArray(result.content) ? (result.content as Record<string, unknown>[]) : []) {
    if (item.type === 'text' && typeof item.text === 'string') parts.push(item.text);
    else if (item.type === 'resource' && typeof (item.resource as { text?: unknown })?.text === 'string') parts.push((item.resource as { text: string }).text);
    else if (item.type === 'resource_link') parts.push(`[resource ${String(item.uri)}]`);
    else parts.push(`[${String(item.type)} content omitted]`);
  }
  if (parts.length > 0) return parts.join('\n');
  if (result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  if (result.toolResult !== undefined) return JSON.stringify(result.toolResult);
  return '';
}
