import type { CallOptions, Message, ModelCapabilities, ToolResultContent } from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';

type CohereContent = string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];
type CohereToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

export type CohereMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: CohereContent }
  | { role: 'assistant'; content: string }
  | { role: 'assistant'; tool_plan?: string; tool_calls: CohereToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/**
 * Neutral prompt to Cohere v2 chat messages. An assistant turn that calls tools sends its text as
 * the `tool_plan` (Cohere's account of what it is about to do, which Outcrop returns as text); tool
 * results become `tool` messages. Documents are a `ValidationException`.
 */
export function convertToCohereMessages(prompt: Message[], capabilities: ModelCapabilities): CohereMessage[] {
  const out: CohereMessage[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      out.push({ role: 'system', content: message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n') });
    } else if (message.role === 'assistant') {
      let text = '';
      const toolCalls: CohereToolCall[] = [];
      for (const part of message.content) {
        if (part.type === 'text') text += part.text;
        else if (part.type === 'tool-call') {
          toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } });
        }
      }
      out.push(toolCalls.length ? { role: 'assistant', ...(text ? { tool_plan: text } : {}), tool_calls: toolCalls } : { role: 'assistant', content: text });
    } else {
      const parts: Exclude<CohereContent, string> = [];
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
    }
  }
  return out;
}

function toolResultText(content: ToolResultContent[]): string {
  return content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? JSON.stringify(item.value) : '[image]')).join('\n');
}

/**
 * Neutral tools to Cohere's. `tool_choice` is `REQUIRED` or `NONE` (auto is the default); Cohere
 * cannot name one tool, so choosing a tool sends only that tool, required.
 */
export function prepareCohereTools(options: CallOptions): Record<string, unknown> {
  if (!options.tools?.length) return {};
  const choice = options.toolChoice;
  const tools = choice?.type === 'tool' ? options.tools.filter((tool) => tool.name === choice.toolName) : options.tools;
  return {
    tools: tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema },
    })),
    ...(choice?.type === 'required' || choice?.type === 'tool' ? { tool_choice: 'REQUIRED' } : {}),
    ...(choice?.type === 'none' ? { tool_choice: 'NONE' } : {}),
  };
}
