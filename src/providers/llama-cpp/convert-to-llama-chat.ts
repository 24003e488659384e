import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import { OutcropError } from '../../core/errors.js';
import type { Message, ToolResultContent } from '../../core/inference/language-model.js';

/**
 * Neutral prompt to node-llama-cpp's chat history, which the model's chat template (read from the
 * GGUF) renders. Tool results are attached to the function call they answer, as node-llama-cpp's
 * chat wrappers expect; a result whose call is not in the history becomes user text. The history
 * always ends with a model response, which the model continues: an empty one, the client's assistant
 * prefill, or the response whose tool calls just got their results.
 *
 * @example
 * convertToLlamaChat([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
 * // [{ type: 'user', text: 'hi' }, { type: 'model', response: [] }]
 */
export function convertToLlamaChat(prompt: Message[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  const system: string[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        system.push(message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n'));
        break;
      case 'user':
      case 'tool': {
        const text: string[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text.push(part.text);
          else if (part.type === 'tool-result') {
            const call = calls.get(part.toolCallId);
            const result = toolResultValue(part.content, part.isError);
            if (call) call.result = result;
            else text.push(`Result of tool call ${part.toolCallId}${part.toolName ? ` (${part.toolName})` : ''}: ${typeof result === 'string' ? result : JSON.stringify(result)}`);
          } else if (part.type === 'image') {
            // Outcrop's embedded llama.cpp runs text models only (no multimodal projector).
            throw new OutcropError('ValidationException', "This model doesn't support image content blocks.");
          } else if (part.type === 'document') {
            throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
          }
        }
        if (text.length > 0) history.push({ type: 'user', text: text.join('\n') });
        break;
      }
      case 'assistant': {
        const response: ChatModelResponse['response'] = [];
        for (const part of message.content) {
          if (part.type === 'text') response.push(part.text);
          else if (part.type === 'reasoning') response.push({ type: 'segment', segmentType: 'thought', text: part.text, ended: true });
          else if (part.type === 'tool-call') {
            const call: ChatModelFunctionCall = { type: 'functionCall', name: part.toolName, params: part.input ?? {}, result: '' };
            calls.set(part.toolCallId, call);
            response.push(call);
          }
        }
        history.push({ type: 'model', response });
        break;
      }
    }
  }
  if (system.length > 0) history.unshift({ type: 'system', text: system.join('\n') });
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

/** A tool result as the chat wrapper renders it: plain text when it is all text, JSON otherwise. */
function toolResultValue(content: ToolResultContent[], isError: boolean): unknown {
  const values = content.map((item) => (item.type === 'text' ? item.text : item.type === 'json' ? item.value : '[image]'));
  const value = values.every((item) => typeof item === 'string') ? values.join('\n') : values.length === 1 ? values[0] : values;
  return isError ? { error: value } : value;
}
