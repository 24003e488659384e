import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/**
 * Coalesces the event-stream frames produced in one turn of the event loop into one write. The
 * flush runs on `process.nextTick`, which fires once the microtasks that produced the frames
 * have drained, so batching adds no delay; it saves a syscall (and a chunk header) per event.
 */
export class FrameWriter {
  private pending: Buffer[] = [];
  private scheduled = false;
  private drained: Promise<void> | null = null;

  constructor(
    private readonly res: ServerResponse | Http2ServerResponse,
    private readonly signal: AbortSignal,
  ) {}

  push(frame: Buffer): void {
    this.pending.push(frame);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.onTick);
    }
  }

  /** Resolves once the socket has room again (after a write that filled its buffer). */
  async ready(): Promise<void> {
    if (!this.drained) return;
    const drained = this.drained;
    this.drained = null;
    await drained;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    if (!(this.res as ServerResponse).write(chunk)) this.drained ??= waitDrain(this.res, this.signal);
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    this.flush();
  };
}

function waitDrain(res: ServerResponse | Http2ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      signal.removeEventListener('abort', done);
      signal.aborted ? reject(signal.reason) : resolve();
    };
    res.once('drain', done);
    res.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
