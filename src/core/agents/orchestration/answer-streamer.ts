import { OutcropError } from '../../errors.js';
import { nextBatch } from '../../guardrails/streaming/stream-batches.js';
import type { CallOptions, FinishReason, GenerateResult, LanguageModel, Part, Usage } from '../../inference/language-model.js';
import type { AgentChunkEvent, AgentEvent, RetrievedReference } from './agent-events.js';
import type { AgentGuardrailCheck } from './agent-guardrail.js';
import { TagContentFilter } from './tag-content-filter.js';

/** Bedrock's default `applyGuardrailInterval`: characters of answer per released chunk. */
export const defaultStreamInterval = 50;

export interface AnswerStreamerOptions {
  /** `streamingConfigurations.applyGuardrailInterval` (default 50): the size of each released chunk */
  interval?: number;
  /** checks one chunk of the answer with the agent's guardrail before it is released; absent without a guardrail */
  guard?: (text: string) => Promise<AgentGuardrailCheck>;
  /** release only the text inside this tag of each call's output (`final_response`, for post-processing) */
  contentTag?: string;
}

/**
 * `streamingConfigurations.streamFinalResponse`: the orchestration's model calls run as streams, and
 * the text of a call that has not (yet) started a tool call is released to the client as `chunk`
 * events while the model writes it, in batches of about `applyGuardrailInterval` characters cut at
 * sentence or word ends. With a guardrail each batch is checked before it is released (masked text
 * is released masked; a blocked batch releases the guardrail's blocked messaging and ends the
 * answer). Text a model writes before a tool call is held back (it is rationale, not answer) as long
 * as it is shorter than one batch; longer preambles have already been released when the tool call
 * starts. The last batch is held until {@link flush}, which attaches the citations.
 *
 * @example
 * const streamer = new AnswerStreamer({ interval: 50 });
 * const result = yield* streamer.step(model, options); // chunk events while the model writes
 * yield* streamer.flush(references);
 * streamer.released; // the answer as the client received it
 */
export class AnswerStreamer {
  /** the answer text released so far, as the client received it */
  released = '';
  /** a guardrail blocked the answer: nothing more is released */
  blocked = false;
  private held = '';
  private readonly interval: number;

  constructor(private readonly options: AnswerStreamerOptions = {}) {
    this.interval = Math.max(1, options.interval ?? defaultStreamInterval);
  }

  /** Whether any answer text has been released or is waiting for {@link flush}. */
  get started(): boolean {
    return this.released.length > 0 || this.held.length > 0;
  }

  /** One model call as a stream: answer text released as it comes, the whole result returned as `generate` would. */
  async *step(model: LanguageModel, options: CallOptions): AsyncGenerator<AgentEvent, GenerateResult> {
    const { stream } = await model.stream(options);
    const reader = stream.getReader();
    let text = '';
    let reasoning = '';
    let pending = '';
    let toolStarted = false;
    const filter = this.options.contentTag ? new TagContentFilter(this.options.contentTag) : undefined;
    const tools = new Map<string, { toolName: string; input: string }>();
    let finishReason: FinishReason = 'stop';
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    try {
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        switch (part.type) {
          case 'text-delta':
            text += part.delta;
            if (toolStarted || this.blocked) break;
            pending += filter ? filter.push(part.delta) : part.delta;
            for (let batch = nextBatch(pending, this.interval, false); batch !== undefined && !this.blocked; batch = nextBatch(pending, this.interval, false)) {
              pending = pending.slice(batch.length);
              yield* this.release(batch);
            }
            break;
          case 'reasoning-delta':
            reasoning += part.delta;
            break;
          case 'tool-input-start':
            toolStarted = true;
            pending = '';
            tools.set(part.id, { toolName: part.toolName, input: '' });
            break;
          case 'tool-input-delta': {
            const tool = tools.get(part.id);
            if (tool) tool.input += part.delta;
            break;
          }
          case 'finish':
            finishReason = part.finishReason;
            usage = part.usage;
            break;
          case 'error':
            throw part.error;
          default:
            break;
        }
      }
    } finally {
      reader.releaseLock();
    }
    if (!toolStarted && !this.blocked) this.held += pending + (filter?.end() ?? '');
    const content: Part[] = [];
    if (reasoning) content.push({ type: 'reasoning', text: reasoning });
    if (text) content.push({ type: 'text', text });
    for (const [id, tool] of tools) content.push({ type: 'tool-call', toolCallId: id, toolName: tool.toolName, input: parseToolInput(tool.input) });
    return { content, finishReason, usage, warnings: [] };
  }

  /** Releases the held end of the answer, with the answer's citations on the last chunk. */
  async *flush(references: RetrievedReference[]): AsyncGenerator<AgentEvent> {
    const events: AgentEvent[] = [];
    while (this.held && !this.blocked) {
      const batch = nextBatch(this.held, this.interval, true) ?? this.held;
      this.held = this.held.slice(batch.length);
      for await (const event of this.release(batch)) events.push(event);
    }
    this.held = '';
    if (references.length > 0 && !this.blocked && this.released) {
      let last = events.filter((event): event is AgentChunkEvent => event.type === 'chunk').at(-1);
      if (!last) {
        last = { type: 'chunk', text: '' };
        events.push(last);
      }
      last.citations = [{ generatedResponsePart: { textResponsePart: { text: this.released, span: { start: 0, end: Math.max(0, this.released.length - 1) } } }, retrievedReferences: references }];
    }
    yield* events;
  }

  private async *release(batch: string): AsyncGenerator<AgentEvent> {
    let text = batch;
    if (this.options.guard) {
      const check = await this.options.guard(batch);
      yield check.trace;
      text = check.text;
      if (check.intervened) {
        this.blocked = true;
        this.held = '';
        text = this.released ? `\n${check.text}` : check.text;
      }
    }
    this.released += text;
    yield { type: 'chunk', text };
  }
}

function parseToolInput(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new OutcropError('ModelErrorException', 'The model produced tool-call arguments that are not valid JSON.');
  }
}
