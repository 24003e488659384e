import { OutcropError } from '../../core/errors.js';
import { type OpenPart, OpenPartTracker } from '../shared/open-part-tracker.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import type { StreamPart, Usage } from '../../core/inference/language-model.js';
import { type OpenAIResponseStreamEvent, type OpenAIResponseUsage, openAIResponseStreamEventSchema } from './openai-api.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { parseStreamJson } from '../shared/parse-stream-json.js';

type Enqueue = (part: StreamPart) => void;

/** The content block being streamed; OpenAI sends output items one after another. */
interface OutputItemPart extends OpenPart {
  /** the output item it belongs to */
  itemId: string;
}

/**
 * Turns the Responses API's stream events into neutral parts: `output_text` deltas into text,
 * reasoning summary deltas into reasoning, `function_call` items and their argument deltas into
 * tool input (keyed by `call_id`), `response.completed` / `response.incomplete` into the finish.
 */
export class OpenAIResponsesStreamState {
  private readonly parts = new OpenPartTracker<OutputItemPart>();
  /** function_call item id -> call_id */
  private readonly callIds = new Map<string, string>();
  private hasToolCalls = false;
  /** ends the stream: the finish, an error, or the body ending before `response.completed` */
  readonly outcome = new StreamOutcome('OpenAI');

  handle(data: string, enqueue: Enqueue): void {
    if (this.outcome.done || data === '[DONE]') return;
    const parsed = parseStreamJson(data, openAIResponseStreamEventSchema(), 'OpenAI', 'stream event');
    if (!parsed.ok) {
      this.outcome.fail(enqueue, parsed.error);
      return;
    }
    this.apply(parsed.value, enqueue);
  }

  private apply(event: OpenAIResponseStreamEvent, enqueue: Enqueue): void {
    const itemId = event.item_id ?? '';
    switch (event.type) {
      case 'response.output_item.added':
        if (event.item?.type === 'function_call') {
          const id = event.item.call_id ?? event.item.id ?? `call_${this.callIds.size}`;
          this.callIds.set(event.item.id ?? id, id);
          this.hasToolCalls = true;
          this.parts.open({ id, kind: 'tool-input', itemId: event.item.id ?? id }, enqueue, event.item.name ?? '');
          if (event.item.arguments) enqueue({ type: 'tool-input-delta', id, delta: event.item.arguments });
        }
        break;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (!event.delta) break;
        this.parts.open({ id: itemId, kind: 'text', itemId }, enqueue);
        enqueue({ type: 'text-delta', id: itemId, delta: event.delta });
        break;
      case 'response.reasoning_summary_text.delta': {
        if (!event.delta) break;
        const id = `${itemId}:${event.summary_index ?? 0}`;
        this.parts.open({ id, kind: 'reasoning', itemId }, enqueue);
        enqueue({ type: 'reasoning-delta', id, delta: event.delta });
        break;
      }
      case 'response.function_call_arguments.delta': {
        const id = this.callIds.get(itemId);
        if (id && event.delta) enqueue({ type: 'tool-input-delta', id, delta: event.delta });
        break;
      }
      case 'response.output_item.done':
        if (this.parts.current && this.parts.current.itemId === event.item?.id) this.parts.close(enqueue);
        break;
      case 'response.completed':
      case 'response.incomplete': {
        this.parts.close(enqueue);
        const finishReason = mapOpenAIFinishReason({
          status: event.response?.status ?? (event.type === 'response.completed' ? 'completed' : 'incomplete'),
          incompleteReason: event.response?.incomplete_details?.reason,
          hasToolCalls: this.hasToolCalls,
        });
        this.outcome.finish(enqueue, finishReason, mapOpenAIUsage(event.response?.usage));
        break;
      }
      case 'response.failed':
        this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', `OpenAI failed mid-stream: ${event.response?.error?.message ?? 'unknown error'}`));
        break;
      case 'error':
        this.outcome.fail(
          enqueue,
          event.code === 'rate_limit_exceeded'
            ? new OutcropError('ThrottlingException', `OpenAI is throttling requests: ${event.message ?? ''}`)
            : new OutcropError('ModelStreamErrorException', `OpenAI failed mid-stream: ${event.message ?? event.code ?? 'unknown error'}`),
        );
        break;
      default:
        break;
    }
  }
}

export function mapOpenAIUsage(usage: OpenAIResponseUsage): Usage {
  const out: Usage = { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 };
  const cached = usage?.input_tokens_details?.cached_tokens;
  if (cached) out.cacheReadInputTokens = cached;
  return out;
}
