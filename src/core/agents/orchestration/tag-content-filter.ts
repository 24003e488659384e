/**
 * Incremental form of the default post-processing parser for streamed text: only what lies inside
 * `<final_response>` ... `</final_response>` is let through, as it arrives (a possible start of the
 * closing tag, and whitespace, are held back until what follows is known); text before the opening
 * tag is held, and when the stream ends without one, the whole text is let through, as the parser
 * does. The content comes out trimmed, as the parser trims it.
 *
 * @example
 * const filter = new TagContentFilter('final_response');
 * filter.push('Sure. <final_resp'); // ''
 * filter.push('onse>It is sunny.</final_response>'); // 'It is sunny.'
 */
export class TagContentFilter {
  private buffer = '';
  private state: 'before' | 'inside' | 'after' = 'before';
  private started = false;
  private readonly open: RegExp;
  private readonly close: RegExp;
  private readonly closeName: string;

  constructor(tag: string) {
    this.open = new RegExp(`<\\s*${tag}\\s*>`, 'i');
    this.close = new RegExp(`<\\s*/\\s*${tag}\\s*>`, 'i');
    this.closeName = `</${tag}>`;
  }

  /** Takes the next piece of text; answers what may be released now. */
  push(delta: string): string {
    if (this.state === 'after') return '';
    this.buffer += delta;
    if (this.state === 'before') {
      const open = this.open.exec(this.buffer);
      if (!open) return '';
      this.buffer = this.buffer.slice(open.index + open[0].length);
      this.state = 'inside';
    }
    const close = this.close.exec(this.buffer);
    if (close) {
      const out = this.buffer.slice(0, close.index);
      this.buffer = '';
      this.state = 'after';
      return this.emit(out.trimEnd());
    }
    // hold back a possible start of the closing tag, and whitespace that may turn out to be trailing
    const ready = this.buffer.slice(0, this.buffer.length - this.partialCloseLength());
    const out = ready.trimEnd();
    this.buffer = this.buffer.slice(out.length);
    return this.emit(out);
  }

  /** The stream ended: what is left to release. */
  end(): string {
    const rest = this.buffer;
    this.buffer = '';
    if (this.state === 'after') return '';
    if (this.state === 'before') return this.emit(rest.trim());
    this.state = 'after';
    return this.emit(rest.trimEnd());
  }

  private emit(text: string): string {
    if (this.started) return text;
    const trimmed = text.trimStart();
    if (trimmed) this.started = true;
    return trimmed;
  }

  /** How many characters at the end of the buffer could begin the closing tag (`<`, `</`, `</final_res`...). */
  private partialCloseLength(): number {
    const start = this.buffer.lastIndexOf('<');
    if (start === -1) return 0;
    const tail = this.buffer.slice(start).replace(/\s+/g, '').toLowerCase();
    return this.closeName.startsWith(tail) ? this.buffer.length - start : 0;
  }
}
