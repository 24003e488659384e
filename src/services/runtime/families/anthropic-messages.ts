import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CallOptions, FinishReason, ImageFormat, Message, Part, StreamPart, ToolChoice } from '../../../core/inference/language-model.js';
import { OutcropError } from '../../../core/errors.js';
import type { FamilyCodec, FamilyContext } from './family.js';
import { malformedBody } from './malformed-body.js';

const textBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: z.unknown().optional(), citations: z.unknown().optional() });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.object({ type: z.literal('base64'), media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']), data: z.string() }),
  cache_control: z.unknown().optional(),
});
const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown(), cache_control: z.unknown().optional() });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: z.unknown().optional(),
});
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
const redactedThinking = z.object({ type: z.literal('redacted_thinking'), data: z.string() });
const documentBlock = z.object({ type: z.literal('document'), source: z.unknown(), title: z.string().optional(), context: z.string().optional(), citations: z.unknown().optional(), cache_control: z.unknown().optional() });
const contentBlock = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinking, documentBlock]);

/** Anthropic Messages on Bedrock (`anthropic_version: bedrock-2023-05-31`). */
export const anthropicRequestSchema = z
  .object({
    anthropic_version: z.string(),
    anthropic_beta: z.array(z.string()).optional(),
    max_tokens: z.number().int().min(1),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(contentBlock)]) }).strict()).min(1),
    system: z.union([z.string(), z.array(textBlock)]).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stop_sequences: z.array(z.string()).optional(),
    tools: z
      .array(
        z.object({
          name: z.string(),
          description: z.string().optional(),
          input_schema: z.record(z.string(), z.unknown()),
          type: z.string().optional(),
          cache_control: z.unknown().optional(),
        }),
      )
      .optional(),
    tool_choice: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('none') }),
      ])
      .optional(),
    thinking: z.unknown().optional(),
    metadata: z.unknown().optional(),
  })
  .strict();

type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;

const stopReasons: Record<FinishReason, string> = {
  stop: 'end_turn',
  'stop-sequence': 'stop_sequence',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'end_turn',
  error: 'end_turn',
  other: 'end_turn',
};

function imageFormat(mediaType: string): ImageFormat {
  return mediaType.slice('image/'.length) as ImageFormat;
}

function convertMessage(message: AnthropicRequest['messages'][number]): Message {
  if (typeof message.content === 'string') return { role: message.role, content: [{ type: 'text', text: message.content }] };
  const content: Part[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        content.push({ type: 'text', text: block.text });
        break;
      case 'image':
        content.push({ type: 'image', format: imageFormat(block.source.media_type), data: Buffer.from(block.source.data, 'base64') });
        break;
      case 'tool_use':
        content.push({ type: 'tool-call', toolCallId: block.id, toolName: block.name, input: block.input });
        break;
      case 'tool_result': {
        const items = typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : (block.content ?? []);
        content.push({
          type: 'tool-result',
          toolCallId: block.tool_use_id,
          isError: block.is_error ?? false,
          content: items.map((item) =>
            item.type === 'text' ? { type: 'text' as const, text: item.text } : { type: 'image' as const, format: imageFormat(item.source.media_type), data: Buffer.from(item.source.data, 'base64') },
          ),
        });
        break;
      }
      case 'thinking':
        content.push({ type: 'reasoning', text: block.thinking, ...(block.signature ? { signature: block.signature } : {}) });
        break;
      case 'document':
        throw new OutcropError('ValidationException', "This model doesn't support document content blocks.");
      default:
        break;
    }
  }
  return { role: message.role, content };
}

function messageId(): string {
  return `msg_bdrk_${randomBytes(12).toString('base64url')}`;
}

export const anthropicMessages: FamilyCodec = {
  family: 'anthropic',

  parseRequest(body: unknown, context: FamilyContext): CallOptions {
    const parsed = anthropicRequestSchema.safeParse(body);
    if (!parsed.success) throw malformedBody(parsed.error);
    const request = parsed.data;
    if (request.anthropic_version !== 'bedrock-2023-05-31') {
      throw new OutcropError('ValidationException', `Malformed input request: #/anthropic_version: unsupported version '${request.anthropic_version}', expected bedrock-2023-05-31`);
    }
    if (request.messages[0]?.role !== 'user') throw new OutcropError('ValidationException', 'messages: first message must use the "user" role');
    const prompt: Message[] = [];
    if (request.system !== undefined) {
      const text = typeof request.system === 'string' ? request.system : request.system.map((block) => block.text).join('\n');
      if (text) prompt.push({ role: 'system', content: [{ type: 'text', text }] });
    }
    for (const message of request.messages) prompt.push(convertMessage(message));
    const options: CallOptions = { prompt, maxOutputTokens: request.max_tokens };
    if (context.signal) options.abortSignal = context.signal;
    if (request.temperature !== undefined) options.temperature = request.temperature;
    if (request.top_p !== undefined) options.topP = request.top_p;
    if (request.top_k !== undefined) options.topK = request.top_k;
    if (request.stop_sequences?.length) options.stopSequences = request.stop_sequences;
    if (request.tools?.length) {
      options.tools = request.tools.map((tool) => ({ name: tool.name, inputSchema: tool.input_schema, ...(tool.description ? { description: tool.description } : {}) }));
      const choice = request.tool_choice;
      if (choice) {
        const mapped: ToolChoice =
          choice.type === 'auto' ? { type: 'auto' } : choice.type === 'any' ? { type: 'required' } : choice.type === 'none' ? { type: 'none' } : { type: 'tool', toolName: choice.name };
        if (mapped.type === 'tool' && !options.tools.some((tool) => tool.name === mapped.toolName)) {
          throw new OutcropError('ValidationException', `tool_choice.name: tool '${mapped.toolName}' is not defined in tools`);
        }
        options.toolChoice = mapped;
      }
    }
    return options;
  },

  toResponse(result, context) {
    const content: unknown[] = [];
    for (const part of result.content) {
      if (part.type === 'text') content.push({ type: 'text', text: part.text });
      else if (part.type === 'reasoning') content.push({ type: 'thinking', thinking: part.text, signature: part.signature ?? '' });
      else if (part.type === 'tool-call') content.push({ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} });
    }
    const hasTools = result.content.some((part) => part.type === 'tool-call');
    return {
      id: messageId(),
      type: 'message',
      role: 'assistant',
      model: context.modelId,
      content,
      stop_reason: hasTools ? 'tool_use' : stopReasons[result.finishReason],
      stop_sequence: null,
      usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
    };
  },

  async *toChunks(stream: ReadableStream<StreamPart>, context: FamilyContext): AsyncGenerator<unknown> {
    const reader = stream.getReader();
    const indexes = new Map<string, number>();
    let next = 0;
    let firstByte: number | null = null;
    let hasTools = false;
    try {
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) throw new OutcropError('ModelStreamErrorException', 'The model stream ended without a finish.');
        firstByte ??= performance.now();
        switch (part.type) {
          case 'stream-start':
            yield {
              type: 'message_start',
              message: { id: messageId(), type: 'message', role: 'assistant', model: context.modelId, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
            };
            break;
          case 'text-start':
          case 'reasoning-start': {
            const index = next++;
            indexes.set(part.id, index);
            yield { type: 'content_block_start', index, content_block: part.type === 'text-start' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' } };
            break;
          }
          case 'text-delta':
            yield { type: 'content_block_delta', index: indexes.get(part.id) ?? 0, delta: { type: 'text_delta', text: part.delta } };
            break;
          case 'reasoning-delta':
            yield { type: 'content_block_delta', index: indexes.get(part.id) ?? 0, delta: { type: 'thinking_delta', thinking: part.delta } };
            break;
          case 'tool-input-start': {
            hasTools = true;
            const index = next++;
            indexes.set(part.id, index);
            yield { type: 'content_block_start', index, content_block: { type: 'tool_use', id: part.id, name: part.toolName, input: {} } };
            break;
          }
          case 'tool-input-delta':
            yield { type: 'content_block_delta', index: indexes.get(part.id) ?? 0, delta: { type: 'input_json_delta', partial_json: part.delta } };
            break;
          case 'text-end':
          case 'reasoning-end':
          case 'tool-input-end':
            yield { type: 'content_block_stop', index: indexes.get(part.id) ?? 0 };
            break;
          case 'finish': {
            yield {
              type: 'message_delta',
              delta: { stop_reason: hasTools ? 'tool_use' : stopReasons[part.finishReason], stop_sequence: null },
              usage: { output_tokens: part.usage.outputTokens },
            };
            const now = performance.now();
            yield {
              type: 'message_stop',
              'amazon-bedrock-invocationMetrics': {
                inputTokenCount: part.usage.inputTokens,
                outputTokenCount: part.usage.outputTokens,
                invocationLatency: Math.round(now - context.started),
                firstByteLatency: Math.round((firstByte ?? now) - context.started),
              },
            };
            return;
          }
          case 'error':
            throw OutcropError.isInstance(part.error) ? part.error : new OutcropError('ModelStreamErrorException', String((part.error as Error)?.message ?? part.error));
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  },
};
