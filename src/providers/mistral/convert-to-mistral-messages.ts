import { createHash } from 'node:crypto';
import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, ToolChoice, ToolResultContent } from '../../core/inference/language-model.js';

type MistralContent = string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: string })[];
type MistralToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

export type MistralMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: MistralContent }
  | { role: 'assistant'; content: string; tool_calls?: MistralToolCall[]; prefix?: true }
  | { role: 'tool'; tool_call_id: string; name?: string; content: string };

const compliantId = /^[a-zA-Z0-9]{9}$/;
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Mistral accepts only tool call IDs of 9 letters and digits. IDs Mistral made pass unchanged; others
 * (Bedrock's `tooluse_...`, another model's `call_...`) map to a stable 9-character digest, so a tool
 * call and its result still match.
 *
 * @example
 * toMistralToolCallId('tooluse_kZJMlvQmRJ6eAyJE5GIl7Q'); // always the same 9 characters
 */
export function toMistralToolCallId(id: string): string {
  if (compliantId.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let index = 0; index < 9; index++) out += alphabet[(digest[index] ?? 0) % alphabet.length];
  return out;
}

/**
 * Neutral prompt to Mistral's chat messages: images as `image_url` strings (data URLs), tool call
 * IDs made compliant, tool results named after their call, and a final assistant message sent as a
 * `prefix` (Mistral's form of a prefilled answer). Documents are a `ValidationException`.
 */
export function convertToMistralMessages(prompt: Message[], capabilities: ModelCapabilities): MistralMessage[] {
  const toolNames = new Map<string, string>();
  const out: MistralMessage[] = [];
  const toolResult = (toolCallId: string, toolName: string | undefined, content: ToolResultContent[]): MistralMessage => {
    const name = toolName ?? toolNames.get(toolCallId);
    return { role: 'tool', tool_call_id: toMistralToolCallId(toolCallId), ...(name ? { name } : {}), content: toolResultText(content) };
  };
  for (const message of prompt) {
    if (message.role === 'system') {
      out.push({ role: 'system', content: message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n') });
    } else if (message.role === 'assistant') {
      let text = '';
      const toolCalls: MistralToolCall[] = [];
      for (const part of message.content) {
        if (part.type === 'text') text += part.text;
        else if (part.type === 'tool-call') {
          toolNames.set(part.toolCallId, part.toolName);
          toolCalls.push({ id: toMistralToolCallId(part.toolCallId), type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } });
        }
      }
      out.push({ role: 'assistant', content: text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
    } else {
      const parts: Exclude<MistralContent, string> = [];
      for (const part of message.content) {
        if (part.type === 'text') parts.push({ type: 'text', text: part.text });
        else if (part.type === 'image') {
          if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
          parts.push({ type: 'image_url', image_url: `data:image/${part.format};base64,${Buffer.from(part.data).toString('base64')}` });
        } else if (part.type === 'document') {
          throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
        } else if (part.type === 'tool-result') {
          out.push(toolResult(part.toolCallId, part.toolName, part.content));
        }
      }
      if (parts.length === 1 && parts[0]?.type === 'text') out.push({ role: 'user', content: parts[0].text });
      else if (parts.length > 0) out.push({ role: 'user', content: parts });
    }
  }
  const last = out.at(-1);
  if (last?.role === 'assistant' && !last.tool_calls) last.prefix = true;
  return out;
}

function toolResultText(content: ToolResultContent[]): string {
  return content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? JSON.stringify(item.value) : '[image]')).join('\n');
}

/** Neutral tools to Mistral's: `tool_choice` is `auto`, `any` (a tool must be called), `none`, or one function. */
export function prepareMistralTools(options: CallOptions): Record<string, unknown> {
  if (!options.tools?.length) return {};
  return {
    tools: options.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema },
    })),
    ...(options.toolChoice ? { tool_choice: mapToolChoice(options.toolChoice) } : {}),
  };
}

function mapToolChoice(choice: ToolChoice): unknown {
  switch (choice.type) {
    case 'required':
      return 'any';
    case 'tool':
      return { type: 'function', function: { name: choice.toolName } };
    default:
      return choice.type;
  }
}
