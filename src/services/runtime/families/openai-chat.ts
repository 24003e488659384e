import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FinishReason, ResponseFormat, ToolChoice, Usage } from '../../../core/inference/language-model.js';
import { isPlainObject } from '../../../protocol/shape-reader.js';
import { toStructuredOutput } from '../../openai/json-response-format.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec, FamilyContext } from './family.js';
import { parseFamilyBody, unsupportedField } from './malformed-body.js';
import { convertOpenAIStyleMessages, convertOpenAIStyleTools, openAIStyleMessageSchema, openAIStyleToolCalls, openAIStyleToolSchema } from './openai-style-messages.js';
import { invocationClock, readStreamParts } from './read-stream-parts.js';
import { reasoningTags, resultText } from './text-family.js';

/** OpenAI gpt-oss on Bedrock: a Chat Completions body; the answer is a `chat.completion` object. */
export const openAIChatRequestSchema = z
  .object({
    messages: z.array(openAIStyleMessageSchema).min(1),
    model: z.string().optional(),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).strict().optional(),
    max_completion_tokens: z.number().int().min(1).optional(),
    max_tokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
    tools: z.array(openAIStyleToolSchema).optional(),
    tool_choice: z
      .union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }).strict() }).strict()])
      .optional(),
    parallel_tool_calls: z.boolean().optional(),
    n: z.number().int().min(1).optional(),
    seed: z.number().int().optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    reasoning_effort: z.enum(['low', 'medium', 'high']).optional(),
    response_format: z.object({ type: z.string() }).loose().optional(),
    logprobs: z.boolean().optional(),
    top_logprobs: z.number().int().optional(),
    user: z.string().optional(),
  })
  .strict();

type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;

function finishReasonOf(reason: FinishReason): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  return reason === 'length' ? 'length' : reason === 'tool-calls' ? 'tool_calls' : reason === 'content-filter' ? 'content_filter' : 'stop';
}

function usageOf(usage: Usage) {
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
}

function envelope(context: FamilyContext, id: string, object: string) {
  return { id, object, created: Math.floor(Date.now() / 1000), model: context.modelId };
}

function toolChoiceOf(choice: NonNullable<OpenAIChatRequest['tool_choice']>): ToolChoice {
  if (typeof choice !== 'string') return { type: 'tool', toolName: choice.function.name };
  return { type: choice === 'required' ? 'required' : choice };
}

/** Settings Bedrock accepts that this server cannot honour are refused by name. */
function checkSupported(request: OpenAIChatRequest, context: FamilyContext): void {
  if (request.stream !== undefined && context.stream !== undefined && request.stream !== context.stream) {
    throw unsupportedField(['stream'], `must be ${context.stream} for ${context.stream ? 'InvokeModelWithResponseStream' : 'InvokeModel'}`);
  }
  if (request.model !== undefined && !context.modelId.endsWith(request.model)) {
    throw unsupportedField(['model'], `'${request.model}' does not match the model ID of the request`);
  }
  if (request.n !== undefined && request.n > 1) throw unsupportedField(['n'], 'only one completion (n = 1) is supported');
  if (request.logprobs || request.top_logprobs !== undefined) throw unsupportedField([request.logprobs ? 'logprobs' : 'top_logprobs'], 'log probabilities are not supported');
}

function chatId(): string {
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

/** gpt-oss bodies: Chat Completions in, `chat.completion` / `chat.completion.chunk` out, reasoning in `<reasoning>` tags. */
export const openAIChat: FamilyCodec = {
  family: 'openai',

  parseRequest(body, context) {
    const request = parseFamilyBody(openAIChatRequestSchema, body);
    checkSupported(request, context);
    const tools = request.tools?.length ? convertOpenAIStyleTools(request.tools) : undefined;
    const toolChoice = request.tool_choice ? toolChoiceOf(request.tool_choice) : undefined;
    if ((toolChoice?.type === 'required' || toolChoice?.type === 'tool') && !tools) throw unsupportedField(['tool_choice'], 'tool_choice needs tools');
    if (toolChoice?.type === 'tool' && !tools?.some((tool) => tool.name === toolChoice.toolName)) {
      throw unsupportedField(['tool_choice', 'function', 'name'], `tool '${toolChoice.toolName}' is not defined in tools`);
    }
    const responseFormat = jsonSchemaFormat(request.response_format);
    const extraBody: Record<string, unknown> = {};
    for (const key of ['seed', 'frequency_penalty', 'presence_penalty', 'response_format', 'parallel_tool_calls'] as const) {
      if (request[key] !== undefined && !(key === 'response_format' && responseFormat)) extraBody[key] = request[key];
    }
    return callOptions(convertOpenAIStyleMessages(request.messages), context, {
      maxOutputTokens: request.max_completion_tokens ?? request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      stopSequences: typeof request.stop === 'string' ? [request.stop] : request.stop,
      tools,
      toolChoice: tools ? toolChoice : undefined,
      responseFormat,
      reasoningEffort: request.reasoning_effort,
      extraBody,
    });
  },

  toResponse(result, context) {
    const toolCalls = openAIStyleToolCalls(result, true);
    const text = resultText(result, reasoningTags);
    return {
      ...envelope(context, chatId(), 'chat.completion'),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text || (toolCalls.length ? null : ''), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
          finish_reason: toolCalls.length ? 'tool_calls' : finishReasonOf(result.finishReason),
        },
      ],
      usage: usageOf(result.usage),
    };
  },

  async *toChunks(stream, context) {
    const id = chatId();
    const clock = invocationClock(context);
    const toolIndexes = new Map<string, number>();
    const chunk = (delta: Record<string, unknown>) => ({ ...envelope(context, id, 'chat.completion.chunk'), choices: [{ index: 0, delta, finish_reason: null }] });
    const content = (text: string) => {
      clock.mark();
      return chunk({ content: text });
    };
    for await (const part of readStreamParts(stream)) {
      switch (part.type) {
        case 'stream-start':
          yield chunk({ role: 'assistant', content: '' });
          break;
        case 'text-delta':
          if (part.delta) yield content(part.delta);
          break;
        case 'reasoning-start':
          yield content(reasoningTags?.open ?? '');
          break;
        case 'reasoning-delta':
          if (part.delta) yield content(part.delta);
          break;
        case 'reasoning-end':
          yield content(reasoningTags?.close ?? '');
          break;
        case 'tool-input-start': {
          clock.mark();
          const index = toolIndexes.size;
          toolIndexes.set(part.id, index);
          yield chunk({ tool_calls: [{ index, id: part.id, type: 'function', function: { name: part.toolName, arguments: '' } }] });
          break;
        }
        case 'tool-input-delta':
          if (part.delta) yield chunk({ tool_calls: [{ index: toolIndexes.get(part.id) ?? 0, function: { arguments: part.delta } }] });
          break;
        case 'finish':
          yield {
            ...envelope(context, id, 'chat.completion.chunk'),
            choices: [{ index: 0, delta: {}, finish_reason: toolIndexes.size ? 'tool_calls' : finishReasonOf(part.finishReason) }],
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

/**
 * A `json_schema` response format as the neutral structured output, so every backend enforces it its
 * own way (a grammar on llama.cpp); `json_object` and `text` go to the backend as they are.
 */
function jsonSchemaFormat(format: OpenAIChatRequest['response_format']): ResponseFormat | undefined {
  if (format?.type !== 'json_schema') return undefined;
  const definition = (format as { json_schema?: unknown }).json_schema;
  if (!isPlainObject(definition) || !isPlainObject(definition.schema)) {
    throw unsupportedField(['response_format', 'json_schema', 'schema'], 'a json_schema response format needs its JSON Schema object');
  }
  return toStructuredOutput({ ...definition, schema: definition.schema });
}
