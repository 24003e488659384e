import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, ToolChoice, ToolResultContent } from '../../core/inference/language-model.js';
import { toOpenAIJsonSchema } from '../shared/openai-json-schema.js';

type InputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string }
  | { type: 'input_file'; filename: string; file_data: string };

/** The Responses API's input items that Outcrop sends. */
export type OpenAIInputItem =
  | { role: 'user'; content: InputContent[] }
  | { role: 'assistant'; content: { type: 'output_text'; text: string }[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string | InputContent[] };

/**
 * Neutral prompt to the Responses API: system text becomes `instructions`; messages, tool calls and
 * tool results become `message`, `function_call` and `function_call_output` input items. Reasoning
 * from earlier turns is not sent back. Content the model cannot take is a `ValidationException`.
 */
export function convertToOpenAIMessages(prompt: Message[], capabilities: ModelCapabilities): { instructions?: string; input: OpenAIInputItem[] } {
  const instructions: string[] = [];
  const input: OpenAIInputItem[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      for (const part of message.content) if (part.type === 'text') instructions.push(part.text);
      continue;
    }
    if (message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'text' && part.text) input.push({ role: 'assistant', content: [{ type: 'output_text', text: part.text }] });
        else if (part.type === 'tool-call') {
          input.push({ type: 'function_call', call_id: part.toolCallId, name: part.toolName, arguments: JSON.stringify(part.input ?? {}) });
        }
      }
      continue;
    }
    const content: InputContent[] = [];
    for (const part of message.content) {
      if (part.type === 'text') content.push({ type: 'input_text', text: part.text });
      else if (part.type === 'image') content.push(imageContent(part.format, part.data, capabilities));
      else if (part.type === 'document') {
        if (!capabilities.documents || part.format !== 'pdf') throw new OutcropError('ValidationException', "This model doesn't support document content blocks of this format.");
        content.push({ type: 'input_file', filename: `${part.name}.pdf`, file_data: `data:application/pdf;base64,${Buffer.from(part.data).toString('base64')}` });
      } else if (part.type === 'tool-result') {
        input.push({ type: 'function_call_output', call_id: part.toolCallId, output: toolOutput(part.content, capabilities) });
      }
    }
    if (content.length > 0) input.push({ role: 'user', content });
  }
  return { ...(instructions.length ? { instructions: instructions.join('\n') } : {}), input };
}

function imageContent(format: string, data: Uint8Array, capabilities: ModelCapabilities): InputContent {
  if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
  return { type: 'input_image', image_url: `data:image/${format};base64,${Buffer.from(data).toString('base64')}` };
}

/** A tool result as text, or as content items when it holds images. */
function toolOutput(content: ToolResultContent[], capabilities: ModelCapabilities): string | InputContent[] {
  const text = (item: ToolResultContent) => (item.type === 'text' ? item.text : item.type === 'json' ? JSON.stringify(item.value) : '');
  if (!content.some((item) => item.type === 'image')) return content.map(text).join('\n');
  return content.map((item) => (item.type === 'image' ? imageContent(item.format, item.data, capabilities) : { type: 'input_text', text: text(item) }));
}

/**
 * Neutral tools to the Responses API's flat function tools. `strict` is off: Bedrock tool schemas
 * need not meet OpenAI's strict-mode rules.
 */
export function prepareOpenAITools(options: CallOptions): Record<string, unknown> {
  if (!options.tools?.length) return {};
  return {
    tools: options.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
      strict: false,
    })),
    ...(options.toolChoice ? { tool_choice: mapToolChoice(options.toolChoice) } : {}),
  };
}

/** Neutral structured output to the Responses API's `text.format` of type `json_schema` (strict); none without one. */
export function prepareOpenAITextFormat(options: CallOptions): Record<string, unknown> {
  if (!options.responseFormat) return {};
  return { text: { format: { type: 'json_schema', ...toOpenAIJsonSchema(options.responseFormat) } } };
}

function mapToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', name: choice.toolName } : choice.type;
}
