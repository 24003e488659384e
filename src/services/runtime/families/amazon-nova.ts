import { z } from 'zod';
import type { FinishReason, Message, Part, ToolChoice, ToolDefinition, ToolResultContent } from '../../../core/inference/language-model.js';
import { OutcropError } from '../../../core/errors.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec } from './family.js';
import { parseFamilyBody, unsupportedField } from './malformed-body.js';
import { invocationClock, readStreamParts } from './read-stream-parts.js';

const imageBlock = z
  .object({
    format: z.enum(['png', 'jpeg', 'gif', 'webp']),
    source: z.object({ bytes: z.string().optional(), s3Location: z.unknown().optional() }).strict(),
  })
  .strict();
const cachePoint = z.object({ type: z.string() }).strict();
const toolResultItem = z
  .object({ text: z.string().optional(), json: z.unknown().optional(), image: imageBlock.optional(), document: z.unknown().optional(), video: z.unknown().optional() })
  .strict();
const contentBlock = z
  .object({
    text: z.string().optional(),
    image: imageBlock.optional(),
    video: z.unknown().optional(),
    audio: z.unknown().optional(),
    document: z.unknown().optional(),
    toolUse: z.object({ toolUseId: z.string(), name: z.string(), input: z.unknown() }).strict().optional(),
    toolResult: z.object({ toolUseId: z.string(), content: z.array(toolResultItem), status: z.enum(['success', 'error']).optional() }).strict().optional(),
    reasoningContent: z.object({ reasoningText: z.object({ text: z.string(), signature: z.string().optional() }).strict() }).strict().optional(),
    cachePoint: cachePoint.optional(),
  })
  .strict();

/** Amazon Nova understanding models (Micro, Lite, Pro, Premier): the `messages-v1` schema. */
export const novaRequestSchema = z
  .object({
    schemaVersion: z.literal('messages-v1').optional(),
    system: z.array(z.object({ text: z.string().optional(), cachePoint: cachePoint.optional() }).strict()).optional(),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(contentBlock).min(1) }).strict()).min(1),
    inferenceConfig: z
      .object({
        maxTokens: z.number().int().min(1).optional(),
        max_new_tokens: z.number().int().min(1).optional(),
        temperature: z.number().min(0).max(1).optional(),
        topP: z.number().min(0).max(1).optional(),
        top_p: z.number().min(0).max(1).optional(),
        topK: z.number().int().min(0).max(128).optional(),
        top_k: z.number().int().min(0).max(128).optional(),
        stopSequences: z.array(z.string()).optional(),
        reasoningConfig: z.object({ type: z.enum(['enabled', 'disabled']), maxReasoningEffort: z.enum(['low', 'medium', 'high']).optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    toolConfig: z
      .object({
        tools: z.array(
          z
            .object({
              toolSpec: z
                .object({ name: z.string().min(1), description: z.string().optional(), inputSchema: z.object({ json: z.record(z.string(), z.unknown()) }).strict() })
                .strict()
                .optional(),
              cachePoint: cachePoint.optional(),
            })
            .strict(),
        ),
        toolChoice: z
          .object({ auto: z.object({}).strict().optional(), any: z.object({}).strict().optional(), tool: z.object({ name: z.string() }).strict().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

type NovaRequest = z.infer<typeof novaRequestSchema>;
type NovaContentBlock = z.infer<typeof contentBlock>;
type Path = (string | number)[];

const stopReasons: Record<FinishReason, string> = {
  stop: 'end_turn',
  'stop-sequence': 'stop_sequence',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'content_filtered',
  error: 'end_turn',
  other: 'end_turn',
};

/** The one member a Nova union (content block, tool result item) must set, or a ValidationException. */
function memberOf(block: Record<string, unknown>, path: Path): string {
  const keys = Object.keys(block).filter((key) => block[key] !== undefined);
  if (keys.length !== 1) throw unsupportedField(path, `expected exactly one member, found ${keys.length ? keys.join(', ') : 'none'}`);
  return keys[0] as string;
}

function imageData(image: z.infer<typeof imageBlock>, path: Path): Uint8Array {
  if (image.source.s3Location !== undefined) throw unsupportedField([...path, 'source', 's3Location'], 'Amazon S3 sources are not supported; send the image as bytes');
  if (image.source.bytes === undefined) throw unsupportedField([...path, 'source'], 'expected bytes');
  return Buffer.from(image.source.bytes, 'base64');
}

function toolResultContent(item: z.infer<typeof toolResultItem>, path: Path): ToolResultContent {
  const member = memberOf(item, path);
  if (member === 'text') return { type: 'text', text: item.text ?? '' };
  if (member === 'json') return { type: 'json', value: item.json };
  if (member === 'image' && item.image) return { type: 'image', format: item.image.format, data: imageData(item.image, [...path, 'image']) };
  throw unsupportedField([...path, member], `${member} tool results are not supported`);
}

/** Returns null for members that carry nothing to the model (cache points). */
function convertBlock(block: NovaContentBlock, path: Path): Part | null {
  const member = memberOf(block, path);
  switch (member) {
    case 'text':
      return { type: 'text', text: block.text ?? '' };
    case 'image':
      return block.image ? { type: 'image', format: block.image.format, data: imageData(block.image, [...path, 'image']) } : null;
    case 'toolUse':
      return block.toolUse ? { type: 'tool-call', toolCallId: block.toolUse.toolUseId, toolName: block.toolUse.name, input: block.toolUse.input ?? {} } : null;
    case 'toolResult': {
      const result = block.toolResult;
      if (!result) return null;
      return {
        type: 'tool-result',
        toolCallId: result.toolUseId,
        content: result.content.map((item, index) => toolResultContent(item, [...path, 'toolResult', 'content', index])),
        isError: result.status === 'error',
      };
    }
    case 'reasoningContent': {
      const reasoning = block.reasoningContent?.reasoningText;
      return reasoning ? { type: 'reasoning', text: reasoning.text, ...(reasoning.signature ? { signature: reasoning.signature } : {}) } : null;
    }
    case 'cachePoint':
      // A cache hint only: the answer is the same without it.
      return null;
    default:
      throw unsupportedField([...path, member], `${member} content is not supported`);
  }
}

function convertTools(config: NonNullable<NovaRequest['toolConfig']>): { tools?: ToolDefinition[]; toolChoice?: ToolChoice } {
  const tools = config.tools.flatMap((tool): ToolDefinition[] =>
    tool.toolSpec ? [{ name: tool.toolSpec.name, inputSchema: tool.toolSpec.inputSchema.json, ...(tool.toolSpec.description ? { description: tool.toolSpec.description } : {}) }] : [],
  );
  if (tools.length === 0) return {};
  const choice = config.toolChoice;
  if (!choice) return { tools };
  const member = memberOf(choice, ['toolConfig', 'toolChoice']);
  if (member === 'tool') {
    const name = choice.tool?.name ?? '';
    if (!tools.some((tool) => tool.name === name)) throw unsupportedField(['toolConfig', 'toolChoice', 'tool', 'name'], `tool '${name}' is not defined in tools`);
    return { tools, toolChoice: { type: 'tool', toolName: name } };
  }
  return { tools, toolChoice: { type: member === 'any' ? 'required' : 'auto' } };
}

function settingsOf(config: NonNullable<NovaRequest['inferenceConfig']>) {
  const pairs: [string, string, unknown, unknown][] = [
    ['maxTokens', 'max_new_tokens', config.maxTokens, config.max_new_tokens],
    ['topP', 'top_p', config.topP, config.top_p],
    ['topK', 'top_k', config.topK, config.top_k],
  ];
  for (const [camel, snake, first, second] of pairs) {
    if (first !== undefined && second !== undefined) throw unsupportedField(['inferenceConfig', snake], `set either ${camel} or ${snake}, not both`);
  }
  // Extended reasoning: its maximum effort is the neutral reasoning effort, which each backend maps to its own control.
  const reasoning = config.reasoningConfig;
  if (reasoning?.type === 'enabled' && !reasoning.maxReasoningEffort) {
    throw unsupportedField(['inferenceConfig', 'reasoningConfig'], 'extended reasoning needs a maxReasoningEffort (low, medium or high)');
  }
  return {
    maxOutputTokens: config.maxTokens ?? config.max_new_tokens,
    temperature: config.temperature,
    topP: config.topP ?? config.top_p,
    topK: config.topK ?? config.top_k,
    stopSequences: config.stopSequences,
    reasoningEffort: reasoning?.type === 'enabled' ? reasoning.maxReasoningEffort : undefined,
  };
}

/** Nova bodies: `messages-v1` in, Converse-shaped output and stream events (`messageStart` ... `metadata`) out. */
export const amazonNova: FamilyCodec = {
  family: 'amazon-nova',

  parseRequest(body, context) {
    const request = parseFamilyBody(novaRequestSchema, body);
    if (request.messages[0]?.role !== 'user') throw new OutcropError('ValidationException', 'A conversation must start with a user message. Try again with a conversation that starts with a user message.');
    const prompt: Message[] = [];
    const system = (request.system ?? []).flatMap((block) => (block.text !== undefined ? [block.text] : [])).join('\n');
    if (system) prompt.push({ role: 'system', content: [{ type: 'text', text: system }] });
    request.messages.forEach((message, index) => {
      const content = message.content.flatMap((block, blockIndex) => convertBlock(block, ['messages', index, 'content', blockIndex]) ?? []);
      prompt.push({ role: message.role, content });
    });
    return callOptions(prompt, context, { ...settingsOf(request.inferenceConfig ?? {}), ...(request.toolConfig ? convertTools(request.toolConfig) : {}) });
  },

  toResponse(result) {
    const content = result.content.flatMap((part): unknown[] => {
      if (part.type === 'text') return [{ text: part.text }];
      if (part.type === 'reasoning') return [{ reasoningContent: { reasoningText: { text: part.text } } }];
      if (part.type === 'tool-call') return [{ toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: part.input ?? {} } }];
      return [];
    });
    const usage = result.usage;
    return {
      output: { message: { content, role: 'assistant' } },
      stopReason: result.content.some((part) => part.type === 'tool-call') ? 'tool_use' : stopReasons[result.finishReason],
      usage: {
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        totalTokens: usage.inputTokens + usage.outputTokens,
        cacheReadInputTokenCount: usage.cacheReadInputTokens ?? 0,
        cacheWriteInputTokenCount: usage.cacheWriteInputTokens ?? 0,
      },
    };
  },

  async *toChunks(stream, context) {
    const clock = invocationClock(context);
    const indexes = new Map<string, number>();
    let hasTools = false;
    const open = (id: string) => {
      clock.mark();
      indexes.set(id, indexes.size);
      return indexes.size - 1;
    };
    for await (const part of readStreamParts(stream)) {
      switch (part.type) {
        case 'stream-start':
          yield { messageStart: { role: 'assistant' } };
          break;
        case 'text-start':
        case 'reasoning-start':
          open(part.id);
          break;
        case 'text-delta':
          yield { contentBlockDelta: { delta: { text: part.delta }, contentBlockIndex: indexes.get(part.id) ?? 0 } };
          break;
        case 'reasoning-delta':
          yield { contentBlockDelta: { delta: { reasoningContent: { text: part.delta } }, contentBlockIndex: indexes.get(part.id) ?? 0 } };
          break;
        case 'tool-input-start':
          hasTools = true;
          yield { contentBlockStart: { start: { toolUse: { toolUseId: part.id, name: part.toolName } }, contentBlockIndex: open(part.id) } };
          break;
        case 'tool-input-delta':
          yield { contentBlockDelta: { delta: { toolUse: { input: part.delta } }, contentBlockIndex: indexes.get(part.id) ?? 0 } };
          break;
        case 'text-end':
        case 'reasoning-end':
        case 'tool-input-end':
          yield { contentBlockStop: { contentBlockIndex: indexes.get(part.id) ?? 0 } };
          break;
        case 'finish':
          yield { messageStop: { stopReason: hasTools ? 'tool_use' : stopReasons[part.finishReason] } };
          yield {
            metadata: { usage: { inputTokens: part.usage.inputTokens, outputTokens: part.usage.outputTokens }, metrics: {}, trace: {} },
            'amazon-bedrock-invocationMetrics': clock.metrics(part.usage),
          };
          return;
      }
    }
  },
};
