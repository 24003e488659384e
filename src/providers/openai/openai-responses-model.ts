import type { Agent } from 'undici';
import { OutcropError } from '../../core/errors.js';
import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  Part,
  StreamPart,
  StreamResult,
  Warning,
} from '../../core/inference/language-model.js';
import { isPlainObject } from '../../protocol/shape-reader.js';
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { serverSentEventParts } from '../shared/sse-parser.js';
import { convertToOpenAIMessages, prepareOpenAITextFormat, prepareOpenAITools } from './convert-to-openai-messages.js';
import { openAIInputTokensSchema, openAIResponseSchema } from './openai-api.js';
import { dropSetting, isOpenAIReasoningModel } from './openai-chat-model.js';
import { mapOpenAIError } from './openai-error.js';
import { mapOpenAIUsage, OpenAIResponsesStreamState } from './openai-responses-stream.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface OpenAIResponsesSettings {
  /** provider instance name */
  name: string;
  baseUrl: string;
  /** `Authorization`, `OpenAI-Organization`, `OpenAI-Project` and configured headers */
  headers: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  capabilities: ModelCapabilities;
  dispatcher: Agent;
}

/**
 * A model behind OpenAI's Responses API (`POST /v1/responses`). Responses are not stored upstream
 * (`store: false`, as Bedrock keeps nothing); `extraBody` can say otherwise. A reasoning effort is
 * sent as `reasoning.effort`, merged with a `reasoning` object from `extraBody`.
 *
 * @example
 * const model = new OpenAIResponsesModel('gpt-4.1', settings);
 * const { stream } = await model.stream({ prompt });
 */
export class OpenAIResponsesModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly settings: OpenAIResponsesSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  private body(options: CallOptions, stream: boolean): { body: Record<string, unknown>; warnings: Warning[] } {
    const warnings: Warning[] = [];
    const body: Record<string, unknown> = {
      model: this.modelId,
      ...convertToOpenAIMessages(options.prompt, this.capabilities),
      ...prepareOpenAITools(options),
      ...prepareOpenAITextFormat(options),
      store: false,
    };
    if (options.maxOutputTokens !== undefined) body.max_output_tokens = options.maxOutputTokens;
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (isOpenAIReasoningModel(this.modelId)) {
      dropSetting(body, 'temperature', 'temperature', `${this.modelId} is a reasoning model and takes no temperature`, warnings);
      dropSetting(body, 'top_p', 'topP', `${this.modelId} is a reasoning model and takes no top_p`, warnings);
    }
    if (options.topK !== undefined) warnings.push({ setting: 'topK', details: 'OpenAI has no top-k sampling; topK was ignored.' });
    if (options.stopSequences?.length) warnings.push({ setting: 'stopSequences', details: 'The Responses API has no stop sequences; stopSequences were ignored.' });
    const { reasoning, ...extra } = options.extraBody ?? {};
    if (options.reasoningEffort) body.reasoning = { effort: options.reasoningEffort };
    // (a `reasoning` object of the caller's own is merged over the effort, its members winning)
    if (reasoning !== undefined) body.reasoning = isPlainObject(reasoning) && isPlainObject(body.reasoning) ? { ...body.reasoning, ...reasoning } : reasoning;
    if (stream) body.stream = true;
    return { body: { ...body, ...extra }, warnings };
  }

  private async post(path: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    return postToUpstream(this.settings, { url: `${this.settings.baseUrl}${path}`, headers: this.settings.headers, body, signal }, mapOpenAIError);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, warnings } = this.body(options, false);
    const { value: response, raw } = await readUpstreamJson(await this.post('/responses', body, options.abortSignal), openAIResponseSchema(), 'OpenAI');
    if (response.status === 'failed') {
      throw new OutcropError('ModelErrorException', `OpenAI failed to answer: ${response.error?.message ?? 'unknown error'}`);
    }
    const content: Part[] = [];
    for (const item of response.output) {
      if (item.type === 'reasoning') {
        const text = (item.summary ?? []).map((summary) => summary.text ?? '').join('\n');
        if (text) content.push({ type: 'reasoning', text });
      } else if (item.type === 'message') {
        const text = (item.content ?? []).map((part) => part.text ?? part.refusal ?? '').join('');
        if (text) content.push({ type: 'text', text });
      } else if (item.type === 'function_call') {
        content.push({ type: 'tool-call', toolCallId: item.call_id ?? item.id ?? '', toolName: item.name ?? '', input: parseArguments(item.arguments) });
      }
    }
    const finishReason = mapOpenAIFinishReason({
      status: response.status,
      incompleteReason: response.incomplete_details?.reason,
      hasToolCalls: content.some((part) => part.type === 'tool-call'),
    });
    return { content, finishReason, usage: mapOpenAIUsage(response.usage), warnings, raw };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, warnings } = this.body(options, true);
    const response = await this.post('/responses', body, options.abortSignal);
    const state = new OpenAIResponsesStreamState();
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

  /** OpenAI's own count: `POST /v1/responses/input_tokens` with the prompt and tools. */
  async countTokens(options: CallOptions): Promise<number> {
    const { body } = this.body(options, false);
    const request = Object.fromEntries(Object.entries(body).filter(([key]) => ['model', 'input', 'instructions', 'tools', 'tool_choice'].includes(key)));
    const response = await this.post('/responses/input_tokens', request, options.abortSignal);
    return (await readUpstreamJson(response, openAIInputTokensSchema(), 'OpenAI')).value.input_tokens;
  }
}

function parseArguments(text: string | null | undefined): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new OutcropError('ModelErrorException', 'The model produced tool-call arguments that are not valid JSON.');
  }
}
