import type { Part } from '../../inference/language-model.js';
import type { AgentCollaboratorDefinition } from '../agent-definition.js';
import type { AgentEvent, RetrievedReference } from './agent-events.js';
import type { ActionParameter, ActionRequest } from './agent-ports.js';
import { traceEvent, traceMetadata } from './agent-trace.js';
import type { ToolBinding } from './agent-tools.js';
import type { TurnContext, TurnState } from './turn-context.js';

type ToolCall = Extract<Part, { type: 'tool-call' }>;
type ToolResult = Extract<Part, { type: 'tool-result' }>;

/** Runs one collaborator's own orchestration and answers its final text (or why it failed). */
export type CollaboratorRunner = (
  collaborator: AgentCollaboratorDefinition,
  content: string,
  context: TurnContext,
  state: TurnState,
) => AsyncGenerator<AgentEvent, { text: string; failed: boolean }>;

/**
 * Runs one tool call the model made (an action over its Lambda executor, the code interpreter, a
 * knowledge-base search or a message to a collaborator), tracing its input and observation.
 * Failures never throw: they become an error result the model sees, and the observation says what
 * went wrong.
 */
export async function* executeToolCall(
  call: ToolCall,
  binding: ToolBinding,
  context: TurnContext,
  state: TurnState,
  traceId: string,
  runCollaborator: CollaboratorRunner,
): AsyncGenerator<AgentEvent, ToolResult> {
  const input = asInput(call.input);
  const started = new Date();
  const origin = context.origin;
  switch (binding.kind) {
    case 'function':
    case 'api': {
      const request = actionRequest(call, binding, context, state);
      const groupName = binding.actionGroup.actionGroupName;
      yield traceEvent(origin, {
        orchestrationTrace: {
          invocationInput: {
            traceId,
            invocationType: 'ACTION_GROUP',
            actionGroupInvocationInput: {
              actionGroupName: groupName,
              executionType: 'LAMBDA',
              ...(request.function ? { function: request.function } : { apiPath: request.apiPath, verb: request.httpMethod?.toLowerCase() }),
              parameters: request.parameters,
              ...(request.requestBody ? { requestBody: request.requestBody } : {}),
            },
          },
        },
      });
      let text: string;
      let isError = false;
      if (!context.ports.actions) {
        text = `Action group ${groupName} could not run: no executor is configured for ${binding.actionGroup.actionGroupExecutor?.lambda ?? 'its Lambda function'}.`;
        isError = true;
      } else {
        try {
          const response = await context.ports.actions.invoke(request, context.signal);
          text = response.text;
          isError = response.responseState === 'FAILURE';
          if (response.sessionAttributes) Object.assign(context.sessionAttributes, response.sessionAttributes);
          if (response.promptSessionAttributes) Object.assign(context.promptSessionAttributes, response.promptSessionAttributes);
        } catch (error) {
          if (context.signal.aborted) throw error;
          text = `Action group ${groupName} failed: ${(error as Error)?.message ?? String(error)}`;
          isError = true;
        }
      }
      yield traceEvent(origin, {
        orchestrationTrace: { observation: { traceId, type: 'ACTION_GROUP', actionGroupInvocationOutput: { text, metadata: traceMetadata(started) } } },
      });
      return toolResult(call, text, isError);
    }
    case 'code-interpreter': {
      const code = typeof input.code === 'string' ? input.code : '';
      yield traceEvent(origin, {
        orchestrationTrace: {
          invocationInput: { traceId, invocationType: 'ACTION_GROUP_CODE_INTERPRETER', codeInterpreterInvocationInput: { code, files: context.files.map((file) => file.name) } },
        },
      });
      if (!context.ports.code) {
        const text = 'The code interpreter is not available on this server.';
        yield traceEvent(origin, { orchestrationTrace: { observation: { traceId, type: 'ACTION_GROUP', codeInterpreterInvocationOutput: { executionError: text, metadata: traceMetadata(started) } } } });
        return toolResult(call, text, true);
      }
      try {
        const result = await context.ports.code.run({ code, files: context.files, sessionId: context.sessionId }, context.signal);
        yield traceEvent(origin, {
          orchestrationTrace: {
            observation: {
              traceId,
              type: 'ACTION_GROUP',
              codeInterpreterInvocationOutput: {
                executionOutput: result.output,
                ...(result.error ? { executionError: result.error } : {}),
                executionTimeout: result.timedOut,
                files: result.files.map((file) => file.name),
                metadata: traceMetadata(started),
              },
            },
          },
        });
        if (result.files.length > 0) yield { type: 'files', files: result.files };
        const text = [result.output, result.error ? `Error: ${result.error}` : '', result.timedOut ? 'The code ran out of time.' : ''].filter(Boolean).join('\n');
        return toolResult(call, text || '(no output)', Boolean(result.error) || result.timedOut);
      } catch (error) {
        if (context.signal.aborted) throw error;
        const text = `The code interpreter failed: ${(error as Error)?.message ?? String(error)}`;
        yield traceEvent(origin, { orchestrationTrace: { observation: { traceId, type: 'ACTION_GROUP', codeInterpreterInvocationOutput: { executionError: text, metadata: traceMetadata(started) } } } });
        return toolResult(call, text, true);
      }
    }
    case 'knowledge-base': {
      const knowledgeBaseId = binding.knowledgeBase.knowledgeBaseId;
      const text = typeof input.searchQuery === 'string' ? input.searchQuery : JSON.stringify(input);
      yield traceEvent(origin, { orchestrationTrace: { invocationInput: { traceId, invocationType: 'KNOWLEDGE_BASE', knowledgeBaseLookupInput: { knowledgeBaseId, text } } } });
      let references: RetrievedReference[] = [];
      let failure: string | undefined;
      if (!context.ports.knowledge) failure = `Knowledge base ${knowledgeBaseId} cannot be searched: knowledge-base retrieval is not available on this server.`;
      else {
        try {
          const retrievalConfiguration = context.knowledgeBaseConfigurations.get(knowledgeBaseId) ?? binding.knowledgeBase.retrievalConfiguration;
          references = await context.ports.knowledge.search({ knowledgeBaseId, text, ...(retrievalConfiguration ? { retrievalConfiguration } : {}) }, context.signal);
        } catch (error) {
          if (context.signal.aborted) throw error;
          failure = `Knowledge base ${knowledgeBaseId} search failed: ${(error as Error)?.message ?? String(error)}`;
        }
      }
      state.references.push(...references);
      yield traceEvent(origin, {
        orchestrationTrace: { observation: { traceId, type: 'KNOWLEDGE_BASE', knowledgeBaseLookupOutput: { retrievedReferences: references, metadata: traceMetadata(started) } } },
      });
      if (failure) return toolResult(call, failure, true);
      const body = references.length
        ? references.map((reference, index) => `<search_result index="${index + 1}">${reference.content.text}</search_result>`).join('\n')
        : 'No results were found.';
      return toolResult(call, body, false);
    }
    case 'collaborator': {
      const recipient = typeof input.recipient === 'string' ? input.recipient : '';
      const content = typeof input.content === 'string' ? input.content : JSON.stringify(input.content ?? '');
      const collaborator = binding.collaborators.find((candidate) => candidate.collaboratorName === recipient);
      if (!collaborator) {
        return toolResult(call, `There is no collaborator named "${recipient}". Collaborators: ${binding.collaborators.map((item) => item.collaboratorName).join(', ')}.`, true);
      }
      const aliasArn = collaborator.agentAliasArn ?? `inline:${collaborator.collaboratorName}`;
      yield traceEvent(origin, {
        orchestrationTrace: {
          invocationInput: {
            traceId,
            invocationType: 'AGENT_COLLABORATOR',
            agentCollaboratorInvocationInput: { agentCollaboratorName: recipient, agentCollaboratorAliasArn: aliasArn, input: { type: 'TEXT', text: content } },
          },
        },
      });
      const answer = yield* runCollaborator(collaborator, content, context, state);
      yield traceEvent(origin, {
        orchestrationTrace: {
          observation: {
            traceId,
            type: 'AGENT_COLLABORATOR',
            agentCollaboratorInvocationOutput: { agentCollaboratorName: recipient, agentCollaboratorAliasArn: aliasArn, output: { type: 'TEXT', text: answer.text }, metadata: traceMetadata(started) },
          },
        },
      });
      return toolResult(call, answer.text, answer.failed);
    }
    default:
      return toolResult(call, `The tool ${call.toolName} cannot run here.`, true);
  }
}

/** Bedrock's Lambda input for an action call (parameters as `{ name, type, value }` text). */
export function actionRequest(call: ToolCall, binding: Extract<ToolBinding, { kind: 'function' | 'api' }>, context: TurnContext, state: TurnState): ActionRequest {
  const input = asInput(call.input);
  const base = {
    actionGroup: binding.actionGroup,
    agent: { name: context.definition.agentName, id: context.definition.agentId, alias: context.agentAliasId, version: context.definition.agentVersion },
    sessionId: context.sessionId,
    inputText: state.inputText,
    sessionAttributes: { ...context.sessionAttributes },
    promptSessionAttributes: { ...context.promptSessionAttributes },
  };
  if (binding.kind === 'function') {
    const declared = binding.function.parameters ?? {};
    const parameters = Object.entries(input).map(([name, value]) => parameter(name, declared[name]?.type ?? jsonType(value), value));
    return { ...base, function: binding.function.name, parameters };
  }
  const { operation } = binding;
  const parameters: ActionParameter[] = [];
  for (const declared of operation.parameters) {
    if (declared.name in input) parameters.push(parameter(declared.name, typeof declared.schema.type === 'string' ? declared.schema.type : jsonType(input[declared.name]), input[declared.name]));
  }
  const request: ActionRequest = { ...base, apiPath: operation.apiPath, httpMethod: operation.httpMethod, parameters };
  const body = input.requestBody;
  if (operation.requestBody && body !== undefined) {
    const properties = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { body };
    const schemaProperties = (operation.requestBody.schema.properties ?? {}) as Record<string, { type?: unknown }>;
    request.requestBody = {
      content: {
        [operation.requestBody.mediaType]: {
          properties: Object.entries(properties).map(([name, value]) => parameter(name, typeof schemaProperties[name]?.type === 'string' ? (schemaProperties[name]?.type as string) : jsonType(value), value)),
        },
      },
    };
  }
  return request;
}

function parameter(name: string, type: string, value: unknown): ActionParameter {
  return { name, type, value: typeof value === 'string' ? value : JSON.stringify(value) };
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value && typeof value === 'object') return 'object';
  return 'string';
}

function asInput(input: unknown): Record<string, unknown> {
  return input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

function toolResult(call: ToolCall, text: string, isError: boolean): ToolResult {
  return { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, content: [{ type: 'text', text }], isError };
}
