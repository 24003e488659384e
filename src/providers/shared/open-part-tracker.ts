import type { StreamPart } from '../../core/inference/language-model.js';

/** A content block being streamed: text, reasoning or a tool call's input. */
export interface OpenPart {
  id: string;
  kind: 'text' | 'reasoning' | 'tool-input';
}

/**
 * Keeps at most one part open, for upstreams that stream one content block after another (Cohere,
 * OpenAI's Responses API): opening a part closes the one before it with its `*-end`, reopening the
 * open one does nothing.
 *
 * @example
 * const parts = new OpenPartTracker();
 * parts.open({ id: 'text-0', kind: 'text' }, enqueue);            // text-start
 * parts.open({ id: 'call_1', kind: 'tool-input' }, enqueue, 'f');  // text-end, tool-input-start
 * parts.close(enqueue);                                             // tool-input-end
 */
export class OpenPartTracker<P extends OpenPart = OpenPart> {
  private part: P | undefined;

  /** the part now open, if any */
  get current(): P | undefined {
    return this.part;
  }

  open(part: P, enqueue: (part: StreamPart) => void, toolName = ''): void {
    if (this.part?.id === part.id) return;
    this.close(enqueue);
    this.part = part;
    if (part.kind === 'tool-input') enqueue({ type: 'tool-input-start', id: part.id, toolName });
    else enqueue({ type: `${part.kind}-start`, id: part.id });
  }

  close(enqueue: (part: StreamPart) => void): void {
    if (!this.part) return;
    enqueue({ type: `${this.part.kind}-end`, id: this.part.id });
    this.part = undefined;
  }
}
