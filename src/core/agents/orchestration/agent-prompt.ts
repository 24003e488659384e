import type { AgentDefinition } from '../agent-definition.js';

/** Bedrock's `PromptType` values an agent may override. */
export type AgentPromptType = 'PRE_PROCESSING' | 'ORCHESTRATION' | 'KNOWLEDGE_BASE_RESPONSE_GENERATION' | 'POST_PROCESSING' | 'ROUTING_CLASSIFIER';

/** One entry of `promptOverrideConfiguration.promptConfigurations`, as read. */
export interface PromptConfiguration {
  promptType: AgentPromptType;
  promptCreationMode: 'DEFAULT' | 'OVERRIDDEN';
  promptState?: 'ENABLED' | 'DISABLED';
  basePromptTemplate?: string;
  inferenceConfiguration?: { temperature?: number; topP?: number; topK?: number; maximumLength?: number; stopSequences?: string[] };
  foundationModel?: string;
}

/** The override for one prompt type, when the definition has one. */
export function promptConfigurationOf(definition: AgentDefinition, type: AgentPromptType): PromptConfiguration | undefined {
  const found = definition.promptOverrideConfiguration?.promptConfigurations.find((entry) => entry.promptType === type);
  if (!found) return undefined;
  const creation = found.promptCreationMode === 'OVERRIDDEN' ? 'OVERRIDDEN' : 'DEFAULT';
  return { ...(found as unknown as PromptConfiguration), promptType: type, promptCreationMode: creation };
}

export interface PromptValues {
  instruction: string;
  promptSessionAttributes: Record<string, string>;
  /** summaries of earlier sessions of the same memoryId, newest last */
  memorySummaries: string[];
  /** earlier turns as `User: ...` / `Assistant: ...` lines */
  conversationHistory: string;
  question: string;
  /** the offered tools as JSON, for `$tools$` / `$functions$` */
  toolsJson: string;
  knowledgeBaseGuideline: string;
}

/**
 * The orchestration system prompt. With an OVERRIDDEN ORCHESTRATION template, the template is used
 * (from its `system` member when it is Bedrock's JSON message form) and these placeholders are
 * filled: `$instruction$`, `$prompt_session_attributes$`, `$memory_content$`, `$memory_guideline$`,
 * `$memory_action_guideline$`, `$conversation_history$`, `$question$`, `$tools$`, `$functions$`,
 * `$knowledge_base_guideline$`, `$knowledge_base_additional_guideline$`, `$current_time$`,
 * `$agent_collaborators$`; `$agent_scratchpad$`, `$ask_user_missing_information$`,
 * `$code_interpreter_guideline$` and other placeholders become empty (the scratchpad is sent as
 * native tool-use messages instead).
 *
 * @example
 * const system = buildSystemPrompt(definition, { instruction: definition.instruction, ... });
 */
export function buildSystemPrompt(definition: AgentDefinition, values: PromptValues): { text: string; overridden: boolean } {
  const override = promptConfigurationOf(definition, 'ORCHESTRATION');
  if (override?.promptCreationMode === 'OVERRIDDEN' && override.basePromptTemplate) {
    return { text: fillTemplate(systemOfTemplate(override.basePromptTemplate), values, definition), overridden: true };
  }
  const sections = [values.instruction.trim()];
  sections.push(
    'You have been provided with a set of tools to answer the user\'s question. Call a tool when it helps; when you have the answer, reply to the user directly in plain text. Never make up the result of a tool.',
  );
  if (values.knowledgeBaseGuideline) sections.push(values.knowledgeBaseGuideline);
  const attributes = renderAttributes(values.promptSessionAttributes);
  if (attributes) sections.push(`Here are some attributes of this conversation:\n${attributes}`);
  if (values.memorySummaries.length > 0) {
    sections.push(`Summaries of your earlier sessions with this user, oldest first:\n<memory>\n${values.memorySummaries.map((summary) => `<session_summary>${summary}</session_summary>`).join('\n')}\n</memory>`);
  }
  return { text: sections.join('\n\n'), overridden: false };
}

function fillTemplate(template: string, values: PromptValues, definition: AgentDefinition): string {
  const memory = values.memorySummaries.map((summary) => `<session_summary>${summary}</session_summary>`).join('\n');
  const collaborators = definition.collaborators.map((collaborator) => `<agent id="${collaborator.collaboratorName}">${collaborator.collaboratorInstruction}</agent>`).join('\n');
  const known: Record<string, string> = {
    instruction: values.instruction,
    prompt_session_attributes: renderAttributes(values.promptSessionAttributes),
    memory_content: memory,
    memory_guideline: '',
    memory_action_guideline: '',
    conversation_history: values.conversationHistory,
    question: values.question,
    tools: values.toolsJson,
    functions: values.toolsJson,
    knowledge_base_guideline: values.knowledgeBaseGuideline,
    knowledge_base_additional_guideline: '',
    current_time: new Date().toISOString(),
    agent_collaborators: collaborators,
  };
  return template.replace(/\$([a-z_]+)\$/g, (_match, name: string) => known[name] ?? '');
}

/** Bedrock's Anthropic-style templates are JSON with a `system` member; others are the text itself. */
function systemOfTemplate(template: string): string {
  const trimmed = template.trim();
  if (!trimmed.startsWith('{')) return template;
  try {
    const parsed = JSON.parse(trimmed) as { system?: unknown };
    return typeof parsed.system === 'string' ? parsed.system : template;
  } catch {
    return template;
  }
}

function renderAttributes(attributes: Record<string, string>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return '';
  return `<attributes>\n${entries.map(([key, value]) => `<attribute><name>${key}</name><value>${value}</value></attribute>`).join('\n')}\n</attributes>`;
}
