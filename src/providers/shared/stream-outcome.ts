import { OutcropError } from '../../core/errors.js';
import type { FinishReason, StreamPart, Usage } from '../../core/inference/language-model.js';
import { streamFailure } from './stream-failure.js';

type Enqueue = (part: StreamPart) => void;

/**
 * How one provider stream ends: with exactly one terminal part, `finish` or `error`. The first
 * wins and later ones are dropped; a stream state checks `done` to ignore the events after it.
 * Each provider's stream state holds one, named for its backend, and its parser's `flush` and
 * `error` hooks call `end` and `brokeOff`.
 *
 * @example
 * const outcome = new StreamOutcome('Anthropic');
 * outcome.fail(enqueue, mapAnthropicStreamError(type, message)); // an `error` event: the error part
 * outcome.end(enqueue);                                          // nothing: the stream already ended
 * // parser hooks:
 * // flush: (enqueue) => outcome.end(enqueue)   ->  "Anthropic ended the stream before it finished."
 * // error: (error, enqueue) => outcome.brokeOff(enqueue, error)
 */
export class StreamOutcome {
  private ended = false;

  /** @param backend names the upstream in messages, e.g. `Amazon Bedrock`, `The model backend` */
  constructor(private readonly backend: string) {}

  /** whether the terminal part has been emitted */
  get done(): boolean {
    return this.ended;
  }

  /** Emits the `finish` part, unless the stream already ended. */
  finish(enqueue: Enqueue, finishReason: FinishReason, usage: Usage): void {
    if (this.ended) return;
    this.ended = true;
    enqueue({ type: 'finish', finishReason, usage });
  }

  /** Emits the `error` part, unless the stream already ended: a stream reports one error, the first. */
  fail(enqueue: Enqueue, error: OutcropError): void {
    if (this.ended) return;
    this.ended = true;
    enqueue({ type: 'error', error });
  }

  /**
   * The body ended. An upstream that gave its finish reason mid-stream and has no closing event
   * (Gemini, Chat Completions without `[DONE]`, Converse without `metadata`) finishes with it;
   * otherwise the upstream ended before the response finished: `ModelStreamErrorException`.
   */
  end(enqueue: Enqueue, finishReason: FinishReason | null = null, usage: Usage = { inputTokens: 0, outputTokens: 0 }): void {
    if (finishReason !== null) this.finish(enqueue, finishReason, usage);
    else this.fail(enqueue, new OutcropError('ModelStreamErrorException', `${this.backend} ended the stream before it finished.`));
  }

  /** The body broke off (reset, idle timeout, a malformed frame): see `streamFailure`. */
  brokeOff(enqueue: Enqueue, error: unknown): void {
    if (!this.ended) this.fail(enqueue, streamFailure(error));
  }
}
