import { createHash } from 'node:crypto';
import type { ToolDefinition } from '../../inference/language-model.js';
import type { AgentActionGroupDefinition, AgentCollaboratorDefinition, AgentDefinition, AgentKnowledgeBaseDefinition, FunctionDefinition } from '../agent-definition.js';
import { type OpenApiOperation, listOpenApiOperations } from './openapi-operations.js';

/** What a tool the model may call stands for. */
export type ToolBinding =
  | { kind: 'function'; actionGroup: AgentActionGroupDefinition; function: FunctionDefinition }
  | { kind: 'api'; actionGroup: AgentActionGroupDefinition; operation: OpenApiOperation }
  | { kind: 'user-input'; actionGroup: AgentActionGroupDefinition }
  | { kind: 'code-interpreter'; actionGroup: AgentActionGroupDefinition }
  | { kind: 'knowledge-base'; knowledgeBase: AgentKnowledgeBaseDefinition }
  | { kind: 'collaborator'; collaborators: AgentCollaboratorDefinition[] };

export interface AgentTools {
  tools: ToolDefinition[];
  bindings: Map<string, ToolBinding>;
}

/** The tool the model calls to ask the user a question (`AMAZON.UserInput`). */
export const userInputToolName = 'user__askuser';
/** The tool that runs Python in the sandbox (`AMAZON.CodeInterpreter`). */
export const codeInterpreterToolName = 'codeinterpreter__execute';
/** The tool a supervisor uses to message a collaborator, as Bedrock names it. */
export const sendMessageToolName = 'AgentCommunication__sendMessage';

/**
 * The tools an agent offers its model, following Bedrock's native tool-use naming: a function is
 * `<actionGroup>__<function>`, an OpenAPI operation `<VERB>__<actionGroup>__<operationId>` (the
 * path when there is no operationId), a knowledge base `GET__x_amz_knowledgebase_<id>__Search`.
 * Names keep to `[a-zA-Z0-9_-]{1,64}` (longer ones end in a short hash). Only ENABLED action groups
 * and knowledge bases are offered.
 *
 * @example
 * const { tools, bindings } = prepareAgentTools(definition);
 */
export function prepareAgentTools(definition: AgentDefinition): AgentTools {
  const tools: ToolDefinition[] = [];
  const bindings = new Map<string, ToolBinding>();
  const add = (rawName: string, description: string, inputSchema: Record<string, unknown>, binding: ToolBinding) => {
    let name = toolName(rawName);
    if (bindings.has(name)) name = toolName(`${rawName}_${bindings.size}`);
    tools.push({ name, description: description.slice(0, 1024) || name, inputSchema });
    bindings.set(name, binding);
  };
  for (const actionGroup of definition.actionGroups) {
    if (actionGroup.actionGroupState === 'DISABLED') continue;
    if (actionGroup.parentActionGroupSignature === 'AMAZON.UserInput') {
      add(userInputToolName, 'Ask the user a question when information needed to answer is missing. The question ends this turn; the user answers in the next one.', questionSchema, {
        kind: 'user-input',
        actionGroup,
      });
      continue;
    }
    if (actionGroup.parentActionGroupSignature === 'AMAZON.CodeInterpreter') {
      add(codeInterpreterToolName, 'Run Python code in a sandbox and get its printed output and any files it writes. Use it for calculations and data analysis.', codeSchema, {
        kind: 'code-interpreter',
        actionGroup,
      });
      continue;
    }
    for (const fn of actionGroup.functionSchema?.functions ?? []) {
      add(`${actionGroup.actionGroupName}__${fn.name}`, fn.description ?? actionGroup.description ?? fn.name, functionInputSchema(fn), { kind: 'function', actionGroup, function: fn });
    }
    if (actionGroup.apiSchema) {
      for (const operation of listOpenApiOperations(actionGroup.apiSchema)) {
        const suffix = operation.operationId ?? operation.apiPath;
        add(`${operation.httpMethod}__${actionGroup.actionGroupName}__${suffix}`, operation.description, operationInputSchema(operation), { kind: 'api', actionGroup, operation });
      }
    }
  }
  for (const knowledgeBase of definition.knowledgeBases) {
    if (knowledgeBase.knowledgeBaseState === 'DISABLED') continue;
    add(`GET__x_amz_knowledgebase_${knowledgeBase.knowledgeBaseId}__Search`, `Search the knowledge base: ${knowledgeBase.description}`, searchSchema, { kind: 'knowledge-base', knowledgeBase });
  }
  if (definition.agentCollaboration === 'SUPERVISOR' || definition.agentCollaboration === 'SUPERVISOR_ROUTER') {
    if (definition.collaborators.length > 0) {
      const names = definition.collaborators.map((collaborator) => collaborator.collaboratorName);
      const roster = definition.collaborators.map((collaborator) => `${collaborator.collaboratorName}: ${collaborator.collaboratorInstruction}`).join('\n');
      add(
        sendMessageToolName,
        `Send a message to a collaborator agent and get its answer. Collaborators:\n${roster}`,
        {
          type: 'object',
          properties: { recipient: { type: 'string', enum: names, description: 'the collaborator to message' }, content: { type: 'string', description: 'the message' } },
          required: ['recipient', 'content'],
        },
        { kind: 'collaborator', collaborators: definition.collaborators },
      );
    }
  }
  return { tools, bindings };
}

const questionSchema = { type: 'object', properties: { question: { type: 'string', description: 'the question for the user' } }, required: ['question'] };
const codeSchema = { type: 'object', properties: { code: { type: 'string', description: 'Python source to run' } }, required: ['code'] };
const searchSchema = { type: 'object', properties: { searchQuery: { type: 'string', description: 'what to look up' } }, required: ['searchQuery'] };

function functionInputSchema(fn: FunctionDefinition): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, parameter] of Object.entries(fn.parameters ?? {})) {
    properties[name] = { type: parameter.type, ...(parameter.type === 'array' ? { items: {} } : {}), ...(parameter.description ? { description: parameter.description } : {}) };
    if (parameter.required) required.push(name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

function operationInputSchema(operation: OpenApiOperation): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const parameter of operation.parameters) {
    properties[parameter.name] = parameter.description ? { ...parameter.schema, description: parameter.description } : parameter.schema;
    if (parameter.required) required.push(parameter.name);
  }
  if (operation.requestBody) {
    properties.requestBody = operation.requestBody.schema;
    if (operation.requestBody.required) required.push('requestBody');
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

function toolName(raw: string): string {
  const clean = raw.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (clean.length <= 64) return clean;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${clean.slice(0, 55)}_${hash}`;
}
