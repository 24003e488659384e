import { OutcropError } from '../../core/errors.js';
import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  Part,
  StreamPart,
  ReasoningEffort,
  StreamResult,
  Warning,
} from '../../core/inference/language-model.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { reasoningTokenBudget } from '../shared/reasoning-effort.js';
import { serverSentEventParts } from '../shared/sse-parser.js';
import { cohereChatResponseSchema } from './cohere-api.js';
import { CohereChatStreamState, mapCohereUsage } from './cohere-chat-stream.js';
import { convertToCohereMessages, prepareCohereTools } from './convert-to-cohere-messages.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';
import { type CohereSettings, postToCohere } from './post-to-cohere.js';

/**
 * A Command model behind Cohere's v2 chat API (`POST /v2/chat`). The `tool_plan` Cohere writes
 * before calling tools is returned as text, as Bedrock's Cohere models return it.
 *
 * @example
 * const model = cohere.languageModel!('command-r-plus-08-2024', capabilities);
 * const result = await model.generate({ prompt });
 */
export class CohereChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;

  constructor(
    readonly modelId: string,
    readonly capabilities: ModelCapabilities,
    private readonly settings: CohereSettings,
  ) {
    this.provider = settings.name;
  }

  private body(options: CallOptions, stream: boolean): { body: Record<string, unknown>; warnings: Warning[] } {
    const warnings: Warning[] = [];
    const body: Record<string, unknown> = {
      model: this.modelId,
      messages: convertToCohereMessages(options.prompt, this.capabilities),
      ...prepareCohereTools(options),
    };
    if (options.maxOutputTokens !== undefined) body.max_tokens = options.maxOutputTokens;
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.p = clamp(options.topP, 0.01, 0.99, 'topP', warnings);
    if (options.topK !== undefined) body.k = clamp(options.topK, 0, 500, 'topK', warnings);
    if (options.stopSequences?.length) body.stop_sequences = options.stopSequences;
    if (options.responseFormat) body.response_format = { type: 'json_object', json_schema: options.responseFormat.schema };
    if (options.reasoningEffort && options.extraBody?.thinking === undefined) body.thinking = prepareCohereThinking(options.reasoningEffort, options.maxOutputTokens, warnings);
    if (stream) body.stream = true;
    return { body: options.extraBody ? { ...body, ...options.extraBody } : body, warnings };
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, warnings } = this.body(options, false);
    const response = await postToCohere(this.settings, '/chat', body, options.abortSignal);
    const { value, raw } = await readUpstreamJson(response, cohereChatResponseSchema(), 'Cohere');
    const content: Part[] = [];
    const reasoning = (value.message.content ?? []).map((item) => (item.type === 'thinking' ? (item.thinking ?? '') : '')).join('');
    if (reasoning) content.push({ type: 'reasoning', text: reasoning });
    const text = (value.message.tool_plan ?? '') + (value.message.content ?? []).map((item) => (item.type === 'text' ? (item.text ?? '') : '')).join('');
    if (text) content.push({ type: 'text', text });
    for (const call of value.message.tool_calls ?? []) {
      content.push({ type: 'tool-call', toolCallId: call.id ?? '', toolName: call.function?.name ?? '', input: parseArguments(call.function?.arguments) });
    }
    return { content, finishReason: mapCohereFinishReason(value.finish_reason), usage: mapCohereUsage(value.usage), warnings, raw };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, warnings } = this.body(options, true);
    const response = await postToCohere(this.settings, '/chat', body, options.abortSignal);
    const state = new CohereChatStreamState();
    const stream = serverSentEventParts<StreamPart>(
      response.body,
      {
        event: (event, enqueue) => state.handle(event.data, enqueue),
        flush: (enqueue) => state.outcome.end(enqueue),
        error: (error, enqueue) => state.outcome.brokeOff(enqueue, error),
      },
      [{ type: 'stream-start', warnings }],
    );
    return { stream };
  }

  /** Cohere's own tokenizer counts the prompt: one token of generation reports the input tokens. */
  async countTokens(options: CallOptions): Promise<number> {
    const { body } = this.body({ ...options, maxOutputTokens: 1 }, false);
    const response = await postToCohere(this.settings, '/chat', body, options.abortSignal);
    const { value } = await readUpstreamJson(response, cohereChatResponseSchema(), 'Cohere');
    return mapCohereUsage(value.usage).inputTokens;
  }
}

/** Cohere takes `p` in [0.01, 0.99] and `k` in [0, 500]; a value outside is brought in, with a warning. */
function clamp(value: number, min: number, max: number, setting: string, warnings: Warning[]): number {
  const clamped = Math.min(max, Math.max(min, value));
  if (clamped !== value) warnings.push({ setting, details: `Cohere takes ${setting} from ${min} to ${max}; ${value} was sent as ${clamped}.` });
  return clamped;
}

/**
 * Cohere's reasoning control is `thinking` with a token budget, not a level: an effort turns thinking
 * on with a share of `maxTokens` as its budget (low an eighth, medium a quarter, high a half; xhigh
 * and max no limit). Without `maxTokens` there is nothing to take a share of, so thinking has no
 * limit, with a warning. A `thinking` of the caller's own (in `extraBody`) wins.
 */
function prepareCohereThinking(effort: ReasoningEffort, maxOutputTokens: number | undefined, warnings: Warning[]): Record<string, unknown> {
  const budget = reasoningTokenBudget(effort, maxOutputTokens);
  if (maxOutputTokens === undefined && effort !== 'xhigh' && effort !== 'max') {
    warnings.push({ setting: 'reasoningEffort', details: `Cohere's thinking takes a token budget, not an effort level; without maxTokens, effort ${effort} sets no budget.` });
  }
  return { type: 'enabled', ...(budget === undefined ? {} : { token_budget: budget }) };
}

function parseArguments(text: string | null | undefined): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new OutcropError('ModelErrorException', 'The model produced tool-call arguments that are not valid JSON.');
  }
}
