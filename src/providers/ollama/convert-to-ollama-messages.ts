import { OutcropError } from '../../core/errors.js';
import type { CallOptions, Message, ModelCapabilities, ToolResultContent, Warning } from '../../core/inference/language-model.js';

export type OllamaMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; images?: string[] }
  | { role: 'assistant'; content: string; thinking?: string; tool_calls?: { function: { name: string; arguments: unknown } }[] }
  | { role: 'tool'; content: string; tool_name?: string };

/**
 * Neutral prompt to Ollama's `/api/chat` messages: images as a base64 `images` array, tool results
 * as `tool` messages named after their call, tool-call arguments as objects. Cache markers are
 * ignored. Content the model cannot take is a `ValidationException`.
 */
export function convertToOllamaMessages(prompt: Message[], capabilities: ModelCapabilities): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  for (const message of prompt) for (const part of message.content) if (part.type === 'tool-call') toolNames.set(part.toolCallId, part.toolName);
  const out: OllamaMessage[] = [];
  for (const message of prompt) {
    if (message.role === 'system') {
      out.push({ role: 'system', content: message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n') });
      continue;
    }
    if (message.role === 'assistant') {
      let content = '';
      let thinking = '';
      const toolCalls: { function: { name: string; arguments: unknown } }[] = [];
      for (const part of message.content) {
        if (part.type === 'text') content += part.text;
        else if (part.type === 'reasoning') thinking += part.text;
        else if (part.type === 'tool-call') toolCalls.push({ function: { name: part.toolName, arguments: part.input ?? {} } });
      }
      out.push({ role: 'assistant', content, ...(thinking ? { thinking } : {}), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
      continue;
    }
    const texts: string[] = [];
    const images: string[] = [];
    for (const part of message.content) {
      if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'image') {
        if (!capabilities.images) throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
        images.push(Buffer.from(part.data).toString('base64'));
      } else if (part.type === 'document') {
        throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
      } else if (part.type === 'tool-result') {
        const name = part.toolName ?? toolNames.get(part.toolCallId);
        out.push({ role: 'tool', content: toolResultText(part.content), ...(name ? { tool_name: name } : {}) });
      }
    }
    if (texts.length || images.length) out.push({ role: 'user', content: texts.join('\n'), ...(images.length ? { images } : {}) });
  }
  return out;
}

function toolResultText(content: ToolResultContent[]): string {
  return content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? JSON.stringify(item.value) : '[image]')).join('\n');
}

/**
 * Neutral tools to Ollama's `tools`. Ollama has no tool choice: `none` sends no tools, and a
 * required or named tool (which Bedrock accepts) is sent as automatic choice with a warning, the
 * named tool alone.
 */
export function prepareOllamaTools(options: CallOptions): { tools?: unknown[]; warnings: Warning[] } {
  const choice = options.toolChoice;
  if (!options.tools?.length || choice?.type === 'none') return { warnings: [] };
  const warnings: Warning[] = [];
  let tools = options.tools;
  if (choice?.type === 'required') {
    warnings.push({ setting: 'toolChoice', details: 'Ollama cannot require a tool call; the model chooses whether to call one.' });
  } else if (choice?.type === 'tool') {
    tools = tools.filter((tool) => tool.name === choice.toolName);
    warnings.push({ setting: 'toolChoice', details: `Ollama cannot force a tool call; only ${choice.toolName} is offered, and the model chooses whether to call it.` });
  }
  return {
    tools: tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema },
    })),
    warnings,
  };
}
