import type { Agent } from 'undici';
import type {
  CallOptions,
  FinishReason,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  Part,
  StreamPart,
  StreamResult,
  Usage,
} from '../../core/inference/language-model.js';
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { serverSentEventParts } from '../shared/sse-parser.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import { type AnthropicUsage, countTokensResponseSchema, messagesResponseSchema, messagesStreamEventSchema } from './anthropic-api.js';
import { mapAnthropicError, mapAnthropicStreamError } from './anthropic-error.js';
import { convertToAnthropicMessages, prepareAnthropicOutputConfig, prepareAnthropicTools } from './convert-to-anthropic-messages.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { parseStreamJson } from '../shared/parse-stream-json.js';

export interface AnthropicSettings {
  /** provider instance name */
  name: string;
  /** e.g. `https://api.anthropic.com` */
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** `max_tokens` when the call sets no limit (Anthropic requires one) */
  defaultMaxTokens: number;
  timeoutMs: number;
  idleTimeoutMs: number;
  capabilities: ModelCapabilities;
  dispatcher: Agent;
}

/** The API version this provider speaks (`anthropic-version`). */
const anthropicVersion = '2023-06-01';

/**
 * A Claude model behind Anthropic's Messages API (`POST /v1/messages`): text, images, PDFs, tools,
 * extended thinking, prompt caching (Bedrock `cachePoint` blocks become `cache_control`), and
 * CountTokens through `/v1/messages/count_tokens`.
 */
export class AnthropicChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly settings: AnthropicSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  /** The request body, and the beta flags Bedrock callers pass as `anthropic_beta` (a header here). */
  private request(options: CallOptions, stream: boolean): { body: Record<string, unknown>; betas: string[] } {
    const { anthropic_beta: betas, anthropic_version: _version, ...extra } = options.extraBody ?? {};
    const body: Record<string, unknown> = {
      model: this.modelId,
      max_tokens: options.maxOutputTokens ?? this.settings.defaultMaxTokens,
      ...convertToAnthropicMessages(options.prompt, this.capabilities),
      ...prepareAnthropicTools(options),
    };
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (options.topK !== undefined) body.top_k = options.topK;
    if (options.stopSequences?.length) body.stop_sequences = options.stopSequences;
    if (stream) body.stream = true;
    return { body: { ...body, ...extra, ...prepareAnthropicOutputConfig(options, extra.output_config) }, betas: Array.isArray(betas) ? betas.map(String) : [] };
  }

  private async post(path: string, body: Record<string, unknown>, betas: string[], signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { ...this.settings.headers, 'anthropic-version': anthropicVersion };
    if (this.settings.apiKey) headers['x-api-key'] = this.settings.apiKey;
    if (betas.length) headers['anthropic-beta'] = betas.join(',');
    return postToUpstream(this.settings, { url: `${this.settings.baseUrl}${path}`, headers, body, signal }, mapAnthropicError);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, betas } = this.request(options, false);
    const response = await this.post('/v1/messages', body, betas, options.abortSignal);
    const { value: data, raw: json } = await readUpstreamJson(response, messagesResponseSchema(), 'Anthropic');
    const content: Part[] = [];
    for (const block of data.content) {
      if (block.type === 'text' && block.text) content.push({ type: 'text', text: block.text });
      else if (block.type === 'thinking' && block.thinking !== undefined && block.thinking !== null) {
        content.push({ type: 'reasoning', text: block.thinking, ...(block.signature ? { signature: block.signature } : {}) });
      } else if (block.type === 'tool_use') {
        content.push({ type: 'tool-call', toolCallId: block.id ?? '', toolName: block.name ?? '', input: block.input ?? {} });
      }
    }
    return { content, finishReason: mapAnthropicFinishReason(data.stop_reason), usage: mapUsage(data.usage), warnings: [], raw: json };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, betas } = this.request(options, true);
    const response = await this.post('/v1/messages', body, betas, options.abortSignal);
    const state = new StreamState();
    const stream = serverSentEventParts<StreamPart>(
      response.body,
      {
        event: (event, enqueue) => state.handle(event.data, enqueue),
        flush: (enqueue) => state.outcome.end(enqueue),
        error: (error, enqueue) => state.outcome.brokeOff(enqueue, error),
      },
      [{ type: 'stream-start', warnings: [] }],
    );
    return { stream };
  }

  async countTokens(options: CallOptions): Promise<number> {
    const { body, betas } = this.request(options, false);
    // count_tokens takes the prompt-shaping fields only.
    const counted: Record<string, unknown> = {};
    for (const key of ['model', 'system', 'messages', 'tools', 'tool_choice', 'thinking']) if (body[key] !== undefined) counted[key] = body[key];
    const response = await this.post('/v1/messages/count_tokens', counted, betas, options.abortSignal);
    return (await readUpstreamJson(response, countTokensResponseSchema(), 'Anthropic')).value.input_tokens;
  }
}

type Enqueue = (part: StreamPart) => void;

type OpenBlock = { kind: 'text' | 'reasoning' | 'tool'; id: string } | { kind: 'ignored' };

/** Turns Anthropic's stream events into neutral parts. */
class StreamState {
  private readonly blocks = new Map<number, OpenBlock>();
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private finishReason: FinishReason | null = null;
  /** ends the stream: the finish, an error, or the body ending before `message_stop` */
  readonly outcome = new StreamOutcome('Anthropic');

  handle(data: string, enqueue: Enqueue): void {
    if (this.outcome.done) return;
    const parsed = parseStreamJson(data, messagesStreamEventSchema(), 'Anthropic', 'stream event');
    if (!parsed.ok) {
      this.outcome.fail(enqueue, parsed.error);
      return;
    }
    const event = parsed.value;
    const index = event.index ?? 0;
    switch (event.type) {
      case 'message_start':
        this.usage = mergeUsage(this.usage, event.message?.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block?.type === 'text') this.open(index, { kind: 'text', id: `text-${index}` }, enqueue);
        else if (block?.type === 'thinking') this.open(index, { kind: 'reasoning', id: `reasoning-${index}` }, enqueue);
        else if (block?.type === 'tool_use') {
          const id = block.id ?? `tooluse_${index}`;
          this.blocks.set(index, { kind: 'tool', id });
          enqueue({ type: 'tool-input-start', id, toolName: block.name ?? '' });
        } else this.blocks.set(index, { kind: 'ignored' });
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks.get(index);
        const delta = event.delta;
        if (!block || block.kind === 'ignored' || !delta) break;
        if (delta.type === 'text_delta' && delta.text) enqueue({ type: 'text-delta', id: block.id, delta: delta.text });
        else if (delta.type === 'thinking_delta' && delta.thinking) enqueue({ type: 'reasoning-delta', id: block.id, delta: delta.thinking });
        else if (delta.type === 'input_json_delta' && delta.partial_json) enqueue({ type: 'tool-input-delta', id: block.id, delta: delta.partial_json });
        break;
      }
      case 'content_block_stop':
        this.close(index, enqueue);
        break;
      case 'message_delta':
        if (event.delta?.stop_reason) this.finishReason = mapAnthropicFinishReason(event.delta.stop_reason);
        this.usage = mergeUsage(this.usage, event.usage);
        break;
      case 'message_stop':
        this.finish(enqueue);
        break;
      case 'error':
        this.outcome.fail(enqueue, mapAnthropicStreamError(event.error?.type, event.error?.message));
        break;
      default:
        // `ping` and event types added later
        break;
    }
  }

  private finish(enqueue: Enqueue): void {
    for (const index of [...this.blocks.keys()]) this.close(index, enqueue);
    this.outcome.finish(enqueue, this.finishReason ?? 'stop', this.usage);
  }

  private open(index: number, block: { kind: 'text' | 'reasoning'; id: string }, enqueue: Enqueue): void {
    this.blocks.set(index, block);
    enqueue({ type: block.kind === 'text' ? 'text-start' : 'reasoning-start', id: block.id });
  }

  private close(index: number, enqueue: Enqueue): void {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (!block || block.kind === 'ignored') return;
    enqueue({ type: block.kind === 'text' ? 'text-end' : block.kind === 'reasoning' ? 'reasoning-end' : 'tool-input-end', id: block.id });
  }
}

function mapUsage(usage: AnthropicUsage): Usage {
  return mergeUsage({ inputTokens: 0, outputTokens: 0 }, usage);
}

/** Anthropic's counts to neutral usage; `input_tokens` excludes cached tokens, as Bedrock's `inputTokens` does. */
function mergeUsage(current: Usage, usage: AnthropicUsage): Usage {
  if (!usage) return current;
  const out: Usage = {
    inputTokens: usage.input_tokens ?? current.inputTokens,
    outputTokens: usage.output_tokens ?? current.outputTokens,
  };
  const cacheRead = usage.cache_read_input_tokens ?? current.cacheReadInputTokens;
  const cacheWrite = usage.cache_creation_input_tokens ?? current.cacheWriteInputTokens;
  if (cacheRead) out.cacheReadInputTokens = cacheRead;
  if (cacheWrite) out.cacheWriteInputTokens = cacheWrite;
  return out;
}
