import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FinishReason, ToolChoice, Usage } from '../../../core/inference/language-model.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec, FamilyContext } from './family.js';
import { parseFamilyBody, unsupportedField } from './malformed-body.js';
import { convertOpenAIStyleMessages, convertOpenAIStyleTools, openAIStyleMessageSchema, openAIStyleToolCalls, openAIStyleToolSchema } from './openai-style-messages.js';
import { invocationClock, readStreamParts } from './read-stream-parts.js';
import { resultText } from './text-family.js';

/** Mistral AI chat completion (Mistral Large 24.07 / 24.11, Pixtral): messages, tools and tool choice. */
export const mistralChatRequestSchema = z
  .object({
    messages: z.array(openAIStyleMessageSchema).min(1),
    tools: z.array(openAIStyleToolSchema).optional(),
    tool_choice: z.enum(['auto', 'any', 'none']).optional(),
    max_tokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
  })
  .strict();

function mistralStopReason(reason: FinishReason): 'stop' | 'length' | 'tool_calls' {
  return reason === 'length' ? 'length' : reason === 'tool-calls' ? 'tool_calls' : 'stop';
}

const toolChoices: Record<'auto' | 'any' | 'none', ToolChoice> = { auto: { type: 'auto' }, any: { type: 'required' }, none: { type: 'none' } };

function usageOf(usage: Usage) {
  return { prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens + usage.outputTokens, completion_tokens: usage.outputTokens };
}

function envelope(context: FamilyContext, id: string, object: string) {
  return { id, object, created: Math.floor(Date.now() / 1000), model: context.modelId };
}

/** Mistral chat bodies: OpenAI-style messages and tools; chunks carry a `message`, not a `delta`. */
export const mistralChat: FamilyCodec = {
  family: 'mistral-chat',

  parseRequest(body, context) {
    const request = parseFamilyBody(mistralChatRequestSchema, body);
    const tools = request.tools?.length ? convertOpenAIStyleTools(request.tools) : undefined;
    if (request.tool_choice && request.tool_choice !== 'none' && !tools) throw unsupportedField(['tool_choice'], 'tool_choice needs tools');
    return callOptions(convertOpenAIStyleMessages(request.messages), context, {
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      tools,
      toolChoice: tools && request.tool_choice ? toolChoices[request.tool_choice] : undefined,
    });
  },

  toResponse(result, context) {
    const toolCalls = openAIStyleToolCalls(result, false);
    return {
      ...envelope(context, randomUUID(), 'chat.completion'),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: resultText(result, null), tool_calls: toolCalls.length ? toolCalls : null },
          stop_reason: toolCalls.length ? 'tool_calls' : mistralStopReason(result.finishReason),
        },
      ],
      usage: usageOf(result.usage),
    };
  },

  async *toChunks(stream, context) {
    const id = randomUUID();
    const clock = invocationClock(context);
    const chunk = (message: Record<string, unknown>, stopReason: string | null) => ({
      ...envelope(context, id, 'chat.completion.chunk'),
      choices: [{ index: 0, message: { role: 'assistant', ...message }, stop_reason: stopReason }],
    });
    const tools = new Map<string, { name: string; arguments: string }>();
    for await (const part of readStreamParts(stream)) {
      switch (part.type) {
        case 'text-delta':
          clock.mark();
          if (part.delta) yield chunk({ content: part.delta }, null);
          break;
        case 'tool-input-start':
          clock.mark();
          tools.set(part.id, { name: part.toolName, arguments: '' });
          break;
        case 'tool-input-delta': {
          const tool = tools.get(part.id);
          if (tool) tool.arguments += part.delta;
          break;
        }
        case 'tool-input-end': {
          const tool = tools.get(part.id);
          if (tool) yield chunk({ content: '', tool_calls: [{ id: part.id, function: { name: tool.name, arguments: tool.arguments || '{}' } }] }, null);
          break;
        }
        case 'finish':
          yield {
            ...chunk({ content: '' }, tools.size ? 'tool_calls' : mistralStopReason(part.finishReason)),
            usage: usageOf(part.usage),
            'amazon-bedrock-invocationMetrics': clock.metrics(part.usage),
          };
          return;
        default:
          break;
      }
    }
  },
};
