import { z } from 'zod';

const headers = z.record(z.string(), z.string());
const timeoutMs = z.number().int().min(1).max(900_000);

const mcpServerSchema = z.union([
  z.object({ command: z.string().min(1), args: z.array(z.string()).default([]), env: z.record(z.string(), z.string()).optional(), cwd: z.string().optional() }).strict(),
  z.object({ url: z.string().url(), headers: headers.optional() }).strict(),
]);

/**
 * One entry of `agents.functions`: what runs a Lambda function an action group names. Exactly one of
 * `url` (Lambda-over-HTTP: Bedrock's input event POSTed as JSON), `module` (a Node module exporting
 * `handler`, run in a worker thread) or `mcp` (an MCP server whose tools are the group's functions).
 */
export const functionEndpointSchema = z.union([
  z.object({ url: z.string().url(), headers: headers.optional(), timeoutMs: timeoutMs.optional() }).strict(),
  z
    .object({ module: z.string().min(1), exportName: z.string().min(1).optional(), timeoutMs: timeoutMs.optional(), memoryMb: z.number().int().min(16).max(16_384).optional() })
    .strict(),
  z.object({ mcp: mcpServerSchema, timeoutMs: timeoutMs.optional() }).strict(),
]);

/**
 * `agents.functions`: Lambda function ARN (exact, or unqualified to match every qualifier) or bare
 * function name → its executor.
 *
 * @example
 * functions:
 *   arn:aws:lambda:us-east-1:123456789012:function:orders: { url: http://orders.internal:8080/invoke }
 *   weather: { module: ./handlers/weather.mjs, timeoutMs: 5000 }
 *   github: { mcp: { command: npx, args: [github-mcp-server] } }
 */
export const agentFunctionsSchema = z.record(z.string().min(1), functionEndpointSchema).default({});

/** `agents.outboundHttp`: where URL and MCP-over-HTTP executors may send requests. */
export const outboundHttpSchema = z
  .object({
    /** hosts, `*.domain` or URL prefixes; empty: any host with a public address */
    allowedUrls: z.array(z.string().min(1)).default([]),
    /** allow loopback, private and link-local addresses (e.g. handlers on localhost) */
    allowPrivateNetworks: z.boolean().default(false),
    /** private ranges allowed even so (`10.20.0.0/16`) */
    allowedCidrs: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a CIDR range such as 10.0.0.0/8')).default([]),
  })
  .prefault({});

/** `agents.codeInterpreter`: limits of the `AMAZON.CodeInterpreter` sandbox. */
export const codeInterpreterSchema = z
  .object({
    enabled: z.boolean().default(true),
    timeoutMs: timeoutMs.default(30_000),
    /** memory of one sandbox process, Pyodide's ~160 MB included */
    memoryMb: z.number().int().min(256).max(16_384).default(512),
    /** loaded sandboxes kept waiting (each ~160 MB), to hide Pyodide's cold start */
    warmSandboxes: z.number().int().min(0).max(16).default(1),
    maxConcurrentRuns: z.number().int().min(1).max(64).default(2),
  })
  .prefault({});
