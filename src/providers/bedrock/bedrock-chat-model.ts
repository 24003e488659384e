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
import { type EventStreamMessage, eventStreamParts } from '../shared/event-stream-parser.js';
import { postToUpstream, type UpstreamResponse } from '../shared/post-json.js';
import { readUpstreamJson } from '../shared/read-upstream-json.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import { type BedrockUsage, converseResponseSchema, converseStreamEventSchema, countTokensResponseSchema } from './bedrock-api.js';
import { mapBedrockError, mapBedrockStreamException } from './bedrock-error.js';
import { convertToBedrockMessages, prepareBedrockOutputConfig, prepareBedrockTools } from './convert-to-bedrock-messages.js';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';
import type { BedrockSigner } from './sign-bedrock-request.js';
import { parseStreamJson } from '../shared/parse-stream-json.js';

export interface BedrockSettings {
  /** provider instance name */
  name: string;
  /** e.g. `https://bedrock-runtime.us-east-1.amazonaws.com` */
  endpoint: string;
  signer: BedrockSigner;
  headers?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  capabilities: ModelCapabilities;
  dispatcher: Agent;
}

const backend = 'Amazon Bedrock';

/**
 * A model on Amazon Bedrock itself, through Converse, ConverseStream and CountTokens, signed with
 * the operator's AWS credentials: Outcrop in front of real Bedrock. Bedrock's own errors come back
 * one to one, in responses and inside streams.
 */
export class BedrockChatModel implements LanguageModel {
  readonly specificationVersion = 'outcrop.v1' as const;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly modelId: string,
    private readonly settings: BedrockSettings,
  ) {
    this.provider = settings.name;
    this.capabilities = settings.capabilities;
  }

  private request(options: CallOptions): { body: Record<string, unknown>; warnings: Warning[] } {
    const { toolConfig, warnings } = prepareBedrockTools(options);
    const inferenceConfig: Record<string, unknown> = {};
    if (options.maxOutputTokens !== undefined) inferenceConfig.maxTokens = options.maxOutputTokens;
    if (options.temperature !== undefined) inferenceConfig.temperature = options.temperature;
    if (options.topP !== undefined) inferenceConfig.topP = options.topP;
    if (options.stopSequences?.length) inferenceConfig.stopSequences = options.stopSequences;
    // Converse has no topK: it travels as a model field, where the Converse edge found it.
    const additional = { ...(options.topK === undefined ? {} : { top_k: options.topK }), ...options.extraBody };
    const body: Record<string, unknown> = {
      ...convertToBedrockMessages(options.prompt, this.capabilities),
      ...(toolConfig ? { toolConfig } : {}),
      ...(Object.keys(inferenceConfig).length ? { inferenceConfig } : {}),
      ...prepareBedrockOutputConfig(options),
      ...(Object.keys(additional).length ? { additionalModelRequestFields: additional } : {}),
    };
    return { body, warnings };
  }

  private async post(operation: string, body: Record<string, unknown>, accept: string, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    const url = new URL(`${this.settings.endpoint}/model/${encodeURIComponent(this.modelId)}/${operation}`);
    const bodyText = JSON.stringify(body);
    const headers = await this.settings.signer.sign(url, { ...this.settings.headers, 'content-type': 'application/json', accept }, bodyText);
    return postToUpstream(this.settings, { url: url.href, headers, bodyText, signal }, mapBedrockError);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const { body, warnings } = this.request(options);
    const response = await this.post('converse', body, 'application/json', options.abortSignal);
    const { value, raw } = await readUpstreamJson(response, converseResponseSchema(), backend);
    const content: Part[] = [];
    for (const block of value.output.message?.content ?? []) {
      if (block.text) content.push({ type: 'text', text: block.text });
      else if (block.toolUse) content.push({ type: 'tool-call', toolCallId: block.toolUse.toolUseId, toolName: block.toolUse.name, input: block.toolUse.input ?? {} });
      else if (block.reasoningContent?.reasoningText) {
        const reasoning = block.reasoningContent.reasoningText;
        content.push({ type: 'reasoning', text: reasoning.text, ...(reasoning.signature ? { signature: reasoning.signature } : {}) });
      }
    }
    return { content, finishReason: mapBedrockFinishReason(value.stopReason), usage: mapUsage(value.usage), warnings, raw };
  }

  async stream(options: CallOptions): Promise<StreamResult> {
    const { body, warnings } = this.request(options);
    const response = await this.post('converse-stream', body, 'application/vnd.amazon.eventstream', options.abortSignal);
    const state = new StreamState();
    const stream = eventStreamParts<StreamPart>(
      response.body,
      {
        event: (message, enqueue) => state.handle(message, enqueue),
        flush: (enqueue) => state.end(enqueue),
        error: (error, enqueue) => state.outcome.brokeOff(enqueue, error),
      },
      [{ type: 'stream-start', warnings }],
    );
    return { stream };
  }

  async countTokens(options: CallOptions): Promise<number> {
    const { messages, system, toolConfig, additionalModelRequestFields } = this.request(options).body;
    const converse = { messages, ...(system ? { system } : {}), ...(toolConfig ? { toolConfig } : {}), ...(additionalModelRequestFields ? { additionalModelRequestFields } : {}) };
    const response = await this.post('count-tokens', { input: { converse } }, 'application/json', options.abortSignal);
    return (await readUpstreamJson(response, countTokensResponseSchema(), backend)).value.inputTokens;
  }
}

type Enqueue = (part: StreamPart) => void;

type OpenBlock = { kind: 'text' | 'reasoning' | 'tool'; id: string };

/** Turns ConverseStream events back into neutral parts; exceptions become error parts with the same code. */
class StreamState {
  private readonly blocks = new Map<number, OpenBlock>();
  private finishReason: FinishReason | null = null;
  /** ends the stream: the finish, an exception, or the body ending before `messageStop` */
  readonly outcome = new StreamOutcome('Amazon Bedrock');

  handle(message: EventStreamMessage, enqueue: Enqueue): void {
    if (this.outcome.done) return;
    const text = Buffer.from(message.body).toString('utf8');
    const messageType = message.headers[':message-type'];
    if (messageType === 'exception') {
      this.outcome.fail(enqueue, mapBedrockStreamException(message.headers[':exception-type'] ?? 'modelStreamErrorException', text));
      return;
    }
    if (messageType !== 'event') {
      const detail = message.headers[':error-message'] ?? message.headers[':error-code'] ?? text;
      this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', `Amazon Bedrock failed mid-stream: ${detail}`));
      return;
    }
    const parsed = parseStreamJson(text, converseStreamEventSchema(), 'Amazon Bedrock', 'stream event');
    if (!parsed.ok) {
      this.outcome.fail(enqueue, parsed.error);
      return;
    }
    const event = parsed.value;
    const index = event.contentBlockIndex ?? 0;
    switch (message.headers[':event-type']) {
      case 'contentBlockStart':
        if (event.start?.toolUse) {
          this.blocks.set(index, { kind: 'tool', id: event.start.toolUse.toolUseId });
          enqueue({ type: 'tool-input-start', id: event.start.toolUse.toolUseId, toolName: event.start.toolUse.name });
        }
        break;
      case 'contentBlockDelta': {
        const delta = event.delta;
        if (delta?.text) enqueue({ type: 'text-delta', id: this.open(index, 'text', enqueue), delta: delta.text });
        else if (delta?.reasoningContent?.text) enqueue({ type: 'reasoning-delta', id: this.open(index, 'reasoning', enqueue), delta: delta.reasoningContent.text });
        else if (delta?.toolUse?.input) {
          const block = this.blocks.get(index);
          if (block?.kind === 'tool') enqueue({ type: 'tool-input-delta', id: block.id, delta: delta.toolUse.input });
        }
        break;
      }
      case 'contentBlockStop':
        this.close(index, enqueue);
        break;
      case 'messageStop':
        for (const open of [...this.blocks.keys()]) this.close(open, enqueue);
        this.finishReason = mapBedrockFinishReason(event.stopReason);
        break;
      case 'metadata':
        this.finish(mapUsage(event.usage), enqueue);
        break;
      default:
        // messageStart, and event types added later
        break;
    }
  }

  /** The body ended: after `messageStop` without `metadata` the usage is unknown; before it, the stream was cut short. */
  end(enqueue: Enqueue): void {
    if (this.outcome.done) return;
    if (this.finishReason !== null) this.finish({ inputTokens: 0, outputTokens: 0 }, enqueue);
    else this.outcome.end(enqueue);
  }

  private finish(usage: Usage, enqueue: Enqueue): void {
    for (const open of [...this.blocks.keys()]) this.close(open, enqueue);
    this.outcome.finish(enqueue, this.finishReason ?? 'stop', usage);
  }

  /** Text and reasoning blocks have no start event in Converse: the first delta opens them. */
  private open(index: number, kind: 'text' | 'reasoning', enqueue: Enqueue): string {
    const block = this.blocks.get(index);
    if (block) return block.id;
    const id = `${kind}-${index}`;
    this.blocks.set(index, { kind, id });
    enqueue({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id });
    return id;
  }

  private close(index: number, enqueue: Enqueue): void {
    const block = this.blocks.get(index);
    if (!block) return;
    this.blocks.delete(index);
    enqueue({ type: block.kind === 'text' ? 'text-end' : block.kind === 'reasoning' ? 'reasoning-end' : 'tool-input-end', id: block.id });
  }
}

function mapUsage(usage: BedrockUsage): Usage {
  const out: Usage = { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
  if (usage?.cacheReadInputTokens) out.cacheReadInputTokens = usage.cacheReadInputTokens;
  if (usage?.cacheWriteInputTokens) out.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return out;
}
