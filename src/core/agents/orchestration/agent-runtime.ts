import { randomBytes } from 'node:crypto';
import { OutcropError } from '../../errors.js';
import type { Guardrails } from '../../guardrails/registry/guardrails.js';
import type { LanguageModel, Message, Part } from '../../inference/language-model.js';
import type { AgentDefinition } from '../agent-definition.js';
import { type AgentMemoryStore, InMemoryAgentMemoryStore } from '../sessions/agent-memory-store.js';
import { type AgentSession, type AgentSessionStore, type PendingReturnControl, sessionKey } from '../sessions/agent-session.js';
import { InMemorySessionStore } from '../sessions/in-memory-session-store.js';
import { summarizeSession } from '../sessions/summarize-session.js';
import type { AgentEvent } from './agent-events.js';
import { checkAgentGuardrail } from './agent-guardrail.js';
import type { CodeInputFile } from './agent-ports.js';
import { traceEvent, traceMetadata } from './agent-trace.js';
import { newTurnState, orchestrateTurn, runCollaborator } from './orchestrate-turn.js';
import { AnswerStreamer } from './answer-streamer.js';
import { postProcessingEnabled, runPostProcessing } from './post-processing.js';
import { preProcessingRejection, runPreProcessing } from './pre-processing.js';
import { promptSettings, summarizationPrompt, validatePromptOverrides } from './prompt-settings.js';
import { resumeApplicationResults } from './resume-application-results.js';
import { returnControlEvent } from './return-control.js';
import { classifyRoute } from './route-to-collaborator.js';
import type { AgentPorts, TurnContext, TurnOutcome, TurnState } from './turn-context.js';

export interface AgentRuntimeOptions {
  /** resolves a definition's `foundationModel` to a model (the catalog) */
  resolveModel(foundationModel: string): LanguageModel;
  guardrails?: Guardrails;
  sessions?: AgentSessionStore;
  memory?: AgentMemoryStore;
  ports?: AgentPorts;
  /** model calls one turn may make before it is stopped (default 10) */
  maxSteps?: number;
  /** how often expired sessions are swept and summarized (default 30 s; 0 disables the timer) */
  sweepIntervalMs?: number;
  now?: () => Date;
  /** told about failures that no client sees (summaries of expired sessions) */
  onBackgroundError?: (error: unknown, what: string) => void;
}

/** One InvokeAgent / InvokeInlineAgent call, neutral. */
export interface AgentInvocation {
  definition: AgentDefinition;
  agentAliasId: string;
  agentAliasArn?: string;
  sessionId: string;
  inputText: string;
  endSession: boolean;
  memoryId?: string;
  sessionState?: AgentSessionStateInput;
  /** `promptCreationConfigurations.previousConversationTurnsToInclude` */
  previousConversationTurnsToInclude?: number;
  /** Bedrock's `streamingConfigurations`: stream the final answer in chunks of about `applyGuardrailInterval` characters */
  streamingConfigurations?: { streamFinalResponse?: boolean; applyGuardrailInterval?: number };
  signal: AbortSignal;
}

/** Bedrock's `SessionState`, as read from the request. */
export interface AgentSessionStateInput {
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
  invocationId?: string;
  returnControlInvocationResults?: Array<Record<string, unknown>>;
  conversationHistory?: Message[];
  files?: CodeInputFile[];
  knowledgeBaseConfigurations?: Array<{ knowledgeBaseId: string; retrievalConfiguration: Record<string, unknown> }>;
}

const defaultMaxRecentSessions = 20;
const defaultStorageDays = 30;

/**
 * Runs agents: sessions (attributes, history, pending returns of control, idle TTL), SESSION_SUMMARY
 * memory, guardrails on input and answer, SUPERVISOR_ROUTER routing, the PRE_PROCESSING and
 * POST_PROCESSING steps, the orchestration turn, user confirmation of actions and streamed answers.
 * `invoke` yields the events of one call; the first one is produced only after the request has been
 * checked, so a bad request fails before the stream starts.
 *
 * @example
 * const runtime = new AgentRuntime({ resolveModel: (id) => catalog.resolve(id).model, guardrails });
 * for await (const event of runtime.invoke({ definition, agentAliasId: 'TSTALIASID', sessionId: 's1', inputText: 'hi', endSession: false, signal })) console.log(event);
 */
export class AgentRuntime {
  readonly sessions: AgentSessionStore;
  readonly memory: AgentMemoryStore;
  private readonly busy = new Set<string>();
  private readonly now: () => Date;
  private readonly maxSteps: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private background: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AgentRuntimeOptions) {
    this.sessions = options.sessions ?? new InMemorySessionStore();
    this.memory = options.memory ?? new InMemoryAgentMemoryStore();
    this.now = options.now ?? (() => new Date());
    this.maxSteps = options.maxSteps ?? 10;
    const interval = options.sweepIntervalMs ?? 30_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.sweep(), interval);
      this.timer.unref();
    }
  }

  /** Ends the sessions idle past their TTL, summarizing them into memory where enabled. */
  async sweep(): Promise<void> {
    const expired = this.sessions.takeExpired(this.now());
    for (const session of expired) {
      const expiry = new Date(session.lastActiveAt.getTime() + session.idleSessionTTLInSeconds * 1000);
      this.background = this.background.then(() => this.remember(session, expiry).catch((error) => this.options.onBackgroundError?.(error, 'session summary')));
    }
    await this.background;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Whether the executor configured for a Lambda ARN lists its own functions (an MCP server), so its action group may have no schema. */
  listsFunctions(lambdaArn: string): boolean {
    return this.options.ports?.actions?.listsFunctions?.(lambdaArn) ?? false;
  }

  async *invoke(invocation: AgentInvocation): AsyncGenerator<AgentEvent> {
    const { definition, sessionState } = invocation;
    const results = sessionState?.returnControlInvocationResults;
    if (!invocation.inputText && !results?.length && !invocation.endSession) {
      throw new OutcropError('ValidationException', 'inputText is required unless sessionState.returnControlInvocationResults is given.');
    }
    if (definition.orchestrationType === 'CUSTOM_ORCHESTRATION') {
      throw new OutcropError('ValidationException', 'CUSTOM_ORCHESTRATION agents are not supported by this server; use DEFAULT orchestration.');
    }
    validatePromptOverrides(definition);
    for (const collaborator of definition.collaborators) validatePromptOverrides(collaborator.agent);
    const key = sessionKey(definition.agentId, invocation.agentAliasId, invocation.sessionId);
    if (this.busy.has(key)) throw new OutcropError('ConflictException', `Session ${invocation.sessionId} is already processing a request; wait for it to finish.`);
    this.busy.add(key);
    try {
      yield* this.run(invocation, key);
    } finally {
      this.busy.delete(key);
    }
  }

  private async *run(invocation: AgentInvocation, key: string): AsyncGenerator<AgentEvent> {
    const { definition, sessionState } = invocation;
    const now = this.now();
    const session = this.sessions.get(key, now) ?? (this.startSession(invocation, now));
    if (invocation.memoryId && !session.memoryId) session.memoryId = invocation.memoryId;
    const results = sessionState?.returnControlInvocationResults;
    let pending: PendingReturnControl | undefined;
    if (results?.length) {
      pending = session.pending;
      if (!pending) throw new OutcropError('ValidationException', `Session ${invocation.sessionId} has no action awaiting returnControlInvocationResults.`);
      if (sessionState?.invocationId && sessionState.invocationId !== pending.invocationId) {
        throw new OutcropError('ValidationException', `The invocationId ${sessionState.invocationId} does not match the pending invocation ${pending.invocationId} of session ${invocation.sessionId}.`);
      }
    }
    if (!invocation.inputText && !pending) {
      // endSession alone: close the conversation.
      await this.end(session, key, now);
      return;
    }
    const model = this.options.resolveModel(definition.foundationModel);
    const history = sessionState?.conversationHistory ?? session.history;
    const turns = invocation.previousConversationTurnsToInclude;
    const promptHistory = turns === undefined ? history : history.slice(Math.max(0, history.length - turns * 2));
    const context: TurnContext = {
      definition,
      agentAliasId: invocation.agentAliasId,
      ...(invocation.agentAliasArn ? { agentAliasArn: invocation.agentAliasArn } : {}),
      sessionId: invocation.sessionId,
      model,
      resolveModel: this.options.resolveModel,
      ports: this.options.ports ?? {},
      maxSteps: this.maxSteps,
      signal: invocation.signal,
      sessionAttributes: { ...(sessionState?.sessionAttributes ?? session.sessionAttributes) },
      promptSessionAttributes: { ...(pending?.promptSessionAttributes ?? {}), ...(sessionState?.promptSessionAttributes ?? {}) },
      files: sessionState?.files ?? [],
      knowledgeBaseConfigurations: new Map((sessionState?.knowledgeBaseConfigurations ?? []).map((entry) => [entry.knowledgeBaseId, entry.retrievalConfiguration])),
      memorySummaries: await this.summariesFor(definition, session.memoryId ?? invocation.memoryId),
      origin: { agentId: definition.agentId, agentVersion: definition.agentVersion },
      tracePrefix: randomBytes(4).toString('hex'),
    };
    if (invocation.streamingConfigurations?.streamFinalResponse && !postProcessingEnabled(context)) context.answerStream = this.answerStreamer(invocation, context);
    let state: TurnState;
    let outcome: TurnOutcome | undefined;
    if (pending) {
      state = pending.state;
      const applicationResults = yield* resumeApplicationResults(pending, results ?? [], context, state);
      state.messages.push({ role: 'tool', content: [...pending.completed, ...applicationResults] as Part[] });
    } else {
      state = newTurnState(invocation.inputText, promptHistory);
      const guardrail = definition.guardrailConfiguration;
      if (guardrail && this.options.guardrails) {
        const check = await checkAgentGuardrail(this.options.guardrails, guardrail, 'INPUT', invocation.inputText, context.origin, `${context.tracePrefix}-gi`, invocation.signal);
        yield check.trace;
        if (check.intervened) outcome = { kind: 'answer', text: check.text, references: [] };
      }
      if (!outcome && promptSettings(definition, 'PRE_PROCESSING').enabled) {
        const parsed = yield* runPreProcessing(context, state);
        if (!parsed.isValid) outcome = { kind: 'answer', text: preProcessingRejection, references: [] };
      }
      if (!outcome && definition.agentCollaboration === 'SUPERVISOR_ROUTER' && definition.collaborators.length > 0) {
        outcome = yield* this.route(context, state);
      }
    }
    if (!outcome) {
      outcome = yield* orchestrateTurn(context, state);
      if (outcome.kind === 'answer' && !outcome.streamed && postProcessingEnabled(context)) {
        const streamer = invocation.streamingConfigurations?.streamFinalResponse ? this.answerStreamer(invocation, context, 'final_response') : undefined;
        const post = yield* runPostProcessing(context, state, outcome.text, streamer);
        outcome = { ...outcome, text: post.text, ...(post.streamed ? { streamed: true } : {}) };
      }
    }
    yield* this.finish(outcome, { invocation, session, context, state, key });
  }

  private async *route(context: TurnContext, state: TurnState): AsyncGenerator<AgentEvent, TurnOutcome | undefined> {
    const historyText = state.messages
      .slice(0, -1)
      .map((message) => `${message.role}: ${message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')}`)
      .join('\n');
    const chosen = yield* classifyRoute(context, state.inputText, historyText);
    if (!chosen) return undefined;
    const started = new Date();
    const traceId = `${context.tracePrefix}-r`;
    const aliasArn = chosen.agentAliasArn ?? `inline:${chosen.collaboratorName}`;
    yield traceEvent(context.origin, {
      routingClassifierTrace: {
        invocationInput: {
          traceId,
          invocationType: 'AGENT_COLLABORATOR',
          agentCollaboratorInvocationInput: { agentCollaboratorName: chosen.collaboratorName, agentCollaboratorAliasArn: aliasArn, input: { type: 'TEXT', text: state.inputText } },
        },
      },
    });
    const answer = yield* runCollaborator(chosen, state.inputText, context, state);
    yield traceEvent(context.origin, {
      routingClassifierTrace: {
        observation: {
          traceId,
          type: 'AGENT_COLLABORATOR',
          agentCollaboratorInvocationOutput: { agentCollaboratorName: chosen.collaboratorName, agentCollaboratorAliasArn: aliasArn, output: { type: 'TEXT', text: answer.text }, metadata: traceMetadata(started) },
        },
      },
    });
    if (answer.failed) return { kind: 'failed', reason: answer.text };
    state.messages.push({ role: 'assistant', content: [{ type: 'text', text: answer.text }] });
    return { kind: 'answer', text: answer.text, references: state.references };
  }

  private async *finish(
    outcome: TurnOutcome,
    run: { invocation: AgentInvocation; session: AgentSession; context: TurnContext; state: TurnState; key: string },
  ): AsyncGenerator<AgentEvent> {
    const { invocation, session, context, state } = run;
    const guardrail = invocation.definition.guardrailConfiguration;
    session.sessionAttributes = context.sessionAttributes;
    session.lastActiveAt = this.now();
    if (outcome.kind === 'return-control') {
      session.pending = { invocationId: outcome.invocationId, state: outcome.state, calls: outcome.calls, completed: outcome.completed, promptSessionAttributes: context.promptSessionAttributes };
      this.sessions.put(session);
      yield returnControlEvent(outcome, invocation.definition.agentId);
      return;
    }
    session.pending = undefined;
    let text = outcome.kind === 'answer' ? outcome.text : outcome.kind === 'ask-user' ? outcome.question : outcome.reason;
    let citations = outcome.kind === 'answer' && outcome.references.length > 0;
    const streamed = outcome.kind === 'answer' && outcome.streamed === true;
    if (outcome.kind === 'answer' && !streamed && guardrail && this.options.guardrails && text) {
      const check = await checkAgentGuardrail(this.options.guardrails, guardrail, 'OUTPUT', text, context.origin, `${context.tracePrefix}-go`, invocation.signal);
      yield check.trace;
      if (check.intervened) citations = false;
      text = check.text;
    }
    session.history = [
      ...(invocation.sessionState?.conversationHistory ?? session.history),
      { role: 'user', content: [{ type: 'text', text: state.inputText }] },
      { role: 'assistant', content: [{ type: 'text', text }] },
    ];
    this.sessions.put(session);
    if (outcome.kind === 'failed' && !text) text = 'The agent could not complete the request.';
    // a streamed answer has already gone out as chunks
    if (!streamed) yield {
      type: 'chunk',
      text,
      ...(citations && outcome.kind === 'answer'
        ? { citations: [{ generatedResponsePart: { textResponsePart: { text, span: { start: 0, end: Math.max(0, text.length - 1) } } }, retrievedReferences: outcome.references }] }
        : {}),
    };
    if (invocation.endSession) await this.end(session, run.key, this.now());
  }

  /** `streamFinalResponse`: the answer released in chunks, each checked by the agent's guardrail first when it has one. */
  private answerStreamer(invocation: AgentInvocation, context: TurnContext, contentTag?: string): AnswerStreamer {
    const guardrail = invocation.definition.guardrailConfiguration;
    const guardrails = this.options.guardrails;
    let checks = 0;
    const interval = invocation.streamingConfigurations?.applyGuardrailInterval;
    return new AnswerStreamer({
      ...(interval === undefined ? {} : { interval }),
      ...(contentTag ? { contentTag } : {}),
      ...(guardrail && guardrails
        ? { guard: (text: string) => checkAgentGuardrail(guardrails, guardrail, 'OUTPUT', text, context.origin, `${context.tracePrefix}-go${checks++}`, invocation.signal) }
        : {}),
    });
  }

  private startSession(invocation: AgentInvocation, now: Date): AgentSession {
    const { definition } = invocation;
    const summarization = summarizationPrompt(definition);
    const memory =
      definition.memoryConfiguration?.enabledMemoryTypes.includes('SESSION_SUMMARY') && summarization !== 'DISABLED'
        ? {
            foundationModel: summarization?.foundationModel ?? definition.foundationModel,
            storageDays: definition.memoryConfiguration.storageDays ?? defaultStorageDays,
            ...(summarization ? { summarization: summarization.prompt } : {}),
          }
        : undefined;
    const session: AgentSession = {
      agentId: definition.agentId,
      agentAliasId: invocation.agentAliasId,
      sessionId: invocation.sessionId,
      ...(invocation.memoryId ? { memoryId: invocation.memoryId } : {}),
      startedAt: now,
      lastActiveAt: now,
      idleSessionTTLInSeconds: definition.idleSessionTTLInSeconds,
      sessionAttributes: {},
      history: [],
      ...(memory ? { memory } : {}),
    };
    return session;
  }

  private async end(session: AgentSession, key: string, now: Date): Promise<void> {
    this.sessions.delete(key);
    await this.remember(session, now);
  }

  /** Summarizes an ended session into its memoryId, when memory is enabled and there is something to remember. */
  private async remember(session: AgentSession, endedAt: Date): Promise<void> {
    if (!session.memory || !session.memoryId || session.history.length === 0) return;
    const model = this.options.resolveModel(session.memory.foundationModel);
    const summaryText = await summarizeSession(model, session.history, undefined, session.memory.summarization);
    if (!summaryText) return;
    await this.memory.add({
      agentId: session.agentId,
      memoryId: session.memoryId,
      sessionId: session.sessionId,
      sessionStartTime: session.startedAt,
      sessionExpiryTime: endedAt,
      summaryText,
      expiresAt: new Date(endedAt.getTime() + session.memory.storageDays * 86_400_000),
    });
  }

  private async summariesFor(definition: AgentDefinition, memoryId: string | undefined): Promise<string[]> {
    const configuration = definition.memoryConfiguration;
    if (!memoryId || !configuration?.enabledMemoryTypes.includes('SESSION_SUMMARY')) return [];
    const limit = configuration.sessionSummaryConfiguration?.maxRecentSessions ?? defaultMaxRecentSessions;
    const records = await this.memory.list(definition.agentId, memoryId, this.now());
    return records
      .slice(0, limit)
      .reverse()
      .map((record) => record.summaryText);
  }
}

