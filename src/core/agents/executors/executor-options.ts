import type { OutboundHttp } from './outbound-http.js';

/** An MCP server: a command started over stdio, or a streamable HTTP endpoint. */
export type McpServerEndpoint =
  | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; headers?: Record<string, string> };

/**
 * What runs a Lambda function that an action group names (`actionGroupExecutor.lambda`), keyed in
 * {@link ExecutorOptions.functions} by the function's ARN, or by its bare function name to match
 * every ARN of that name (any region, account or qualifier).
 */
export type FunctionEndpoint =
  /** POST Bedrock's Lambda input event to this URL; the answer is Bedrock's Lambda response */
  | { url: string; headers?: Record<string, string>; timeoutMs?: number }
  /** a Node module exporting the Lambda handler (`export async function handler(event)`), run in a worker thread */
  | { module: string; exportName?: string; timeoutMs?: number; memoryMb?: number }
  /** an MCP server whose tools are the group's functions */
  | { mcp: McpServerEndpoint; timeoutMs?: number };

export interface ExecutorOptions {
  /** Lambda function ARN (or bare function name) → what runs it */
  functions: Record<string, FunctionEndpoint>;
  /** the outbound HTTP policy that URL and MCP-over-HTTP executors send through */
  outboundHttp: OutboundHttp;
  /** timeout of one invocation when the endpoint sets none (default 30 s) */
  defaultTimeoutMs?: number;
}

/** Default time one invocation may take. */
export const defaultActionTimeoutMs = 30_000;

/**
 * The endpoint configured for a Lambda ARN: the exact ARN, then the ARN without its qualifier
 * (`:PROD`, `:3`), then the bare function name.
 *
 * @example
 * findFunctionEndpoint(functions, 'arn:aws:lambda:us-east-1:123456789012:function:orders:PROD')
 */
export function findFunctionEndpoint(functions: Record<string, FunctionEndpoint>, lambdaArn: string): FunctionEndpoint | undefined {
  const own = (key: string) => (Object.hasOwn(functions, key) ? functions[key] : undefined);
  const exact = own(lambdaArn);
  if (exact) return exact;
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(lambdaArn);
  if (!match) return undefined;
  const name = match[1] ?? '';
  return own(lambdaArn.split(':').slice(0, 7).join(':')) ?? own(name);
}
