import type { AgentActionGroupDefinition, FunctionDefinition } from '../agent-definition.js';
import type { LambdaInputEvent } from '../executors/lambda-event.js';
import type { AgentOutputFile, RetrievedReference } from './agent-events.js';

/** `{ name, type, value }` as Bedrock passes action parameters (values as text). */
export type { ActionParameter } from '../executors/action-executor.js';

/**
 * One action to run: the fields of Bedrock's Lambda input event (less `messageVersion`), for an
 * OpenAPI operation (`apiPath`, `httpMethod`, `parameters`, `requestBody`) or a function
 * (`function`, `parameters`).
 */
export interface ActionRequest extends Omit<LambdaInputEvent, 'messageVersion' | 'actionGroup'> {
  actionGroup: AgentActionGroupDefinition;
}

/** What the action answered (Bedrock's Lambda response, read). */
export interface ActionResponse {
  /** the response body text given to the model */
  text: string;
  /** `FAILURE` or `REPROMPT` when the function said so */
  responseState?: 'FAILURE' | 'REPROMPT';
  httpStatusCode?: number;
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
}

/**
 * Runs action groups whose executor is a Lambda function ARN (served over HTTP, a Node module or an
 * MCP server, as the operator configured it). Errors, timeouts and malformed responses reject with
 * an `Error` whose message names the problem; the orchestration reports it to the model and in the
 * trace, and the session goes on.
 */
export interface ActionInvoker {
  invoke(request: ActionRequest, signal: AbortSignal): Promise<ActionResponse>;
  /**
   * Whether the executor configured for a Lambda ARN declares its own functions (an MCP server's
   * tools), so an action group naming it may come without an apiSchema or functionSchema.
   */
  listsFunctions?(lambdaArn: string): boolean;
  /**
   * The functions that executor offers, for such a group: the orchestration offers them to the model
   * as the group's function schema. Rejects with an `Error` naming the problem.
   */
  listFunctions?(lambdaArn: string, signal: AbortSignal): Promise<FunctionDefinition[]>;
}

/** Input files for the code interpreter (`sessionState.files` with useCase CODE_INTERPRETER). */
export interface CodeInputFile {
  name: string;
  mediaType: string;
  data: Uint8Array;
}

export interface CodeRunResult {
  output: string;
  error?: string;
  timedOut: boolean;
  files: AgentOutputFile[];
}

/** The `AMAZON.CodeInterpreter` sandbox: runs Python, files in and out. */
export interface CodeRunner {
  run(request: { code: string; files: CodeInputFile[]; sessionId: string }, signal: AbortSignal): Promise<CodeRunResult>;
}

/** Knowledge-base retrieval as a tool: the best references for a query. */
export interface KnowledgeSearch {
  search(request: { knowledgeBaseId: string; text: string; retrievalConfiguration?: Record<string, unknown> }, signal: AbortSignal): Promise<RetrievedReference[]>;
}
