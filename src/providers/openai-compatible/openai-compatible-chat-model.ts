import type { Agent } from 'undici';
import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  Part,
  StreamPart,
  StreamResult,
  Usage,
  Warning,
} from '../../core/inference/language-model.js';
import { OutcropError } from '../../core/errors.js';
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import { serverSentEventParts } from '../shared/sse-parser.js';
import { chatCompletionChunkSchema, chatCompletionSchema, splitMessageContent } from './openai-compatible-api.js';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.js';
import { mapOpenAICompatibleError } from './openai-compatible-error.js';
import { convertToOpenAIMessages, prepareOpenAIResponseFormat, prepareOpenAITools } from './convert-to-openai-messages.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { parseStreamJson } from '../shared/parse-stream-json.js';
import { clampReasoningEffort } from '../shared/reasoning-effort.js';

/** `reasoning_effort` levels a plain OpenAI-compatible server (vLLM, llama.cpp server, ...) takes. */
const defaultReasoningEfforts = ['low', 'medium', 'high'] as const;

export interface OpenAICompatibleSettings {
  /** provider instance name */
  name: string;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  capabilities: ModelCapabilities;
  dispatcher: Agent;
  /** what the backend changes about the protocol (OpenAI, Mistral); none for plain OpenAI-compatible servers */
  dialect?: OpenAICompatibleDialect;
}

/** A chat model behind any server that speaks OpenAI's Chat Completions API (vLLM, Ollama, llama.cpp server, LM Studio, OpenAI). */
export class OpenAICompatibleChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly settings: OpenAICompatibleSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  private body(options: CallOptions, stream: boolean): { body: Record<string, unknown>; warnings: Warning[] } {
    const dialect = this.settings.dialect ?? {};
    const body: Record<string, unknown> = {
      model: this.modelId,
      messages: (dialect.convertMessages ?? convertToOpenAIMessages)(options.prompt, this.capabilities),
      ...(dialect.prepareTools ?? prepareOpenAITools)(options),
      ...prepareOpenAIResponseFormat(options),
    };
    if (options.maxOutputTokens !== undefined) body.max_tokens = options.maxOutputTokens;
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.topP !== undefined) body.top_p = options.topP;
    if (options.topK !== undefined) body.top_k = options.topK;
    if (options.stopSequences?.length) body.stop = options.stopSequences;
    const warnings: Warning[] = [];
    // (a `reasoning_effort` of the caller's own in `extraBody` wins)
    if (options.reasoningEffort && options.extraBody?.reasoning_effort === undefined) {
      body.reasoning_effort = clampReasoningEffort(options.reasoningEffort, dialect.reasoningEfforts ?? defaultReasoningEfforts, "The backend's reasoning_effort", warnings);
    }
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    warnings.push(...(dialect.prepareBody?.(body, { modelId: this.modelId, options, stream }) ?? []));
    return { body: options.extraBody ? { ...body, ...options.extraBody } : body, warnings };
  }

  private async post(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { ...this.settings.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    return postToUpstream(this.settings, { url: `${this.settings.baseUrl}/chat/completions`, headers, body, signal }, this.settings.dialect?.mapError ?? mapOpenAICompatibleError);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, warnings } = this.body(options, false);
    const response = await this.post(body, options.abortSignal);
    const text = await response.text().catch((error: unknown) => {
      throw new OutcropError('ModelTimeoutException', 'The model backend stopped sending its response.', { cause: error });
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OutcropError('ModelErrorException', 'The model backend returned a response that is not JSON.');
    }
    const parsed = chatCompletionSchema.safeParse(json);
    if (!parsed.success) throw new OutcropError('ModelErrorException', `The model backend returned an unexpected response: ${parsed.error.issues[0]?.message}`);
    const choice = parsed.data.choices[0];
    if (!choice) throw new OutcropError('ModelErrorException', 'The model backend returned no choices.');
    const content: Part[] = [];
    const message = splitMessageContent(choice.message.content);
    const reasoning = (choice.message.reasoning_content ?? '') + message.reasoning;
    if (reasoning) content.push({ type: 'reasoning', text: reasoning });
    if (message.text) content.push({ type: 'text', text: message.text });
    for (const call of choice.message.tool_calls ?? []) {
      content.push({
        type: 'tool-call',
        toolCallId: call.id ?? `tooluse_${Math.random().toString(36).slice(2)}`,
        toolName: call.function.name ?? '',
        input: parseToolArguments(call.function.arguments),
      });
    }
    return {
      content,
      finishReason: (this.settings.dialect?.mapFinishReason ?? mapOpenAIFinishReason)(choice.finish_reason, choice.stop_reason),
      usage: mapUsage(parsed.data.usage),
      warnings,
      raw: json,
    };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, warnings } = this.body(options, true);
    const response = await this.post(body, options.abortSignal);
    const state = new StreamState(this.settings.dialect?.mapFinishReason ?? mapOpenAIFinishReason);
    const stream = serverSentEventParts<StreamPart>(
      response.body,
      {
        event: (event, enqueue) => state.handle(event.data, enqueue),
        flush: (enqueue) => state.end(enqueue),
        error: (error, enqueue) => state.outcome.brokeOff(enqueue, error),
      },
      [{ type: 'stream-start', warnings }],
    );
    return { stream };
  }

  async countTokens(options: CallOptions): Promise<number> {
    // The backend's own tokenizer counts the prompt: one token of generation reports prompt_tokens.
    const { body } = this.body({ ...options, maxOutputTokens: 1 }, false);
    const response = await this.post(body, options.abortSignal);
    const parsed = chatCompletionSchema.safeParse(JSON.parse(await response.text()));
    const count = parsed.success ? parsed.data.usage?.prompt_tokens : undefined;
    if (typeof count !== 'number') throw new OutcropError('ValidationException', 'The model backend does not report token usage, so tokens cannot be counted.');
    return count;
  }
}

type Enqueue = (part: StreamPart) => void;

/** Accumulates OpenAI stream chunks into neutral parts. */
class StreamState {
  private textOpen = false;
  private reasoningOpen = false;
  private readonly tools = new Map<number | string, { id: string; open: boolean }>();
  private finishReason: ReturnType<typeof mapOpenAIFinishReason> | null = null;
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  /** ends the stream: the finish, an error, or the body ending before a finish reason */
  readonly outcome = new StreamOutcome('The model backend');

  constructor(private readonly mapFinishReason: typeof mapOpenAIFinishReason) {}

  handle(data: string, enqueue: Enqueue): void {
    if (this.outcome.done) return;
    if (data === '[DONE]') {
      this.end(enqueue);
      return;
    }
    const parsed = parseStreamJson(data, chatCompletionChunkSchema, 'The model backend', 'stream chunk');
    if (!parsed.ok) {
      this.outcome.fail(enqueue, parsed.error);
      return;
    }
    const chunk = parsed.value;
    if (chunk.error) {
      this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', `The model backend failed mid-stream: ${chunk.error.message ?? 'unknown error'}`));
      return;
    }
    if (chunk.usage) this.usage = mapUsage(chunk.usage);
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      const content = splitMessageContent(delta?.content);
      const reasoning = (delta?.reasoning_content ?? '') + content.reasoning;
      if (reasoning) {
        if (!this.reasoningOpen) {
          this.reasoningOpen = true;
          enqueue({ type: 'reasoning-start', id: 'reasoning' });
        }
        enqueue({ type: 'reasoning-delta', id: 'reasoning', delta: reasoning });
      }
      if (content.text) {
        this.closeReasoning(enqueue);
        if (!this.textOpen) {
          this.textOpen = true;
          enqueue({ type: 'text-start', id: 'text' });
        }
        enqueue({ type: 'text-delta', id: 'text', delta: content.text });
      }
      for (const [position, call] of (delta?.tool_calls ?? []).entries()) {
        this.closeReasoning(enqueue);
        this.closeText(enqueue);
        // Mistral sends whole tool calls without an index: their ID (else their position) stands in.
        const index = call.index ?? call.id ?? position;
        let tool = this.tools.get(index);
        if (!tool) {
          for (const other of this.tools.values()) this.closeTool(other, enqueue);
          tool = { id: call.id ?? `tooluse_${index}_${Math.random().toString(36).slice(2, 10)}`, open: true };
          this.tools.set(index, tool);
          enqueue({ type: 'tool-input-start', id: tool.id, toolName: call.function?.name ?? '' });
        }
        if (call.function?.arguments) enqueue({ type: 'tool-input-delta', id: tool.id, delta: call.function.arguments });
      }
      if (choice.finish_reason) this.finishReason = this.mapFinishReason(choice.finish_reason, choice.stop_reason);
    }
  }

  /** `[DONE]` or the body's end (some backends send no `[DONE]`): the finish reason from the last chunks, else cut short. */
  end(enqueue: Enqueue): void {
    if (this.outcome.done) return;
    this.closeReasoning(enqueue);
    this.closeText(enqueue);
    for (const tool of this.tools.values()) this.closeTool(tool, enqueue);
    this.outcome.end(enqueue, this.finishReason, this.usage);
  }

  private closeText(enqueue: Enqueue): void {
    if (!this.textOpen) return;
    this.textOpen = false;
    enqueue({ type: 'text-end', id: 'text' });
  }

  private closeReasoning(enqueue: Enqueue): void {
    if (!this.reasoningOpen) return;
    this.reasoningOpen = false;
    enqueue({ type: 'reasoning-end', id: 'reasoning' });
  }

  private closeTool(tool: { id: string; open: boolean }, enqueue: Enqueue): void {
    if (!tool.open) return;
    tool.open = false;
    enqueue({ type: 'tool-input-end', id: tool.id });
  }
}

function mapUsage(usage: { prompt_tokens?: number | null; completion_tokens?: number | null; prompt_tokens_details?: { cached_tokens?: number | null } | null } | null | undefined): Usage {
  const out: Usage = { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 };
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  if (cached) out.cacheReadInputTokens = cached;
  return out;
}

function parseToolArguments(text: string | null | undefined): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new OutcropError('ModelErrorException', 'The model produced tool-call arguments that are not valid JSON.');
  }
}
