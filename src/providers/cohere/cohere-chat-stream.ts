import { OutcropError } from '../../core/errors.js';
import { OpenPartTracker } from '../shared/open-part-tracker.js';
import { StreamOutcome } from '../shared/stream-outcome.js';
import type { StreamPart, Usage } from '../../core/inference/language-model.js';
import { type CohereChatEvent, type CohereUsage, cohereChatEventSchema } from './cohere-api.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';
import { parseStreamJson } from '../shared/parse-stream-json.js';

type Enqueue = (part: StreamPart) => void;

/**
 * Turns Cohere's chat stream events into neutral parts: `tool-plan-delta` and text content into
 * text, `thinking` content into reasoning, `tool-call-*` into tool input, `message-end` into the
 * finish with usage. Cohere sends one block after another, so at most one part is open.
 */
export class CohereChatStreamState {
  private readonly parts = new OpenPartTracker();
  /** tool-call index -> tool call ID */
  private readonly toolIds = new Map<number, string>();
  /** ends the stream: the finish, an error, or the body ending before `message-end` */
  readonly outcome = new StreamOutcome('Cohere');

  handle(data: string, enqueue: Enqueue): void {
    if (this.outcome.done || data === '[DONE]') return;
    const parsed = parseStreamJson(data, cohereChatEventSchema(), 'Cohere', 'stream event');
    if (!parsed.ok) {
      this.outcome.fail(enqueue, parsed.error);
      return;
    }
    this.apply(parsed.value, enqueue);
  }

  private apply(event: CohereChatEvent, enqueue: Enqueue): void {
    const index = event.index ?? 0;
    const message = event.delta?.message;
    const content = Array.isArray(message?.content) ? undefined : message?.content;
    const toolCall = Array.isArray(message?.tool_calls) ? undefined : message?.tool_calls;
    switch (event.type) {
      case 'content-start':
      case 'content-delta': {
        const id = `content-${index}`;
        // A delta without its start opens the block too.
        if (this.parts.current?.id !== id) this.parts.open({ id, kind: content?.type === 'thinking' || content?.thinking ? 'reasoning' : 'text' }, enqueue);
        const reasoning = this.parts.current?.kind === 'reasoning';
        const delta = reasoning ? content?.thinking : content?.text;
        if (delta) enqueue({ type: reasoning ? 'reasoning-delta' : 'text-delta', id, delta });
        break;
      }
      case 'tool-plan-delta':
        if (!message?.tool_plan) break;
        this.parts.open({ id: 'tool-plan', kind: 'text' }, enqueue);
        enqueue({ type: 'text-delta', id: 'tool-plan', delta: message.tool_plan });
        break;
      case 'tool-call-start': {
        const id = toolCall?.id ?? `tooluse_${index}`;
        this.toolIds.set(index, id);
        this.parts.open({ id, kind: 'tool-input' }, enqueue, toolCall?.function?.name ?? '');
        if (toolCall?.function?.arguments) enqueue({ type: 'tool-input-delta', id, delta: toolCall.function.arguments });
        break;
      }
      case 'tool-call-delta': {
        const id = this.toolIds.get(index);
        if (id && toolCall?.function?.arguments) enqueue({ type: 'tool-input-delta', id, delta: toolCall.function.arguments });
        break;
      }
      case 'content-end':
      case 'tool-call-end':
        this.parts.close(enqueue);
        break;
      case 'message-end': {
        this.parts.close(enqueue);
        const reason = event.delta?.finish_reason;
        if (reason === 'ERROR') {
          this.outcome.fail(enqueue, new OutcropError('ModelStreamErrorException', `Cohere failed mid-stream: ${event.delta?.error ?? 'unknown error'}`));
          break;
        }
        this.outcome.finish(enqueue, mapCohereFinishReason(reason), mapCohereUsage(event.delta?.usage));
        break;
      }
      default:
        break;
    }
  }
}

/** Token counts as the model saw them (`tokens`), else as billed (`billed_units`). */
export function mapCohereUsage(usage: CohereUsage): Usage {
  return {
    inputTokens: usage?.tokens?.input_tokens ?? usage?.billed_units?.input_tokens ?? 0,
    outputTokens: usage?.tokens?.output_tokens ?? usage?.billed_units?.output_tokens ?? 0,
  };
}
