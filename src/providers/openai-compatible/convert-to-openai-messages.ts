import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, ToolChoice } from '../../core/inference/language-model.js';
import { toOpenAIJsonSchema } from '../shared/openai-json-schema.js';

type OpenAIContent = string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];

export type OpenAIMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: OpenAIContent }
  | { role: 'assistant'; content: string | null; tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** Neutral prompt to OpenAI chat messages. Unsupported content is a `ValidationException`. */
export function convertToOpenAIMessages(prompt: Message[], capabilities: ModelCapabilities): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n') });
        break;
      case 'user': {
        const parts: Exclude<OpenAIContent, string> = [];
        for (const part of message.content) {
          if (part.type === 'text') parts.push({ type: 'text', text: part.text });
          else if (part.type === 'image') {
            if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
            parts.push({ type: 'image_url', image_url: { url: `data:image/${part.format};base64,${Buffer.from(part.data).toString('base64')}` } });
          } else if (part.type === 'document') {
            throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
          } else if (part.type === 'tool-result') {
            out.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolResultText(part.content) });
          }
        }
        if (parts.length === 1 && parts[0]?.type === 'text') out.push({ role: 'user', content: parts[0].text });
        else if (parts.length > 0) out.push({ role: 'user', content: parts });
        break;
      }
      case 'tool':
        for (const part of message.content) {
          if (part.type === 'tool-result') out.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolResultText(part.content) });
        }
        break;
      case 'assistant': {
        let text = '';
        const toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'tool-call') {
            toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } });
          }
        }
        out.push(toolCalls.length ? { role: 'assistant', content: text || null, tool_calls: toolCalls } : { role: 'assistant', content: text });
        break;
      }
    }
  }
  return out;
}

function toolResultText(content: { type: string; text?: string; value?: unknown }[]): string {
  return content
    .map((item) => (item.type === 'text' ? (item.text ?? '') : item.type === 'json' ? JSON.stringify(item.value) : '[image]'))
    .join('\n');
}

/** Neutral tools and tool choice to OpenAI's `tools` / `tool_choice`. */
export function prepareOpenAITools(options: CallOptions): Record<string, unknown> {
  if (!options.tools?.length) return {};
  return {
    tools: options.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema },
    })),
    ...(options.toolChoice ? { tool_choice: mapToolChoice(options.toolChoice) } : {}),
  };
}

/** Neutral structured output to OpenAI's `response_format` of type `json_schema` (strict); none without one. */
export function prepareOpenAIResponseFormat(options: CallOptions): Record<string, unknown> {
  if (!options.responseFormat) return {};
  return { response_format: { type: 'json_schema', json_schema: toOpenAIJsonSchema(options.responseFormat) } };
}

function mapToolChoice(choice: ToolChoice): unknown {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'required':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.toolName } };
  }
}
