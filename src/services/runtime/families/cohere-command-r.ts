import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FinishReason, GenerateResult, Message, Part, ToolDefinition, Usage } from '../../../core/inference/language-model.js';
import { OutcropError } from '../../../core/errors.js';
import { callOptions } from './call-options.js';
import type { FamilyCodec, FamilyContext } from './family.js';
import { parseFamilyBody, unsupportedField } from './malformed-body.js';
import { invocationClock, readStreamParts } from './read-stream-parts.js';
import { resultText } from './text-family.js';

const cohereToolCall = z.object({ name: z.string(), parameters: z.record(z.string(), z.unknown()) }).strict();
const historyTurn = z.object({ role: z.enum(['USER', 'CHATBOT', 'SYSTEM']), message: z.string(), tool_calls: z.array(cohereToolCall).optional() }).strict();

/** Cohere Command R / R+: `message`, `chat_history`, `preamble`, Cohere-style tools and tool results. */
export const cohereCommandRRequestSchema = z
  .object({
    message: z.string(),
    chat_history: z.array(historyTurn).optional(),
    documents: z.array(z.record(z.string(), z.unknown())).optional(),
    search_queries_only: z.boolean().optional(),
    preamble: z.string().optional(),
    max_tokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).max(1).optional(),
    p: z.number().min(0.01).max(0.99).optional(),
    k: z.number().int().min(0).max(500).optional(),
    prompt_truncation: z.enum(['OFF', 'AUTO_PRESERVE_ORDER']).optional(),
    frequency_penalty: z.number().min(0).max(1).optional(),
    presence_penalty: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    return_prompt: z.boolean().optional(),
    tools: z
      .array(
        z
          .object({
            name: z.string().min(1),
            description: z.string(),
            parameter_definitions: z.record(z.string(), z.object({ description: z.string().optional(), type: z.string(), required: z.boolean().optional() }).strict()).optional(),
          })
          .strict(),
      )
      .optional(),
    tool_results: z.array(z.object({ call: cohereToolCall, outputs: z.array(z.record(z.string(), z.unknown())) }).strict()).optional(),
    stop_sequences: z.array(z.string()).max(5).optional(),
    raw_prompting: z.boolean().optional(),
  })
  .strict();

type CohereRequest = z.infer<typeof cohereCommandRRequestSchema>;
type HistoryTurn = z.infer<typeof historyTurn>;

/** What the response echoes of its request (`chat_history`), kept per call. */
const echoed = new WeakMap<FamilyContext, { history: HistoryTurn[]; message: string }>();

function finishReasonOf(reason: FinishReason): string {
  if (reason === 'length') return 'MAX_TOKENS';
  if (reason === 'content-filter') return 'ERROR_TOXIC';
  if (reason === 'error') return 'ERROR';
  return 'COMPLETE';
}

/** Cohere's parameter types are Python type names (`str`, `int`, `List[str]`); JSON schema wants its own. */
function jsonType(type: string): Record<string, unknown> {
  const list = /^list\[(.+)\]$/i.exec(type.trim());
  if (list?.[1]) return { type: 'array', items: jsonType(list[1]) };
  const names: Record<string, string> = { str: 'string', string: 'string', int: 'integer', integer: 'integer', float: 'number', number: 'number', bool: 'boolean', boolean: 'boolean', list: 'array', dict: 'object', object: 'object' };
  const name = names[type.trim().toLowerCase().replace(/^dict\[.*\]$/, 'dict')];
  return name ? { type: name } : {};
}

function convertTools(tools: NonNullable<CohereRequest['tools']>): ToolDefinition[] {
  return tools.map((tool) => {
    const definitions = Object.entries(tool.parameter_definitions ?? {});
    return {
      name: tool.name,
      description: tool.description,
      inputSchema: {
        type: 'object',
        properties: Object.fromEntries(definitions.map(([name, definition]) => [name, { ...jsonType(definition.type), ...(definition.description ? { description: definition.description } : {}) }])),
        required: definitions.filter(([, definition]) => definition.required).map(([name]) => name),
      },
    };
  });
}

function toolCallParts(calls: { name: string; parameters: unknown }[], prefix: string): Part[] {
  return calls.map((call, index) => ({ type: 'tool-call', toolCallId: `${prefix}_${index}`, toolName: call.name, input: call.parameters }));
}

function checkSupported(request: CohereRequest): void {
  if (request.documents?.length) throw unsupportedField(['documents'], 'document grounding (RAG with citations) is not supported');
  if (request.search_queries_only) throw unsupportedField(['search_queries_only'], 'search-query generation is not supported');
  if (request.return_prompt) throw unsupportedField(['return_prompt'], 'returning the rendered prompt is not supported');
  if (request.raw_prompting) throw unsupportedField(['raw_prompting'], 'raw prompting is not supported');
  if (request.prompt_truncation === 'AUTO_PRESERVE_ORDER') throw unsupportedField(['prompt_truncation'], 'automatic prompt truncation is not supported; use OFF');
  if (!request.message && !request.tool_results?.length) throw unsupportedField(['message'], 'expected a message or tool_results');
}

/** The conversation: preamble, history, the new message, then the tool calls and their results. */
function convertConversation(request: CohereRequest): Message[] {
  const prompt: Message[] = [];
  if (request.preamble) prompt.push({ role: 'system', content: [{ type: 'text', text: request.preamble }] });
  (request.chat_history ?? []).forEach((turn, index) => {
    const text: Part[] = turn.message ? [{ type: 'text', text: turn.message }] : [];
    if (turn.role === 'SYSTEM') prompt.push({ role: 'system', content: text });
    else if (turn.role === 'USER') prompt.push({ role: 'user', content: text });
    else prompt.push({ role: 'assistant', content: [...text, ...toolCallParts(turn.tool_calls ?? [], `cohere_call_${index}`)] });
  });
  if (request.message) prompt.push({ role: 'user', content: [{ type: 'text', text: request.message }] });
  const results = request.tool_results ?? [];
  if (results.length === 0) return prompt;
  // Multi-step: the history already ends with the calls these results answer; single-step: it does not.
  const last = prompt.at(-1);
  let calls: Part[] = last?.role === 'assistant' ? last.content.filter((part) => part.type === 'tool-call') : [];
  if (calls.length !== results.length) {
    calls = toolCallParts(
      results.map((result) => result.call),
      'cohere_call',
    );
    prompt.push({ role: 'assistant', content: calls });
  }
  prompt.push({
    role: 'tool',
    content: results.map((result, index) => {
      const call = calls[index];
      return {
        type: 'tool-result',
        toolCallId: call?.type === 'tool-call' ? call.toolCallId : `cohere_call_${index}`,
        toolName: result.call.name,
        content: result.outputs.map((output) => ({ type: 'json', value: output })),
        isError: false,
      };
    }),
  });
  return prompt;
}

function cohereToolCalls(parts: Part[]): { name: string; parameters: unknown }[] {
  return parts.flatMap((part) => (part.type === 'tool-call' ? [{ name: part.toolName, parameters: part.input ?? {} }] : []));
}

function responseBody(context: FamilyContext, generationId: string, text: string, toolCalls: { name: string; parameters: unknown }[], finishReason: FinishReason, usage: Usage) {
  const request = echoed.get(context) ?? { history: [], message: '' };
  const reply = { role: 'CHATBOT', message: text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
  return {
    response_id: randomUUID(),
    text,
    generation_id: generationId,
    chat_history: [...request.history, ...(request.message ? [{ role: 'USER', message: request.message }] : []), reply],
    finish_reason: finishReasonOf(finishReason),
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    meta: { api_version: { version: '1' }, billed_units: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } },
  };
}

/** Command R bodies: message, history, preamble and Cohere tools in; text, chat_history and tool_calls out. */
export const cohereCommandR: FamilyCodec = {
  family: 'cohere-command-r',

  parseRequest(body, context) {
    const request = parseFamilyBody(cohereCommandRRequestSchema, body);
    checkSupported(request);
    echoed.set(context, { history: request.chat_history ?? [], message: request.message });
    const extraBody: Record<string, unknown> = {};
    if (request.frequency_penalty !== undefined) extraBody.frequency_penalty = request.frequency_penalty;
    if (request.presence_penalty !== undefined) extraBody.presence_penalty = request.presence_penalty;
    if (request.seed !== undefined) extraBody.seed = request.seed;
    return callOptions(convertConversation(request), context, {
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.p,
      topK: request.k || undefined,
      stopSequences: request.stop_sequences,
      tools: request.tools?.length ? convertTools(request.tools) : undefined,
      extraBody,
    });
  },

  toResponse(result: GenerateResult, context) {
    return responseBody(context, randomUUID(), resultText(result, null), cohereToolCalls(result.content), result.finishReason, result.usage);
  },

  async *toChunks(stream, context) {
    const generationId = randomUUID();
    const clock = invocationClock(context);
    let text = '';
    const tools = new Map<string, { name: string; arguments: string }>();
    for await (const part of readStreamParts(stream)) {
      switch (part.type) {
        case 'stream-start':
          yield { is_finished: false, event_type: 'stream-start', generation_id: generationId };
          break;
        case 'text-delta':
          clock.mark();
          text += part.delta;
          if (part.delta) yield { is_finished: false, event_type: 'text-generation', text: part.delta };
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
        case 'finish': {
          const toolCalls = [...tools.values()].map((tool) => ({ name: tool.name, parameters: parseToolArguments(tool.arguments) }));
          if (toolCalls.length) yield { is_finished: false, event_type: 'tool-calls-generation', text, tool_calls: toolCalls };
          const response = responseBody(context, generationId, text, toolCalls, part.finishReason, part.usage);
          yield {
            is_finished: true,
            event_type: 'stream-end',
            response,
            finish_reason: response.finish_reason,
            'amazon-bedrock-invocationMetrics': clock.metrics(part.usage),
          };
          return;
        }
        default:
          break;
      }
    }
  },
};

function parseToolArguments(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new OutcropError('ModelStreamErrorException', 'The model produced tool-call arguments that are not valid JSON.');
  }
}
