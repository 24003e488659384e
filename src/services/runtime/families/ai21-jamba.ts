import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FinishReason, Usage } from '../../../core/inference/language-model.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec, FamilyContext } from './family.js';
import { parseFamilyBody, unsupportedField } from './malformed-body.js';
import { convertOpenAIStyleMessages, convertOpenAIStyleTools, openAIStyleMessageSchema, openAIStyleToolCalls, openAIStyleToolSchema } from './openai-style-messages.js';
import { invocationClock, readStreamParts } from './read-stream-parts.js';
import { resultText } from './text-family.js';

/** AI21 Labs Jamba (Instruct, 1.5 Mini/Large): an OpenAI-like chat body. */
export const jambaRequestSchema = z
  .object({
    messages: z.array(openAIStyleMessageSchema).min(1),
    n: z.number().int().min(1).max(16).optional(),
    max_tokens: z.number().int().min(0).max(4096).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    stop: z.union([z.string(), z.array(z.string())]).optional(),
    frequency_penalty: z.number().optional(),
    presence_penalty: z.number().optional(),
    tools: z.array(openAIStyleToolSchema).optional(),
    response_format: z.object({ type: z.enum(['text', 'json_object']) }).strict().optional(),
    documents: z.array(z.unknown()).optional(),
  })
  .strict();

function jambaFinishReason(reason: FinishReason): 'stop' | 'length' | 'tool_calls' {
  return reason === 'length' ? 'length' : reason === 'tool-calls' ? 'tool_calls' : 'stop';
}

function usageOf(usage: Usage) {
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
}

function meta(context: FamilyContext) {
  return { requestDurationMillis: Math.round(performance.now() - context.started) };
}

function chatId(): string {
  return `chat-${randomBytes(16).toString('hex')}`;
}

/** Jamba bodies: OpenAI-style messages; answers and chunks are OpenAI-like with `meta.requestDurationMillis`. */
export const ai21Jamba: FamilyCodec = {
  family: 'ai21-jamba',

  parseRequest(body, context) {
    const request = parseFamilyBody(jambaRequestSchema, body);
    if (request.n !== undefined && request.n > 1) throw unsupportedField(['n'], 'only one completion (n = 1) is supported');
    if (request.documents?.length) throw unsupportedField(['documents'], 'document grounding is not supported');
    const extraBody: Record<string, unknown> = {};
    if (request.frequency_penalty !== undefined) extraBody.frequency_penalty = request.frequency_penalty;
    if (request.presence_penalty !== undefined) extraBody.presence_penalty = request.presence_penalty;
    if (request.response_format && request.response_format.type !== 'text') extraBody.response_format = request.response_format;
    return callOptions(convertOpenAIStyleMessages(request.messages), context, {
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      stopSequences: typeof request.stop === 'string' ? [request.stop] : request.stop,
      tools: request.tools?.length ? convertOpenAIStyleTools(request.tools) : undefined,
      extraBody,
    });
  },

  toResponse(result, context) {
    const toolCalls = openAIStyleToolCalls(result, true);
    return {
      id: chatId(),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: resultText(result, null), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
          finish_reason: toolCalls.length ? 'tool_calls' : jambaFinishReason(result.finishReason),
        },
      ],
      usage: usageOf(result.usage),
      meta: meta(context),
    };
  },

  async *toChunks(stream, context) {
    const id = chatId();
    const clock = invocationClock(context);
    const tools = new Map<string, { name: string; arguments: string }>();
    const chunk = (delta: Record<string, unknown>) => ({ id, choices: [{ index: 0, delta, finish_reason: null, stop_reason: null }] });
    for await (const part of readStreamParts(stream)) {
      switch (part.type) {
        case 'stream-start':
          yield chunk({ role: 'assistant' });
          break;
        case 'text-delta':
          clock.mark();
          if (part.delta) yield chunk({ content: part.delta });
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
          if (tool) yield chunk({ tool_calls: [{ id: part.id, type: 'function', function: { name: tool.name, arguments: tool.arguments || '{}' } }] });
          break;
        }
        case 'finish':
          yield {
            id,
            choices: [{ index: 0, delta: {}, finish_reason: tools.size ? 'tool_calls' : jambaFinishReason(part.finishReason), stop_reason: null }],
            usage: usageOf(part.usage),
            meta: meta(context),
            'amazon-bedrock-invocationMetrics': clock.metrics(part.usage),
          };
          return;
        default:
          break;
      }
    }
  },
};
