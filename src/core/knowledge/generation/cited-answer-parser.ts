/** A stretch of the answer and the search results (1-based source IDs) it cites. */
export interface ParsedCitation {
  /** offset of the first character in the answer text */
  start: number;
  /** offset of the last character (inclusive, as Bedrock's `Span.end`) */
  end: number;
  text: string;
  sources: number[];
}

export type CitedAnswerEvent = { type: 'text'; text: string } | { type: 'citation'; citation: ParsedCitation };

const tags = new Set(['answer', 'answer_part', 'text', 'sources', 'source']);
/** a `<` followed by this many characters without `>` is text, not a tag */
const longestTag = 16;

/**
 * Reads the answer format of `outputFormatInstructions` incrementally, as model text arrives:
 * `<answer><answer_part><text>…</text><sources><source>1</source></sources></answer_part></answer>`.
 * Only the text of `<text>` elements is emitted (answer parts joined by one space, each trimmed),
 * and each `</answer_part>` emits a citation whose span indexes the emitted text. Until a tag of the
 * format appears, text is emitted as it is, so a model that ignores the format still streams;
 * `structured` tells the caller whether citations came from the model.
 *
 * @example
 * const parser = new CitedAnswerParser();
 * const events = [...parser.push('<answer><answer_part><text>Basalt is volcanic.</text><sources><source>2</source></sources></answer_part></answer>'), ...parser.finish()];
 * // [{ type: 'text', text: 'Basalt is volcanic.' }, { type: 'citation', citation: { start: 0, end: 18, text: 'Basalt is volcanic.', sources: [2] } }]
 */
export class CitedAnswerParser {
  /** whether any tag of the format was seen */
  structured = false;
  private buffer = '';
  private emitted = 0;
  private inText = false;
  private inSource = false;
  private sourceText = '';
  private sources: number[] = [];
  private partStart: number | undefined;
  private partText = '';
  /** whitespace held back inside `<text>` until something other than `</text>` follows it */
  private pendingSpace = '';
  private atTextStart = false;

  push(chunk: string): CitedAnswerEvent[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  /** Flushes what is left at the end of the model's output. */
  finish(): CitedAnswerEvent[] {
    const events = this.drain(true);
    if (this.structured && this.partStart !== undefined) events.push(...this.closePart());
    return events;
  }

  private drain(final: boolean): CitedAnswerEvent[] {
    const events: CitedAnswerEvent[] = [];
    for (;;) {
      const open = this.buffer.indexOf('<');
      if (open === -1) {
        this.take(this.buffer, events);
        this.buffer = '';
        return events;
      }
      if (open > 0) {
        this.take(this.buffer.slice(0, open), events);
        this.buffer = this.buffer.slice(open);
      }
      const close = this.buffer.indexOf('>');
      if (close === -1) {
        if (!final && this.buffer.length <= longestTag) return events;
        this.take('<', events);
        this.buffer = this.buffer.slice(1);
        continue;
      }
      const match = /^<(\/?)([a-z_]+)\s*>$/.exec(this.buffer.slice(0, close + 1));
      const name = match?.[2];
      if (!match || !name || !tags.has(name)) {
        this.take('<', events);
        this.buffer = this.buffer.slice(1);
        continue;
      }
      this.buffer = this.buffer.slice(close + 1);
      this.structured = true;
      this.tag(name, match[1] === '/', events);
    }
  }

  private tag(name: string, closing: boolean, events: CitedAnswerEvent[]): void {
    if (name === 'text') {
      this.inText = !closing;
      this.atTextStart = !closing;
      this.pendingSpace = '';
    } else if (name === 'source') {
      if (closing) {
        const id = Number.parseInt(this.sourceText.trim(), 10);
        if (Number.isInteger(id) && id > 0 && !this.sources.includes(id)) this.sources.push(id);
      }
      this.inSource = !closing;
      this.sourceText = '';
    } else if (name === 'answer_part' && closing) {
      events.push(...this.closePart());
    }
  }

  private take(text: string, events: CitedAnswerEvent[]): void {
    if (!text) return;
    if (this.inSource) {
      this.sourceText += text;
      return;
    }
    if (this.structured && !this.inText) return;
    if (!this.structured) {
      this.emit(text, events);
      return;
    }
    let piece = text;
    if (this.atTextStart) {
      piece = piece.trimStart();
      if (!piece) return;
      this.atTextStart = false;
      if (this.partStart === undefined) {
        if (this.emitted > 0) this.emit(' ', events);
        this.partStart = this.emitted;
      }
    }
    const trailing = /\s*$/.exec(piece)?.[0] ?? '';
    const body = piece.slice(0, piece.length - trailing.length);
    if (body) {
      this.emit(this.pendingSpace + body, events);
      this.partText += this.pendingSpace + body;
      this.pendingSpace = '';
    }
    this.pendingSpace += trailing;
  }

  private closePart(): CitedAnswerEvent[] {
    const events: CitedAnswerEvent[] = [];
    if (this.partStart !== undefined && this.partText) {
      events.push({ type: 'citation', citation: { start: this.partStart, end: this.partStart + this.partText.length - 1, text: this.partText, sources: this.sources } });
    }
    this.partStart = undefined;
    this.partText = '';
    this.sources = [];
    this.inText = false;
    return events;
  }

  private emit(text: string, events: CitedAnswerEvent[]): void {
    this.emitted += text.length;
    const last = events[events.length - 1];
    if (last?.type === 'text') last.text += text;
    else events.push({ type: 'text', text });
  }
}

/**
 * Parses a whole answer: its text and the citations the model gave, or `structured: false` when the
 * model did not use the format (the text is then the model's output as it is).
 *
 * @example
 * parseCitedAnswer('<answer><answer_part><text>Basalt is volcanic.</text><sources><source>1</source></sources></answer_part></answer>').citations[0]?.sources // [1]
 */
export function parseCitedAnswer(output: string): { text: string; citations: ParsedCitation[]; structured: boolean } {
  const parser = new CitedAnswerParser();
  const events = [...parser.push(output), ...parser.finish()];
  let text = '';
  const citations: ParsedCitation[] = [];
  for (const event of events) {
    if (event.type === 'text') text += event.text;
    else citations.push(event.citation);
  }
  return { text, citations, structured: parser.structured };
}
