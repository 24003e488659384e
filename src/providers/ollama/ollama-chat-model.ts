import type { Agent } from 'undici';
import { OutcropError } from '../../core/errors.js';
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
  Warning,
} from '../../core/inference/language-model.js';
import { ndjsonParts } from '../shared/ndjson-parser.js';
import { clampReasoningEffort } from '../shared/reasoning-effort.js';
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import { convertToOllamaMessages, prepareOllamaTools } from './convert-to-ollama-messages.js';
import { type ChatResponse, chatResponseSchema } from './ollama-api.js';
import { mapOllamaError } from './ollama-error.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { parseStreamJson } from '../shared/parse-stream-json.js';

export interface OllamaSettings {
  /** provider instance name */
  name: string;
  /** e.g. `http://127.0.0.1:11434` */
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  capabilities: ModelCapabilities;
  dispatcher: Agent;
  /** IDs for tool calls (Ollama gives none) */
  generateId: () => string;
}

/**
 * A model behind Ollama's native API (`POST /api/chat`, NDJSON streaming): text, images, tools
 * (whole calls, also when streaming), thinking, and CountTokens from a one-token generation's
 * `prompt_eval_count`.
 */
export class OllamaChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly settings: OllamaSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  private request(options: CallOptions, stream: boolean): { body: Record<string, unknown>; warnings: Warning[] } {
    const { tools, warnings } = prepareOllamaTools(options);
    const settings: Record<string, unknown> = {};
    if (options.temperature !== undefined) settings.temperature = options.temperature;
    if (options.topP !== undefined) settings.top_p = options.topP;
    if (options.topK !== undefined) settings.top_k = options.topK;
    if (options.maxOutputTokens !== undefined) settings.num_predict = options.maxOutputTokens;
    if (options.stopSequences?.length) settings.stop = options.stopSequences;
    const { options: extraOptions, ...extra } = options.extraBody ?? {};
    Object.assign(settings, typeof extraOptions === 'object' && extraOptions !== null ? extraOptions : {});
    const body: Record<string, unknown> = {
      model: this.modelId,
      messages: convertToOllamaMessages(options.prompt, this.capabilities),
      ...(tools ? { tools } : {}),
      // Structured output: Ollama's `format` takes the JSON schema itself.
      ...(options.responseFormat ? { format: options.responseFormat.schema } : {}),
      // Reasoning effort: `think` as a level (gpt-oss takes low, medium, high; other thinking models read any level as on);
      // a `think` of the caller's own wins
      ...(options.reasoningEffort && extra.think === undefined ? { think: clampReasoningEffort(options.reasoningEffort, ['low', 'medium', 'high'], "Ollama's think", warnings) } : {}),
      stream,
      ...(Object.keys(settings).length ? { options: settings } : {}),
      ...extra,
    };
    return { body, warnings };
  }

  private async post(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { ...this.settings.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    return postToUpstream(this.settings, { url: `${this.settings.baseUrl}/api/chat`, headers, body, signal }, mapOllamaError);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, warnings } = this.request(options, false);
    const { value: data, raw: json } = await readUpstreamJson(await this.post(body, options.abortSignal), chatResponseSchema(), 'Ollama');
    if (data.error) throw new OutcropError('ModelErrorException', `Ollama failed: ${data.error}`);
    const content: Part[] = [];
    if (data.message?.thinking) content.push({ type: 'reasoning', text: data.message.thinking });
    if (data.message?.content) content.push({ type: 'text', text: data.message.content });
    for (const call of data.message?.tool_calls ?? []) {
      content.push({ type: 'tool-call', toolCallId: this.settings.generateId(), toolName: call.function.name, input: toolArguments(call.function.arguments) });
    }
    return {
      content,
      finishReason: mapOllamaFinishReason(data.done_reason, content.some((part) => part.type === 'tool-call')),
      usage: mapUsage(data),
      warnings,
      raw: json,
    };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, warnings } = this.request(options, true);
    const response = await this.post(body, options.abortSignal);
    const state = new StreamState(this.settings.generateId);
    const stream = ndjsonParts<StreamPart>(
      response.body,
      {
        event: (line, enqueue) => state.handle(line, enqueue),
        flush: (enqueue) => state.outcome.end(enqueue),
        error: (error, enqueue) => state.outcome.brokeOff(enqueue, error),
      },
      [{ type: 'stream-start', warnings }],
    );
    return { stream };
  }

  async countTokens(options: CallOptions): Promise<number> {
    // Ollama's own tokenizer counts the prompt: a one-token generation reports prompt_eval_count.
    const { body } = this.request(options, false);
    body.options = { ...(body.options as Record<string, unknown> | undefined), num_predict: 1 };
    const { value: data } = await readUpstreamJson(await this.post(body, options.abortSignal), chatResponseSchema(), 'Ollama');
    if (typeof data.prompt_eval_count !== 'number') throw new OutcropError('ValidationException', 'Ollama did not report prompt_eval_count, so tokens cannot be counted.');
    return data.prompt_eval_count;
  }
}

type Enqueue = (part: StreamPart) => void;

/** Turns Ollama's NDJSON chunks into neutral parts: content and thinking as deltas, tool calls whole. */
class StreamState {
  private open: { kind: 'text' | 'reasoning'; id: string } | null = null;
  private blocks = 0;
  private hasToolCalls = false;
  /** ends the stream: the finish, an error, or the body ending before its `done` line */
  readonly outcome = new StreamOutcome('Ollama');

  constructor(private readonly generateId: () => string) {}

  handle(line: string, enqueue: Enqueue): void {
    if (this.outcome.done) return;
    const parsed = parseStreamJson(line, chatResponseSchema(), 'Ollama', 'stream line');
    if (!parsed.ok) {
      this.outcome.fail(enqueue, parsed.error);
      return;
    }
    const chunk = parsed.value;
    if (chunk.error) {
      this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', `Ollama failed mid-stream: ${chunk.error}`));
      return;
    }
    if (chunk.message?.thinking) this.delta('reasoning', chunk.message.thinking, enqueue);
    if (chunk.message?.content) this.delta('text', chunk.message.content, enqueue);
    for (const call of chunk.message?.tool_calls ?? []) {
      this.closeBlock(enqueue);
      this.hasToolCalls = true;
      const id = this.generateId();
      enqueue({ type: 'tool-input-start', id, toolName: call.function.name });
      enqueue({ type: 'tool-input-delta', id, delta: JSON.stringify(toolArguments(call.function.arguments)) });
      enqueue({ type: 'tool-input-end', id });
    }
    if (chunk.done) this.finish(mapOllamaFinishReason(chunk.done_reason, this.hasToolCalls), mapUsage(chunk), enqueue);
  }

  private finish(finishReason: FinishReason, usage: Usage, enqueue: Enqueue): void {
    this.closeBlock(enqueue);
    this.outcome.finish(enqueue, finishReason, usage);
  }

  private delta(kind: 'text' | 'reasoning', delta: string, enqueue: Enqueue): void {
    if (this.open?.kind !== kind) {
      this.closeBlock(enqueue);
      this.open = { kind, id: `${kind}-${this.blocks++}` };
      enqueue({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: this.open.id });
    }
    enqueue({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', id: this.open.id, delta });
  }

  private closeBlock(enqueue: Enqueue): void {
    if (!this.open) return;
    enqueue({ type: this.open.kind === 'text' ? 'text-end' : 'reasoning-end', id: this.open.id });
    this.open = null;
  }
}

function mapUsage(response: ChatResponse): Usage {
  return { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 };
}

/** Ollama sends arguments as an object; some models' templates give a JSON string. */
function toolArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return JSON.parse(value);
  } catch {
    throw new OutcropError('ModelErrorException', 'The model produced tool-call arguments that are not valid JSON.');
  }
}
