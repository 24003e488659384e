import { randomUUID } from 'node:crypto';
import { OutcropError } from '../../errors.js';
import type { CallOptions, GenerateResult, Message, Part, ToolChoice } from '../../inference/language-model.js';
import type { AgentEvent } from './agent-events.js';
import { confirmationType } from './action-confirmation.js';
import { buildSystemPrompt } from './agent-prompt.js';
import { failureTrace, traceEvent, traceMetadata } from './agent-trace.js';
import { type AgentTools, type ToolBinding, prepareAgentTools } from './agent-tools.js';
import type { ActionRequest } from './agent-ports.js';
import { type CollaboratorRunner, actionRequest, executeToolCall } from './execute-tool-call.js';
import { withListedFunctions } from './listed-functions.js';
import { modelCallSettings, promptSettings, traceInferenceConfiguration } from './prompt-settings.js';
import type { PendingCall, TurnContext, TurnOutcome, TurnState } from './turn-context.js';

type ToolCall = Extract<Part, { type: 'tool-call' }>;


/**
 * One agent turn, Bedrock's DEFAULT orchestration as native tool use: the model is called with the
 * agent's system prompt and tools, tool calls run (or go back to the application for RETURN_CONTROL
 * groups, or end the turn with a question for `AMAZON.UserInput`), results go back to the model,
 * until it answers in text or `maxSteps` model calls have been made. Traces every step in Bedrock's
 * shapes. Model failures throw after a failure trace; tool failures are observations.
 *
 * @example
 * const state = newTurnState('What is the weather?', history);
 * const outcome = yield* orchestrateTurn(context, state);
 */
export async function* orchestrateTurn(context: TurnContext, state: TurnState): AsyncGenerator<AgentEvent, TurnOutcome> {
  let definition = context.definition;
  try {
    definition = await withListedFunctions(context.definition, context.ports.actions, context.signal);
  } catch (error) {
    if (context.signal.aborted) throw error;
    yield failureTrace(context.origin, `${context.tracePrefix}-${state.step}`, (error as Error).message, new Date());
    throw error;
  }
  const tools = prepareAgentTools(definition);
  const system = buildSystemPrompt(context.definition, {
    instruction: context.definition.instruction,
    promptSessionAttributes: context.promptSessionAttributes,
    memorySummaries: context.memorySummaries,
    conversationHistory: historyText(state.messages),
    question: state.inputText,
    toolsJson: JSON.stringify(tools.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema }))),
    knowledgeBaseGuideline: context.definition.knowledgeBases.length ? 'Search the knowledge bases for facts you need and base your answer on what they return.' : '',
  });
  const settings = promptSettings(context.definition, 'ORCHESTRATION');
  // streamFinalResponse applies to the agent the client called, not to its collaborators
  const answerStream = context.origin.collaboratorName === undefined ? context.answerStream : undefined;
  for (;;) {
    if (state.step >= context.maxSteps) {
      const reason = `The agent reached its limit of ${context.maxSteps} steps without a final answer; the request was stopped.`;
      yield failureTrace(context.origin, `${context.tracePrefix}-${state.step}`, reason, new Date());
      return { kind: 'failed', reason };
    }
    const traceId = `${context.tracePrefix}-${state.step}`;
    state.step += 1;
    const options: CallOptions = {
      prompt: [{ role: 'system', content: [{ type: 'text', text: system.text }] }, ...state.messages],
      ...modelCallSettings(settings),
      ...(tools.tools.length ? { tools: tools.tools, toolChoice: stepToolChoice(context, state) } : {}),
      abortSignal: context.signal,
    };
    yield traceEvent(context.origin, {
      orchestrationTrace: {
        modelInvocationInput: {
          traceId,
          type: 'ORCHESTRATION',
          foundationModel: context.definition.foundationModel,
          text: promptText(options),
          inferenceConfiguration: traceInferenceConfiguration(settings),
          promptCreationMode: system.overridden ? 'OVERRIDDEN' : 'DEFAULT',
          parserMode: settings.parserMode,
        },
      },
    });
    const started = new Date();
    let result: GenerateResult;
    try {
      result = answerStream ? yield* answerStream.step(context.model, options) : await context.model.generate(options);
    } catch (error) {
      if (context.signal.aborted) throw error;
      const message = (error as Error)?.message ?? String(error);
      yield failureTrace(context.origin, traceId, `The model ${context.definition.foundationModel} failed: ${message}`, started);
      throw asStreamError(error, context.definition.foundationModel);
    }
    yield traceEvent(context.origin, {
      orchestrationTrace: { modelInvocationOutput: { traceId, rawResponse: { content: rawResponse(result) }, metadata: traceMetadata(started, result.usage) } },
    });
    const text = result.content
      .filter((part): part is Extract<Part, { type: 'text' }> => part.type === 'text')
      .map((part) => part.text)
      .join('');
    const calls = result.content.filter((part): part is ToolCall => part.type === 'tool-call');
    if (answerStream?.blocked) {
      // the guardrail stopped the streamed answer: what was released is the answer
      state.messages.push({ role: 'assistant', content: [{ type: 'text', text: answerStream.released }] });
      return { kind: 'answer', text: answerStream.released, references: state.references, streamed: true };
    }
    if (calls.length === 0) {
      const answer = text.trim();
      if (answerStream) {
        yield* answerStream.flush(state.references);
        yield traceEvent(context.origin, { orchestrationTrace: { observation: { traceId, type: 'FINISH', finalResponse: { text: answerStream.released, metadata: traceMetadata(started) } } } });
        state.messages.push({ role: 'assistant', content: [{ type: 'text', text: answerStream.released }] });
        return { kind: 'answer', text: answerStream.released, references: state.references, streamed: true };
      }
      yield traceEvent(context.origin, { orchestrationTrace: { observation: { traceId, type: 'FINISH', finalResponse: { text: answer, metadata: traceMetadata(started) } } } });
      state.messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
      return { kind: 'answer', text: answer, references: state.references };
    }
    if (text.trim()) yield traceEvent(context.origin, { orchestrationTrace: { rationale: { traceId, text: text.trim() } } });
    const outcome = yield* runCalls(calls, text, tools, context, state, traceId);
    if (outcome) return outcome;
  }
}

/**
 * The tool choice of one step: `auto`, except for models whose provider reports it cannot choose
 * freely (`capabilities.freeToolChoice === false`, the embedded GGUF models): until the turn has
 * its first observation they must call one of the tools (`required`, which such providers enforce
 * with a grammar), then they answer or call again on their own. So a small local model still runs
 * the agent's tools, at the price of never answering before its first tool call.
 */
function stepToolChoice(context: TurnContext, state: TurnState): ToolChoice {
  if (context.model.capabilities.freeToolChoice !== false) return { type: 'auto' };
  const observed = state.messages.some((message) => message.role === 'tool');
  return observed ? { type: 'auto' } : { type: 'required' };
}

/** A new turn: earlier conversation, then the user's input. */
export function newTurnState(inputText: string, history: Message[]): TurnState {
  return { inputText, messages: [...history, { role: 'user', content: [{ type: 'text', text: inputText }] }], step: 0, references: [] };
}

async function* runCalls(calls: ToolCall[], text: string, tools: AgentTools, context: TurnContext, state: TurnState, traceId: string): AsyncGenerator<AgentEvent, TurnOutcome | undefined> {
  const askUser = calls.find((call) => tools.bindings.get(call.toolName)?.kind === 'user-input');
  if (askUser) {
    const input = askUser.input as { question?: unknown } | undefined;
    const question = typeof input?.question === 'string' && input.question.trim() ? input.question.trim() : text.trim() || 'Could you tell me more?';
    yield traceEvent(context.origin, { orchestrationTrace: { observation: { traceId, type: 'ASK_USER', finalResponse: { text: question } } } });
    state.messages.push({ role: 'assistant', content: [{ type: 'text', text: question }] });
    return { kind: 'ask-user', question };
  }
  state.messages.push({ role: 'assistant', content: [...(text ? [{ type: 'text' as const, text }] : []), ...calls] });
  const completed: Part[] = [];
  const pending: PendingCall[] = [];
  for (const call of calls) {
    const binding = tools.bindings.get(call.toolName);
    if (!binding) {
      const message = `There is no tool named ${call.toolName}. Use one of: ${[...tools.bindings.keys()].join(', ') || '(none)'}.`;
      yield traceEvent(context.origin, { orchestrationTrace: { observation: { traceId, type: 'REPROMPT', repromptResponse: { source: 'PARSER', text: message } } } });
      completed.push({ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, content: [{ type: 'text', text: message }], isError: true });
      continue;
    }
    const confirmation = confirmationType(binding);
    if ((binding.kind === 'function' || binding.kind === 'api') && (confirmation || binding.actionGroup.actionGroupExecutor?.customControl === 'RETURN_CONTROL')) {
      pending.push({ ...pendingCall(call, binding, actionRequest(call, binding, context, state)), actionInvocationType: confirmation ?? 'RESULT', input: call.input });
      continue;
    }
    completed.push(yield* executeToolCall(call, binding, context, state, traceId, runCollaborator));
  }
  if (pending.length > 0) {
    const invocationId = randomUUID();
    return { kind: 'return-control', invocationId, state, calls: pending, completed };
  }
  state.messages.push({ role: 'tool', content: completed });
  return undefined;
}

function pendingCall(call: ToolCall, binding: Extract<ToolBinding, { kind: 'function' | 'api' }>, request: ActionRequest): PendingCall {
  const base = {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    actionGroup: binding.actionGroup.actionGroupName,
    parameters: request.parameters,
    ...(request.requestBody ? { requestBody: request.requestBody } : {}),
  };
  return binding.kind === 'function' ? { ...base, function: binding.function.name } : { ...base, apiPath: binding.operation.apiPath, httpMethod: binding.operation.httpMethod };
}

/** A collaborator's turn: its own orchestration, traces relabelled, its answer the supervisor's observation (or the router's relayed answer). */
export const runCollaborator: CollaboratorRunner = async function* (collaborator, content, context, state) {
  const history = collaborator.relayConversationHistory === 'TO_COLLABORATOR' ? state.messages.filter(isTextTurn) : [];
  const callerChain = [...(context.origin.callerChain ?? [{ agentAliasArn: context.agentAliasArn ?? `inline:${context.definition.agentName}` }])];
  callerChain.push({ agentAliasArn: collaborator.agentAliasArn ?? `inline:${collaborator.collaboratorName}` });
  let model = context.model;
  try {
    model = context.resolveModel(collaborator.agent.foundationModel);
  } catch (error) {
    return { text: `Collaborator ${collaborator.collaboratorName} cannot run: ${(error as Error).message}`, failed: true };
  }
  const inner: TurnContext = {
    ...context,
    definition: collaborator.agent,
    model,
    memorySummaries: [],
    promptSessionAttributes: { ...context.promptSessionAttributes },
    origin: { agentId: collaborator.agent.agentId, agentVersion: collaborator.agent.agentVersion, collaboratorName: collaborator.collaboratorName, callerChain },
    tracePrefix: `${context.tracePrefix}c${state.step}`.slice(0, 12),
  };
  const outcome = yield* orchestrateTurn(inner, newTurnState(content, history));
  switch (outcome.kind) {
    case 'answer':
      state.references.push(...outcome.references);
      return { text: outcome.text, failed: false };
    case 'ask-user':
      return { text: outcome.question, failed: false };
    case 'failed':
      return { text: outcome.reason, failed: true };
    default:
      return { text: `Collaborator ${collaborator.collaboratorName} asked to return control to the application, which is not supported inside a collaboration.`, failed: true };
  }
};

function isTextTurn(message: Message): boolean {
  return (message.role === 'user' || message.role === 'assistant') && message.content.every((part) => part.type === 'text');
}

function historyText(messages: Message[]): string {
  return messages
    .slice(0, -1)
    .filter(isTextTurn)
    .map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')}`)
    .join('\n');
}

/** The prompt as Bedrock traces it: the request body, JSON. */
function promptText(options: CallOptions): string {
  return JSON.stringify({
    system: options.prompt[0]?.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
    messages: options.prompt.slice(1).map((message) => ({ role: message.role, content: message.content.map(partJson) })),
    tools: options.tools?.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema })) ?? [],
  });
}

function rawResponse(result: GenerateResult): string {
  return JSON.stringify({ stop_reason: result.finishReason, content: result.content.map(partJson) });
}

function partJson(part: Part): unknown {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'tool-call':
      return { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input };
    case 'tool-result':
      return { type: 'tool_result', tool_use_id: part.toolCallId, is_error: part.isError, content: part.content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? item.value : '[image]')) };
    case 'reasoning':
      return { type: 'thinking', thinking: part.text };
    default:
      return { type: part.type };
  }
}

/** Model failures as an event the agent stream carries: throttling stays throttling, the rest is a dependency failure. */
function asStreamError(error: unknown, foundationModel: string): OutcropError {
  if (OutcropError.isInstance(error) && ['ThrottlingException', 'ValidationException', 'ResourceNotFoundException', 'ServiceQuotaExceededException'].includes(error.code)) return error;
  const message = (error as Error)?.message ?? String(error);
  return new OutcropError('DependencyFailedException', `The foundation model ${foundationModel} failed: ${message}`, { cause: error });
}
