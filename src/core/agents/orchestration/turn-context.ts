import type { LanguageModel, Message } from '../../inference/language-model.js';
import type { AgentDefinition } from '../agent-definition.js';
import type { RetrievedReference } from './agent-events.js';
import type { ActionInvoker, ActionParameter, ActionRequest, CodeInputFile, CodeRunner, KnowledgeSearch } from './agent-ports.js';
import type { TraceOrigin } from './agent-trace.js';
import type { AnswerStreamer } from './answer-streamer.js';

/** The executors a turn may call; a missing one makes its tools fail with a message naming it. */
export interface AgentPorts {
  actions?: ActionInvoker;
  code?: CodeRunner;
  knowledge?: KnowledgeSearch;
}

/** Everything one turn of one agent runs with. */
export interface TurnContext {
  definition: AgentDefinition;
  agentAliasId: string;
  /** this agent's alias ARN, for collaborators' caller chains */
  agentAliasArn?: string;
  sessionId: string;
  model: LanguageModel;
  /** the catalog lookup, for collaborators that use another model */
  resolveModel(foundationModel: string): LanguageModel;
  ports: AgentPorts;
  maxSteps: number;
  signal: AbortSignal;
  /** updated by action responses */
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
  /** files for the code interpreter */
  files: CodeInputFile[];
  /** per knowledge base retrieval overrides from `sessionState.knowledgeBaseConfigurations` */
  knowledgeBaseConfigurations: Map<string, Record<string, unknown>>;
  /** summaries of earlier sessions of the memoryId */
  memorySummaries: string[];
  origin: TraceOrigin;
  /** a prefix for this turn's trace ids */
  tracePrefix: string;
  /** `streamFinalResponse`: releases the final answer in chunks as the model writes it (top-level agent only) */
  answerStream?: AnswerStreamer;
}

/** A turn in progress: what survives a return of control to the application. */
export interface TurnState {
  inputText: string;
  /** earlier turns, then this turn's user message, model calls and tool results */
  messages: Message[];
  /** model calls made so far in this turn */
  step: number;
  /** knowledge-base references retrieved in this turn, for citations */
  references: RetrievedReference[];
}

/** An action call handed to the application (RETURN_CONTROL), awaiting its result. */
export interface PendingCall {
  toolCallId: string;
  toolName: string;
  actionGroup: string;
  function?: string;
  apiPath?: string;
  httpMethod?: string;
  parameters: ActionParameter[];
  requestBody?: ActionRequest['requestBody'];
  /** what the application is asked for: the result (RETURN_CONTROL), a confirmation, or both (default RESULT) */
  actionInvocationType?: 'RESULT' | 'USER_CONFIRMATION' | 'USER_CONFIRMATION_AND_RESULT';
  /** the model's tool input, to run the call once the user confirms it */
  input?: unknown;
}

/** How a turn ended. */
export type TurnOutcome =
  | { kind: 'answer'; text: string; references: RetrievedReference[]; /** already sent as chunks (streamFinalResponse) */ streamed?: boolean }
  | { kind: 'ask-user'; question: string }
  | { kind: 'return-control'; invocationId: string; state: TurnState; calls: PendingCall[]; completed: Message['content'] }
  | { kind: 'failed'; reason: string };
