import { z } from 'zod';
import type { GenerateResult, ImageFormat, Message, Part, ToolDefinition } from '../../../core/inference/language-model.js';
import { OutcropError } from '../../../core/errors.js';
import { unsupportedField } from './malformed-body.js';

/**
 * Mistral chat, AI21 Jamba and OpenAI gpt-oss bodies share OpenAI's chat message and tool shapes.
 * These schemas and converters serve all three; each codec adds its own top-level fields.
 */

const textContentPart = z.object({ type: z.literal('text'), text: z.string() }).strict();
const imageContentPart = z
  .object({ type: z.literal('image_url'), image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() }).strict()]) })
  .strict();

const toolCallSchema = z
  .object({
    id: z.string(),
    type: z.literal('function').optional(),
    index: z.number().int().optional(),
    function: z.object({ name: z.string(), arguments: z.string() }).strict(),
  })
  .strict();

export const openAIStyleMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textContentPart, imageContentPart]))]).nullish(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).nullish(),
    tool_call_id: z.string().optional(),
  })
  .strict();

export const openAIStyleToolSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().optional() })
      .strict(),
  })
  .strict();

export type OpenAIStyleMessage = z.infer<typeof openAIStyleMessageSchema>;
export type OpenAIStyleTool = z.infer<typeof openAIStyleToolSchema>;

const dataUrl = /^data:image\/(png|jpeg|jpg|gif|webp);base64,(.*)$/s;

function contentParts(content: OpenAIStyleMessage['content'], path: (string | number)[]): Part[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((item, index): Part => {
    if (item.type === 'text') return { type: 'text', text: item.text };
    const url = typeof item.image_url === 'string' ? item.image_url : item.image_url.url;
    const match = dataUrl.exec(url);
    if (!match) throw unsupportedField([...path, index, 'image_url'], 'only data: URLs of PNG, JPEG, GIF or WebP images are supported');
    const format = (match[1] === 'jpg' ? 'jpeg' : match[1]) as ImageFormat;
    return { type: 'image', format, data: Buffer.from(match[2] ?? '', 'base64') };
  });
}

function textOnly(parts: Part[], path: (string | number)[]): string {
  if (parts.some((part) => part.type !== 'text')) throw unsupportedField(path, 'only text content is allowed in this role');
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

function parseArguments(text: string, path: (string | number)[]): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw unsupportedField(path, 'the tool-call arguments are not valid JSON');
  }
}

/**
 * OpenAI-style chat messages to the neutral prompt: `system` and `developer` become system turns,
 * `tool` turns become tool results (named after the assistant call they answer).
 *
 * @example
 * convertOpenAIStyleMessages([{ role: 'user', content: 'Hi' }]) // [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]
 */
export function convertOpenAIStyleMessages(messages: OpenAIStyleMessage[]): Message[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, index): Message => {
    const path = ['messages', index, 'content'];
    const parts = contentParts(message.content, path);
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: [{ type: 'text', text: textOnly(parts, path) }] };
      case 'user':
        return { role: 'user', content: parts };
      case 'assistant': {
        const calls = (message.tool_calls ?? []).map((call, callIndex): Part => {
          toolNames.set(call.id, call.function.name);
          return {
            type: 'tool-call',
            toolCallId: call.id,
            toolName: call.function.name,
            input: parseArguments(call.function.arguments, ['messages', index, 'tool_calls', callIndex, 'function', 'arguments']),
          };
        });
        return { role: 'assistant', content: [...parts, ...calls] };
      }
      default: {
        // role 'tool'
        if (!message.tool_call_id) {
          throw new OutcropError('ValidationException', `Malformed input request: #/messages/${index}: required key [tool_call_id] not found, please reformat your input and try again.`);
        }
        const toolName = toolNames.get(message.tool_call_id) ?? message.name;
        return {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: message.tool_call_id, ...(toolName ? { toolName } : {}), content: [{ type: 'text', text: textOnly(parts, path) }], isError: false }],
        };
      }
    }
  });
}

/** OpenAI-style `tools` to neutral tool definitions. */
export function convertOpenAIStyleTools(tools: OpenAIStyleTool[]): ToolDefinition[] {
  return tools.map(({ function: tool }) => ({
    name: tool.name,
    inputSchema: tool.parameters ?? { type: 'object', properties: {} },
    ...(tool.description ? { description: tool.description } : {}),
  }));
}

/** The result's tool calls as OpenAI-style `tool_calls` (Mistral omits `type`). */
export function openAIStyleToolCalls(result: GenerateResult, withType: boolean): Record<string, unknown>[] {
  return result.content.flatMap((part) =>
    part.type === 'tool-call'
      ? [{ id: part.toolCallId, ...(withType ? { type: 'function' } : {}), function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } }]
      : [],
  );
}
