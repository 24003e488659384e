import {
  type CallOptions,
  type ImageFormat,
  type Message,
  type Part,
  type ReasoningEffort,
  type ResponseFormat,
  isReasoningEffort,
  reasoningEfforts,
  type ToolChoice,
  type ToolDefinition,
  type ToolResultContent,
} from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';
import { isPlainObject } from '../../protocol/shape-reader.js';
import type {
  ContentBlock,
  ConverseRequest,
  OutputConfig,
  SystemContentBlock,
  ToolResultContentBlock,
} from '../../protocol/generated/bedrock-runtime-types.js';

/** The part of a Converse request that shapes the prompt (shared with CountTokens). */
export type ConversePromptInput = Pick<
  ConverseRequest,
  'messages' | 'system' | 'toolConfig' | 'inferenceConfig' | 'additionalModelRequestFields' | 'guardrailConfig' | 'outputConfig'
>;

/**
 * Bedrock Converse input to a neutral call, with Bedrock's own checks: the conversation starts with a
 * user turn and alternates, tool blocks need a `toolConfig`, a named tool choice names a defined tool.
 */
export function convertConverseRequest(input: ConversePromptInput, signal?: AbortSignal): CallOptions {
  const messages = input.messages ?? [];
  if (messages.length === 0) {
    throw new OutcropError('ValidationException', "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null or empty");
  }
  const prompt: Message[] = [];
  const system = convertSystem(input.system ?? []);
  if (system) prompt.push(system);
  let usesTools = false;
  messages.forEach((message, index) => {
    if (index === 0 && message.role !== 'user') {
      throw new OutcropError('ValidationException', 'A conversation must start with a user message. Try again with a conversation that starts with a user message.');
    }
    if (index > 0 && messages[index - 1]?.role === message.role) {
      throw new OutcropError(
        'ValidationException',
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    const content: Part[] = [];
    for (const block of message.content) {
      if ('cachePoint' in block) {
        markCachePoint(content);
        continue;
      }
      const part = convertBlock(block, `messages.${index + 1}.member.content`);
      if (!part) continue;
      if (part.type === 'tool-call' || part.type === 'tool-result') usesTools = true;
      if (part.type === 'tool-call' && message.role !== 'assistant') {
        throw new OutcropError('ValidationException', 'toolUse content blocks are only allowed in assistant messages.');
      }
      if (part.type === 'tool-result' && message.role !== 'user') {
        throw new OutcropError('ValidationException', 'toolResult content blocks are only allowed in user messages.');
      }
      content.push(part);
    }
    if (content.length === 0) {
      throw new OutcropError('ValidationException', `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`);
    }
    prompt.push({ role: message.role, content });
  });
  const options: CallOptions = { prompt };
  if (signal) options.abortSignal = signal;
  const config = input.inferenceConfig;
  if (config?.maxTokens !== undefined) options.maxOutputTokens = config.maxTokens;
  if (config?.temperature !== undefined) options.temperature = config.temperature;
  if (config?.topP !== undefined) options.topP = config.topP;
  if (config?.stopSequences?.length) options.stopSequences = config.stopSequences;
  const tools = convertTools(input.toolConfig);
  if (usesTools && !input.toolConfig) {
    throw new OutcropError('ValidationException', 'The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  }
  if (tools) {
    options.tools = tools.tools;
    if (tools.toolChoice) options.toolChoice = tools.toolChoice;
  }
  const responseFormat = convertOutputConfig(input.outputConfig);
  if (responseFormat) options.responseFormat = responseFormat;
  const effort = convertEffort(input.outputConfig?.effort);
  if (effort) options.reasoningEffort = effort;
  const extra = input.additionalModelRequestFields;
  if (extra !== undefined) {
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
      throw new OutcropError('ValidationException', 'additionalModelRequestFields must be a JSON object.');
    }
    const fields = { ...(extra as Record<string, unknown>) };
    if (typeof fields.top_k === 'number') {
      options.topK = fields.top_k;
      delete fields.top_k;
    }
    if (Object.keys(fields).length) options.extraBody = fields;
  }
  return options;
}

/**
 * `outputConfig.textFormat` (structured output): the JSON schema arrives as a string and must parse
 * to a JSON object.
 */
function convertOutputConfig(config: OutputConfig | undefined): ResponseFormat | undefined {
  const format = config?.textFormat;
  if (!format) return undefined;
  const path = 'outputConfig.textFormat.structure.jsonSchema';
  const definition = 'jsonSchema' in format.structure ? format.structure.jsonSchema : undefined;
  if (!definition) throw new OutcropError('ValidationException', `${path} is required when outputConfig.textFormat is set (the only structure of type json_schema).`);
  let schema: unknown;
  try {
    schema = JSON.parse(definition.schema);
  } catch (error) {
    throw new OutcropError('ValidationException', `${path}.schema is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(schema)) {
    throw new OutcropError('ValidationException', `${path}.schema must be a JSON Schema object.`);
  }
  return {
    type: 'json-schema',
    schema,
    ...(definition.name ? { name: definition.name } : {}),
    ...(definition.description ? { description: definition.description } : {}),
  };
}

/** `outputConfig.effort`: one of Bedrock's effort levels (with or without a `textFormat`). */
function convertEffort(effort: string | undefined): ReasoningEffort | undefined {
  if (effort === undefined) return undefined;
  if (isReasoningEffort(effort)) return effort;
  throw new OutcropError(
    'ValidationException',
    `1 validation error detected: Value '${effort}' at 'outputConfig.effort' failed to satisfy constraint: Member must satisfy enum value set: [${reasoningEfforts.join(', ')}]`,
  );
}

function convertSystem(blocks: SystemContentBlock[]): Message | null {
  const parts: Part[] = [];
  for (const block of blocks) {
    if ('text' in block) parts.push({ type: 'text', text: block.text });
    else if ('guardContent' in block) {
      const text = 'text' in block.guardContent ? block.guardContent.text.text : '';
      if (text) parts.push({ type: 'text', text });
    } else if ('cachePoint' in block) markCachePoint(parts);
  }
  return parts.length ? { role: 'system', content: parts } : null;
}

/** A `cachePoint` block marks the part (or tool) before it; one with nothing before it marks nothing. */
function markCachePoint(items: { cacheControl?: boolean }[]): void {
  const last = items.at(-1);
  if (last) last.cacheControl = true;
}

function convertBlock(block: ContentBlock, path: string): Part | null {
  if ('text' in block) return { type: 'text', text: block.text };
  if ('image' in block) {
    const source = block.image.source;
    if (!('bytes' in source)) throw new OutcropError('ValidationException', `${path}: only inline image bytes are supported; S3 locations are not reachable from this server.`);
    return { type: 'image', format: block.image.format as ImageFormat, data: source.bytes };
  }
  if ('document' in block) {
    const source = block.document.source;
    if (!('bytes' in source)) throw new OutcropError('ValidationException', `${path}: only inline document bytes are supported.`);
    return { type: 'document', format: block.document.format ?? 'txt', name: block.document.name, data: source.bytes };
  }
  if ('toolUse' in block) {
    return { type: 'tool-call', toolCallId: block.toolUse.toolUseId, toolName: block.toolUse.name, input: block.toolUse.input };
  }
  if ('toolResult' in block) {
    return {
      type: 'tool-result',
      toolCallId: block.toolResult.toolUseId,
      content: block.toolResult.content.map(convertToolResultContent),
      isError: block.toolResult.status === 'error',
    };
  }
  if ('reasoningContent' in block) {
    const reasoning = block.reasoningContent;
    if ('reasoningText' in reasoning) {
      const part: Part = { type: 'reasoning', text: reasoning.reasoningText.text };
      if (reasoning.reasoningText.signature) part.signature = reasoning.reasoningText.signature;
      return part;
    }
    return null;
  }
  if ('guardContent' in block) {
    return 'text' in block.guardContent ? { type: 'text', text: block.guardContent.text.text } : null;
  }
  const kind = Object.keys(block)[0];
  throw new OutcropError('ValidationException', `${path}: ${kind} content blocks are not supported by this model.`);
}

function convertToolResultContent(content: ToolResultContentBlock): ToolResultContent {
  if ('text' in content) return { type: 'text', text: content.text };
  if ('json' in content) return { type: 'json', value: content.json };
  if ('image' in content && 'bytes' in content.image.source) return { type: 'image', format: content.image.format as ImageFormat, data: content.image.source.bytes };
  throw new OutcropError('ValidationException', `toolResult content of type ${Object.keys(content)[0]} is not supported by this model.`);
}

function convertTools(config: ConverseRequest['toolConfig']): { tools: ToolDefinition[]; toolChoice?: ToolChoice } | null {
  if (!config) return null;
  const tools: ToolDefinition[] = [];
  for (const tool of config.tools) {
    if ('cachePoint' in tool) {
      markCachePoint(tools);
      continue;
    }
    if (!('toolSpec' in tool)) continue;
    const spec = tool.toolSpec;
    const schema = 'json' in spec.inputSchema ? spec.inputSchema.json : undefined;
    if (!isPlainObject(schema)) {
      throw new OutcropError('ValidationException', `The input schema of tool ${spec.name} must be a JSON object.`);
    }
    const definition: ToolDefinition = { name: spec.name, inputSchema: schema as Record<string, unknown> };
    if (spec.description) definition.description = spec.description;
    tools.push(definition);
  }
  if (tools.length === 0) throw new OutcropError('ValidationException', 'The toolConfig field must contain at least one tool.');
  const choice = config.toolChoice;
  if (!choice) return { tools };
  if ('auto' in choice) return { tools, toolChoice: { type: 'auto' } };
  if ('any' in choice) return { tools, toolChoice: { type: 'required' } };
  const name = choice.tool.name;
  if (!tools.some((tool) => tool.name === name)) {
    throw new OutcropError('ValidationException', `The tool ${name} named in toolChoice is not defined in toolConfig.tools.`);
  }
  return { tools, toolChoice: { type: 'tool', toolName: name } };
}
