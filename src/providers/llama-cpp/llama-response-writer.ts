import { randomBytes } from 'node:crypto';
import type { FinishReason, StreamPart, Usage } from '../../core/inference/language-model.js';

/** A Bedrock-style tool use ID (`tooluse_` and 22 URL-safe characters). */
export function toolUseId(): string {
  return `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

/**
 * Tracks where a JSON value ends in text that arrives in pieces, so the grammar's trailing newlines
 * (and an envelope's closing brace) never reach the tool input.
 */
export class JsonValueScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private primitive = false;
  done = false;

  /** Returns the prefix of `text` that belongs to the value; sets `done` once it has ended. */
  take(text: string): string {
    let index = 0;
    for (; index < text.length && !this.done; index++) {
      const character = text[index] as string;
      if (!this.started) {
        if (/\s/.test(character)) continue;
        this.started = true;
        this.primitive = !'{["'.includes(character);
      }
      if (this.primitive) {
        if (/[\s,}\]]/.test(character)) {
          this.done = true;
          return text.slice(0, index);
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (character === '\\') this.escaped = true;
        else if (character === '"') {
          this.inString = false;
          if (this.depth === 0) this.done = true;
        }
      } else if (character === '"') this.inString = true;
      else if (character === '{' || character === '[') this.depth++;
      else if (character === '}' || character === ']') {
        this.depth--;
        if (this.depth === 0) this.done = true;
      }
    }
    return text.slice(0, index);
  }

  /** Ends a top-level number, boolean or null that had no delimiter after it. */
  finish(): void {
    if (this.primitive) this.done = true;
  }
}

const envelopeHead = /^\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"input"\s*:/;

/**
 * Turns node-llama-cpp's callbacks into neutral stream parts: main text as a text block, thought
 * segments as reasoning, function calls (auto tool choice) as tool-input blocks, and in forced tool
 * mode the grammar-constrained JSON as one tool call's input.
 */
export class LlamaResponseWriter {
  private textOpen = false;
  private reasoningOpen = false;
  private forcedTool: { id: string; scanner: JsonValueScanner } | undefined;
  /** forced mode with several tools: text until the envelope's `"input":` */
  private envelopeBuffer = '';
  private readonly functionCalls = new Map<number, string>();
  /** the tool called in forced mode, and the raw input text */
  forcedCall: { id: string; name: string; input: string } | undefined;

  /** structured output: the text's JSON value, without the grammar's whitespace around it */
  private readonly jsonText: JsonValueScanner | undefined;
  private jsonTextStarted = false;

  constructor(
    private readonly emit: (part: StreamPart) => void,
    /** forced mode: the tool's name, or `null` for the `{"name", "input"}` envelope; unset: not forced */
    private readonly forced: string | null | undefined,
    /** the text is one JSON value under a grammar (structured output) */
    json = false,
  ) {
    this.jsonText = json ? new JsonValueScanner() : undefined;
  }

  text(delta: string): void {
    if (!delta) return;
    if (this.forced !== undefined) {
      this.forcedText(delta);
      return;
    }
    if (this.jsonText) {
      if (this.jsonText.done) return;
      let taken = this.jsonText.take(delta);
      if (!this.jsonTextStarted) taken = taken.trimStart();
      if (!taken) return;
      this.jsonTextStarted = true;
      this.openText();
      this.emit({ type: 'text-delta', id: 'text', delta: taken });
      return;
    }
    this.openText();
    this.emit({ type: 'text-delta', id: 'text', delta });
  }

  private openText(): void {
    this.closeReasoning();
    if (!this.textOpen) {
      this.textOpen = true;
      this.emit({ type: 'text-start', id: 'text' });
    }
  }

  reasoning(delta: string, ended: boolean): void {
    if (delta) {
      this.closeText();
      if (!this.reasoningOpen) {
        this.reasoningOpen = true;
        this.emit({ type: 'reasoning-start', id: 'reasoning' });
      }
      this.emit({ type: 'reasoning-delta', id: 'reasoning', delta });
    }
    if (ended) this.closeReasoning();
  }

  /** A chunk of an auto-mode function call's parameters. */
  functionCallChunk(callIndex: number, functionName: string, paramsChunk: string, done: boolean): void {
    let id = this.functionCalls.get(callIndex);
    if (id === undefined) {
      this.closeReasoning();
      this.closeText();
      id = toolUseId();
      this.functionCalls.set(callIndex, id);
      this.emit({ type: 'tool-input-start', id, toolName: functionName });
    }
    if (paramsChunk) this.emit({ type: 'tool-input-delta', id, delta: paramsChunk });
    if (done) this.emit({ type: 'tool-input-end', id });
  }

  /** Function calls node-llama-cpp returned without streaming their parameters. */
  completeFunctionCalls(calls: { functionName: string; params: unknown }[]): void {
    calls.forEach((call, index) => {
      if (this.functionCalls.has(index)) return;
      this.functionCallChunk(index, call.functionName, JSON.stringify(call.params ?? {}), true);
    });
  }

  get calledFunctions(): number {
    return this.functionCalls.size;
  }

  private forcedText(delta: string): void {
    if (!this.forcedTool) {
      if (typeof this.forced === 'string') {
        this.startForced(this.forced, delta);
        return;
      }
      // the envelope: wait until the tool's name is known
      this.envelopeBuffer += delta;
      const head = envelopeHead.exec(this.envelopeBuffer);
      if (!head) return;
      const name = JSON.parse(`"${head[1] ?? ''}"`) as string;
      this.startForced(name, this.envelopeBuffer.slice(head[0].length));
      return;
    }
    this.forcedInput(delta);
  }

  private startForced(name: string, rest: string): void {
    const id = toolUseId();
    this.forcedTool = { id, scanner: new JsonValueScanner() };
    this.forcedCall = { id, name, input: '' };
    this.emit({ type: 'tool-input-start', id, toolName: name });
    this.forcedInput(rest);
  }

  private forcedInput(delta: string): void {
    const tool = this.forcedTool;
    if (!tool || tool.scanner.done || !this.forcedCall) return;
    const taken = tool.scanner.take(delta);
    const piece = this.forcedCall.input === '' ? taken.trimStart() : taken;
    if (!piece) return;
    this.forcedCall.input += piece;
    this.emit({ type: 'tool-input-delta', id: tool.id, delta: piece });
  }

  /** Closes open blocks and emits the finish part. */
  finish(finishReason: FinishReason, usage: Usage): void {
    this.closeReasoning();
    this.closeText();
    if (this.forcedTool) {
      this.forcedTool.scanner.finish();
      this.emit({ type: 'tool-input-end', id: this.forcedTool.id });
    }
    this.emit({ type: 'finish', finishReason, usage });
  }

  /** Whether forced mode produced a complete JSON input. */
  get forcedComplete(): boolean {
    if (!this.forcedCall) return false;
    try {
      JSON.parse(this.forcedCall.input);
      return true;
    } catch {
      return false;
    }
  }

  private closeText(): void {
    if (!this.textOpen) return;
    this.textOpen = false;
    this.emit({ type: 'text-end', id: 'text' });
  }

  private closeReasoning(): void {
    if (!this.reasoningOpen) return;
    this.reasoningOpen = false;
    this.emit({ type: 'reasoning-end', id: 'reasoning' });
  }
}
