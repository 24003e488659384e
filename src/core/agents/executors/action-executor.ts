import type { FunctionDefinition } from '../agent-definition.js';

/**
 * The executor contract: how the orchestration runs one action-group invocation. Shapes are
 * Bedrock's own (the `apiInvocationInput` / `functionInvocationInput` of a `returnControl` event and
 * the Lambda input event), so a call can go to a Lambda-style handler, a worker, an MCP server or
 * back to the application without translation.
 */

/** One parameter as Bedrock passes it: values are always strings (`"42"`, `"true"`, `"[1,2]"`). */
export interface ActionParameter {
  name: string;
  /** the schema type: `string`, `number`, `integer`, `boolean`, `array` (OpenAPI groups may add `object`) */
  type: string;
  value: string;
}

/** A call to an operation of an OpenAPI-schema action group. */
export interface ApiActionInvocation {
  kind: 'api';
  actionGroup: string;
  /** the OpenAPI path as written in the schema (`/orders/{orderId}`) */
  apiPath: string;
  /** upper case, as Bedrock sends it (`GET`, `POST`) */
  httpMethod: string;
  /** path, query and header parameters */
  parameters: ActionParameter[];
  /** the request body's properties per content type, e.g. `{ content: { 'application/json': { properties: [...] } } }` */
  requestBody?: { content: Record<string, { properties: ActionParameter[] }> };
}

/** A call to a function of a function-schema action group. */
export interface FunctionActionInvocation {
  kind: 'function';
  actionGroup: string;
  function: string;
  parameters: ActionParameter[];
}

export type ActionInvocation = ApiActionInvocation | FunctionActionInvocation;

/** The session around an invocation: what Bedrock's Lambda input event carries besides the call. */
export interface ActionSessionContext {
  messageVersion: '1.0';
  sessionId: string;
  /** the user's input of this turn */
  inputText: string;
  agent: { name: string; id: string; alias: string; version: string };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

export interface ActionExecutionRequest {
  invocation: ActionInvocation;
  session: ActionSessionContext;
  /** aborted when the client leaves or the session ends */
  abortSignal?: AbortSignal;
  /** overrides the executor's configured timeout for this call */
  timeoutMs?: number;
}

/** Bedrock's `knowledgeBasesConfiguration` entry a handler may return for later retrievals. */
export interface ReturnedKnowledgeBaseConfiguration {
  knowledgeBaseId: string;
  retrievalConfiguration: Record<string, unknown>;
}

/** What a handler answered, in Bedrock's Lambda response terms. */
export interface ActionExecutionResult {
  /**
   * The response text per content type: `{ 'application/json': { body: '...' } }` for OpenAPI
   * groups, `{ TEXT: { body: '...' } }` for function groups. The body is the text the model sees.
   */
  responseBody: Record<string, { body: string }>;
  /** OpenAPI groups: the status the handler reported (200 when it said none) */
  httpStatusCode?: number;
  /** function groups: `FAILURE` ends the turn with a failure, `REPROMPT` hands the answer back to the model */
  responseState?: 'FAILURE' | 'REPROMPT';
  /** replaces the session attributes when present */
  sessionAttributes?: Record<string, string>;
  /** replaces the prompt session attributes when present */
  promptSessionAttributes?: Record<string, string>;
  knowledgeBasesConfiguration?: ReturnedKnowledgeBaseConfiguration[];
}

/** Runs the invocations of one action group. */
export interface ActionExecutor {
  /** `lambda-http`, `worker-module` or `mcp`: for traces and logs */
  readonly type: string;
  /**
   * Runs one invocation. Throws an {@link ActionExecutionError} (never anything else) when the
   * handler cannot be reached, times out, fails or answers something that is not Bedrock's
   * response format; the orchestration reports its message in the trace and the session goes on.
   */
  invoke(request: ActionExecutionRequest): Promise<ActionExecutionResult>;
  /**
   * The functions this executor offers, for groups whose definition carries no schema of its own
   * (an MCP server's tools). Absent for Lambda-style executors, whose group declares its schema.
   */
  listFunctions?(options?: { abortSignal?: AbortSignal }): Promise<FunctionDefinition[]>;
  /** Releases connections, child processes and workers. Safe to call twice. */
  close(): Promise<void>;
}

/** Why an invocation failed. */
export type ActionExecutionFailure =
  /** no executor is configured for the group's Lambda ARN */
  | 'not-configured'
  /** the handler did not answer within the timeout (the worker was terminated) */
  | 'timeout'
  /** the answer was not Bedrock's Lambda response format, or not JSON at all */
  | 'malformed-response'
  /** the outbound HTTP policy refused the URL or an address it resolves to */
  | 'refused-address'
  /** the handler could not be reached (connection refused, DNS failure, non-2xx status, process exited) */
  | 'unreachable'
  /** the handler threw, or reported an error */
  | 'handler-error'
  /** the caller aborted */
  | 'aborted';

const marker = Symbol.for('outcrop.action-execution-error');

/**
 * A failed invocation. The message is written for a trace's failure reason and names the action
 * group and what went wrong (`Action group 'orders': http://svc/invoke did not answer within 5000 ms.`).
 *
 * @example
 * throw new ActionExecutionError('timeout', "Action group 'orders': the handler did not answer within 5000 ms.");
 */
export class ActionExecutionError extends Error {
  readonly [marker] = true;

  constructor(
    readonly reason: ActionExecutionFailure,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ActionExecutionError';
  }

  /** Works across copies of this module, unlike `instanceof`. */
  static isInstance(value: unknown): value is ActionExecutionError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
