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
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { serverSentEventParts } from '../shared/sse-parser.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import { convertToGeminiMessages, prepareGeminiThinkingConfig, prepareGeminiTools } from './convert-to-gemini-messages.js';
import { countTokensResponseSchema, type GeminiUsageMetadata, type GenerateContentResponse, generateContentResponseSchema } from './gemini-api.js';
import { mapGeminiError, mapGeminiStreamError } from './gemini-error.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

export interface GeminiSettings {
  /** provider instance name */
  name: string;
  /** e.g. `https://generativelanguage.googleapis.com` */
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  capabilities: ModelCapabilities;
  dispatcher: Agent;
  /** IDs for function calls (Gemini gives none) */
  generateId: () => string;
}

/** `gemini-2.5-flash` or `models/gemini-2.5-flash` to the resource name the API wants. */
export function geminiModelName(modelId: string): string {
  return modelId.includes('/') ? modelId : `models/${modelId}`;
}

/**
 * A Gemini model behind Google's Gemini API (`:generateContent`, `:streamGenerateContent?alt=sse`,
 * `:countTokens`): text, images, documents, function calling (with generated call IDs) and thoughts.
 */
export class GeminiChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly settings: GeminiSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  private body(options: CallOptions): { body: Record<string, unknown>; warnings: Warning[] } {
    const warnings: Warning[] = [];
    const generationConfig: Record<string, unknown> = {};
    if (options.maxOutputTokens !== undefined) generationConfig.maxOutputTokens = options.maxOutputTokens;
    if (options.temperature !== undefined) generationConfig.temperature = options.temperature;
    if (options.topP !== undefined) generationConfig.topP = options.topP;
    if (options.topK !== undefined) generationConfig.topK = options.topK;
    if (options.stopSequences?.length) generationConfig.stopSequences = options.stopSequences;
    if (options.responseFormat) {
      // Structured output: `responseJsonSchema` takes full JSON Schema (not the OpenAPI subset of `responseSchema`).
      generationConfig.responseMimeType = 'application/json';
      generationConfig.responseJsonSchema = options.responseFormat.schema;
    }
    const { generationConfig: extraGeneration, ...extra } = options.extraBody ?? {};
    Object.assign(generationConfig, typeof extraGeneration === 'object' && extraGeneration !== null ? extraGeneration : {});
    const thinkingConfig = options.reasoningEffort && prepareGeminiThinkingConfig(options.reasoningEffort, generationConfig.thinkingConfig, warnings);
    if (thinkingConfig) generationConfig.thinkingConfig = thinkingConfig;
    const body = {
      ...convertToGeminiMessages(options.prompt, this.capabilities),
      ...prepareGeminiTools(options),
      ...(Object.keys(generationConfig).length ? { generationConfig } : {}),
      ...extra,
    };
    return { body, warnings };
  }

  private async post(method: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { ...this.settings.headers };
    if (this.settings.apiKey) headers['x-goog-api-key'] = this.settings.apiKey;
    return postToUpstream(this.settings, { url: `${this.settings.baseUrl}/v1beta/${geminiModelName(this.modelId)}:${method}`, headers, body, signal }, mapGeminiError);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, warnings } = this.body(options);
    const response = await this.post('generateContent', body, options.abortSignal);
    const { value: data, raw: json } = await readUpstreamJson(response, generateContentResponseSchema(), 'Gemini');
    const candidate = data.candidates?.[0];
    const content: Part[] = [];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        content.push({ type: 'tool-call', toolCallId: this.settings.generateId(), toolName: part.functionCall.name, input: part.functionCall.args ?? {} });
      } else if (part.text && part.thought) {
        content.push({ type: 'reasoning', text: part.text, ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) });
      } else if (part.text) content.push({ type: 'text', text: part.text });
    }
    const blocked = !candidate && data.promptFeedback?.blockReason;
    return {
      content,
      finishReason: blocked ? 'content-filter' : mapGeminiFinishReason(candidate?.finishReason, content.some((part) => part.type === 'tool-call')),
      usage: mapUsage(data.usageMetadata),
      warnings,
      raw: json,
    };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, warnings } = this.body(options);
    const response = await this.post('streamGenerateContent?alt=sse', body, options.abortSignal);
    const state = new StreamState(this.settings.generateId);
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
    const { contents, systemInstruction, tools } = this.body(options).body;
    const generateContentRequest = { model: geminiModelName(this.modelId), contents, ...(systemInstruction ? { systemInstruction } : {}), ...(tools ? { tools } : {}) };
    const response = await this.post('countTokens', { generateContentRequest }, options.abortSignal);
    const { value: data } = await readUpstreamJson(response, countTokensResponseSchema(), 'Gemini');
    return data.totalTokens ?? 0;
  }
}

type Enqueue = (part: StreamPart) => void;

/** Turns Gemini's stream of partial responses into neutral parts: text and thoughts as deltas, function calls whole. */
class StreamState {
  private open: { kind: 'text' | 'reasoning'; id: string } | null = null;
  private blocks = 0;
  private hasToolCalls = false;
  private finishReason: FinishReason | null = null;
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  /** ends the stream: the finish, an error, or the body ending before a finish reason */
  readonly outcome = new StreamOutcome('Gemini');

  constructor(private readonly generateId: () => string) {}

  handle(data: string, enqueue: Enqueue): void {
    if (this.outcome.done) return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', `Gemini sent an unparsable stream event: ${data.slice(0, 200)}`));
      return;
    }
    if (typeof json === 'object' && json !== null && 'error' in json) {
      this.outcome.fail(enqueue, mapGeminiStreamError(json));
      return;
    }
    const parsed = generateContentResponseSchema().safeParse(json);
    if (!parsed.success) {
      this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', 'Gemini sent a stream event of unexpected shape.'));
      return;
    }
    this.chunk(parsed.data, enqueue);
  }

  private chunk(response: GenerateContentResponse, enqueue: Enqueue): void {
    if (response.usageMetadata) this.usage = mapUsage(response.usageMetadata);
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        this.closeBlock(enqueue);
        this.hasToolCalls = true;
        const id = this.generateId();
        enqueue({ type: 'tool-input-start', id, toolName: part.functionCall.name });
        enqueue({ type: 'tool-input-delta', id, delta: JSON.stringify(part.functionCall.args ?? {}) });
        enqueue({ type: 'tool-input-end', id });
      } else if (part.text) {
        const kind = part.thought ? 'reasoning' : 'text';
        if (this.open?.kind !== kind) {
          this.closeBlock(enqueue);
          this.open = { kind, id: `${kind}-${this.blocks++}` };
          enqueue({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: this.open.id });
        }
        enqueue({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', id: this.open.id, delta: part.text });
      }
    }
    if (candidate?.finishReason) this.finishReason = mapGeminiFinishReason(candidate.finishReason, this.hasToolCalls);
    else if (!candidate && response.promptFeedback?.blockReason) this.finishReason = 'content-filter';
  }

  /** The body ended, which is how Gemini finishes: with the last chunk's finish reason, else cut short. */
  end(enqueue: Enqueue): void {
    if (this.outcome.done) return;
    this.closeBlock(enqueue);
    this.outcome.end(enqueue, this.finishReason, this.usage);
  }

  private closeBlock(enqueue: Enqueue): void {
    if (!this.open) return;
    enqueue({ type: this.open.kind === 'text' ? 'text-end' : 'reasoning-end', id: this.open.id });
    this.open = null;
  }
}

/** Gemini's counts to neutral usage: cached prompt tokens are reported apart (as Bedrock does), thoughts count as output. */
function mapUsage(usage: GeminiUsageMetadata): Usage {
  const cached = usage?.cachedContentTokenCount ?? 0;
  const out: Usage = {
    inputTokens: (usage?.promptTokenCount ?? 0) - cached,
    outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
  };
  if (cached) out.cacheReadInputTokens = cached;
  return out;
}
