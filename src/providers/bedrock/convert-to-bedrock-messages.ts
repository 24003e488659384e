import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, Part, ToolResultContent, Warning } from '../../core/inference/language-model.js';

const cachePoint = { cachePoint: { type: 'default' } } as const;

export type BedrockContentBlock = Record<string, unknown>;

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

/** The prompt-shaping members of a Converse request. */
export interface BedrockPrompt {
  messages: BedrockMessage[];
  system?: BedrockContentBlock[];
  toolConfig?: { tools: BedrockContentBlock[]; toolChoice?: Record<string, unknown> };
}

/**
 * Neutral prompt to Bedrock Converse `messages` and `system` (blobs as base64, as the JSON wire
 * carries them). Tool results (role `tool`) join the user turn, consecutive turns of one role
 * merge, and a part marked `cacheControl` is followed by a `cachePoint` block again.
 */
export function convertToBedrockMessages(prompt: Message[], capabilities: ModelCapabilities): Omit<BedrockPrompt, 'toolConfig'> {
  const system: BedrockContentBlock[] = [];
  const messages: BedrockMessage[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      for (const part of message.content) {
        if (part.type !== 'text') continue;
        system.push({ text: part.text });
        if (part.cacheControl) system.push(cachePoint);
      }
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content: BedrockContentBlock[] = [];
    for (const part of message.content) {
      const block = contentBlock(part, capabilities);
      if (!block) continue;
      content.push(block);
      if (part.cacheControl) content.push(cachePoint);
    }
    if (content.length === 0) continue;
    const previous = messages.at(-1);
    if (previous?.role === role) previous.content.push(...content);
    else messages.push({ role, content });
  }
  return system.length ? { messages, system } : { messages };
}

function contentBlock(part: Part, capabilities: ModelCapabilities): BedrockContentBlock | null {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image':
      if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
      return { image: { format: part.format, source: { bytes: base64(part.data) } } };
    case 'document':
      if (!capabilities.documents) throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
      return { document: { format: part.format, name: part.name, source: { bytes: base64(part.data) } } };
    case 'reasoning':
      return { reasoningContent: { reasoningText: { text: part.text, ...(part.signature ? { signature: part.signature } : {}) } } };
    case 'tool-call':
      return { toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: part.input ?? {} } };
    case 'tool-result':
      return {
        toolResult: {
          toolUseId: part.toolCallId,
          content: part.content.map(toolResultContent),
          ...(part.isError ? { status: 'error' } : {}),
        },
      };
  }
}

function toolResultContent(item: ToolResultContent): BedrockContentBlock {
  if (item.type === 'text') return { text: item.text };
  if (item.type === 'json') return { json: item.value };
  return { image: { format: item.format, source: { bytes: base64(item.data) } } };
}

function base64(data: Uint8Array): string {
  return Buffer.from(data).toString('base64');
}

/**
 * Neutral tools to Converse's `toolConfig` (a cache-marked tool is followed by a `cachePoint`).
 * Converse has no "none" tool choice: the tools are sent without a choice, with a warning.
 */
export function prepareBedrockTools(options: CallOptions): { toolConfig?: BedrockPrompt['toolConfig']; warnings: Warning[] } {
  if (!options.tools?.length) return { warnings: [] };
  const tools: BedrockContentBlock[] = [];
  for (const tool of options.tools) {
    tools.push({ toolSpec: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), inputSchema: { json: tool.inputSchema } } });
    if (tool.cacheControl) tools.push(cachePoint);
  }
  const choice = options.toolChoice;
  const warnings: Warning[] = [];
  let toolChoice: Record<string, unknown> | undefined;
  if (choice?.type === 'auto') toolChoice = { auto: {} };
  else if (choice?.type === 'required') toolChoice = { any: {} };
  else if (choice?.type === 'tool') toolChoice = { tool: { name: choice.toolName } };
  else if (choice?.type === 'none') warnings.push({ setting: 'toolChoice', details: 'Bedrock Converse has no "none" tool choice; the model may still call a tool.' });
  return { toolConfig: toolChoice ? { tools, toolChoice } : { tools }, warnings };
}

/**
 * Neutral structured output and reasoning effort to Converse's `outputConfig`: `textFormat`
 * (`json_schema`, the schema as a JSON string, as the Converse wire carries it) and `effort`, the
 * level unchanged; none without either.
 */
export function prepareBedrockOutputConfig(options: CallOptions): { outputConfig?: Record<string, unknown> } {
  const format = options.responseFormat;
  const outputConfig: Record<string, unknown> = {};
  if (format) {
    const jsonSchema = {
      schema: JSON.stringify(format.schema),
      ...(format.name ? { name: format.name } : {}),
      ...(format.description ? { description: format.description } : {}),
    };
    outputConfig.textFormat = { type: 'json_schema', structure: { jsonSchema } };
  }
  if (options.reasoningEffort) outputConfig.effort = options.reasoningEffort;
  return Object.keys(outputConfig).length ? { outputConfig } : {};
}
