import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, Part, ToolChoice, ToolResultContent } from '../../core/inference/language-model.js';
import { isPlainObject } from '../../protocol/shape-reader.js';

type CacheControl = { cache_control?: { type: 'ephemeral' } };

type AnthropicImage = { type: 'image'; source: { type: 'base64'; media_type: string; data: string } } & CacheControl;
type AnthropicText = { type: 'text'; text: string } & CacheControl;

export type AnthropicContentBlock =
  | AnthropicText
  | AnthropicImage
  | ({ type: 'document'; source: { type: 'base64' | 'text'; media_type: string; data: string }; title?: string } & CacheControl)
  | ({ type: 'thinking'; thinking: string; signature: string } & CacheControl)
  | ({ type: 'tool_use'; id: string; name: string; input: unknown } & CacheControl)
  | ({ type: 'tool_result'; tool_use_id: string; content: (AnthropicText | AnthropicImage)[]; is_error?: boolean } & CacheControl);

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

export interface AnthropicPrompt {
  system?: AnthropicText[];
  messages: AnthropicMessage[];
}

/** Documents Anthropic reads as text; PDFs go as base64; Office formats it does not take. */
const textDocumentFormats = new Set(['txt', 'md', 'csv', 'html']);

/**
 * Neutral prompt to Anthropic's `system` and `messages`. Tool results (role `tool`) join the user
 * turn, consecutive turns of one role merge (Anthropic wants them alternating), and a part marked
 * `cacheControl` (a Bedrock `cachePoint`) gets `cache_control: {type: 'ephemeral'}`. Content the
 * model cannot take is a `ValidationException`.
 */
export function convertToAnthropicMessages(prompt: Message[], capabilities: ModelCapabilities): AnthropicPrompt {
  const system: AnthropicText[] = [];
  const messages: AnthropicMessage[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      for (const part of message.content) if (part.type === 'text') system.push(withCache({ type: 'text', text: part.text }, part));
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content: AnthropicContentBlock[] = [];
    for (const part of message.content) {
      const block = role === 'assistant' ? assistantBlock(part) : userBlock(part, capabilities);
      if (block) content.push(withCache(block, part));
    }
    if (content.length === 0) continue;
    const previous = messages.at(-1);
    if (previous?.role === role) previous.content.push(...content);
    else messages.push({ role, content });
  }
  return system.length ? { system, messages } : { messages };
}

function withCache<B extends AnthropicContentBlock>(block: B, part: { cacheControl?: boolean }): B {
  return part.cacheControl ? { ...block, cache_control: { type: 'ephemeral' } } : block;
}

function userBlock(part: Part, capabilities: ModelCapabilities): AnthropicContentBlock | null {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
      return image(part.format, part.data);
    case 'document': {
      if (!capabilities.documents) throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
      if (part.format === 'pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: base64(part.data) }, title: part.name };
      if (textDocumentFormats.has(part.format)) {
        return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(part.data).toString('utf8') }, title: part.name };
      }
      throw new OutcropError('ValidationException', `This model doesn't support ${part.format} documents; send pdf, txt, md, csv or html.`);
    }
    case 'tool-result':
      return {
        type: 'tool_result',
        tool_use_id: part.toolCallId,
        content: part.content.map((item) => toolResultBlock(item, capabilities)),
        ...(part.isError ? { is_error: true } : {}),
      };
    default:
      return null;
  }
}

function assistantBlock(part: Part): AnthropicContentBlock | null {
  switch (part.type) {
    case 'text':
      return part.text ? { type: 'text', text: part.text } : null;
    case 'reasoning':
      // Anthropic accepts earlier thinking only with the signature it issued.
      return part.signature ? { type: 'thinking', thinking: part.text, signature: part.signature } : null;
    case 'tool-call':
      return { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} };
    default:
      return null;
  }
}

function toolResultBlock(item: ToolResultContent, capabilities: ModelCapabilities): AnthropicText | AnthropicImage {
  if (item.type === 'text') return { type: 'text', text: item.text };
  if (item.type === 'json') return { type: 'text', text: JSON.stringify(item.value) };
  if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
  return image(item.format, item.data);
}

function image(format: string, data: Uint8Array): AnthropicImage {
  return { type: 'image', source: { type: 'base64', media_type: `image/${format}`, data: base64(data) } };
}

function base64(data: Uint8Array): string {
  return Buffer.from(data).toString('base64');
}

/** Neutral tools and tool choice to Anthropic's `tools` / `tool_choice`; a cache-marked tool gets `cache_control`. */
export function prepareAnthropicTools(options: CallOptions): Record<string, unknown> {
  if (!options.tools?.length) return {};
  return {
    tools: options.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.inputSchema,
      ...(tool.cacheControl ? { cache_control: { type: 'ephemeral' } } : {}),
    })),
    ...(options.toolChoice ? { tool_choice: mapToolChoice(options.toolChoice) } : {}),
  };
}

/**
 * Neutral structured output and reasoning effort to Anthropic's `output_config`: `format`
 * (`json_schema`) and `effort` (Anthropic's levels are Bedrock's: low, medium, high, xhigh, max),
 * merged with an `output_config` the caller passed through `extraBody`, whose members win; none
 * without either.
 */
export function prepareAnthropicOutputConfig(options: CallOptions, extraOutputConfig: unknown): Record<string, unknown> {
  if (!options.responseFormat && !options.reasoningEffort) return {};
  const given = isPlainObject(extraOutputConfig) ? extraOutputConfig : {};
  return {
    output_config: {
      ...(options.responseFormat ? { format: { type: 'json_schema', schema: options.responseFormat.schema } } : {}),
      ...(options.reasoningEffort ? { effort: options.reasoningEffort } : {}),
      ...given,
    },
  };
}

function mapToolChoice(choice: ToolChoice): Record<string, string> {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'required':
      return { type: 'any' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      return { type: 'tool', name: choice.toolName };
  }
}
