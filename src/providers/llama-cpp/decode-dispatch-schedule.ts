/**
 * When a llama.cpp context starts its next decode (node-llama-cpp's `batching.dispatchSchedule`).
 * Requests that reach the server together are handled one after another on its thread, a few ms each
 * from their HTTP/2 frames to a queued prompt, and often arrive in separate reads. node-llama-cpp's own
 * schedule ("nextCycle") starts the decode at the end of the event-loop turn in which the first prompt
 * was queued, before the loop has read the others, and a decode in progress cannot take more work: the
 * first prompt would be evaluated alone and the others would wait for it.
 *
 * When a request has set out to generate since the last decode this schedule started, it starts the
 * decode only after a whole event-loop turn in which no further request did: the loop reads the input
 * that has arrived meanwhile, and the requests handled from it join the decode. While the server is
 * still receiving requests (`pendingRequests`: connections that have not sent their first request,
 * requests not yet at their operation) it waits more turns, for at most 10 ms and 64 turns: a client
 * that sends several requests at once opens a connection for each, and the server reads them one by
 * one. Once every sequence has a new prompt nothing more can join, and the decode starts. It waits for
 * no timer; a turn with nothing to read costs microseconds, and a turn that handles a request costs
 * that request's handling, which the server does anyway. A decode of generated tokens only starts on
 * the next cycle, as node-llama-cpp's would: an extra turn there would put whatever I/O that turn
 * handles before every token's decode.
 *
 * A lone request on an idle context starts its decode at once (in a microtask): no other sequence is
 * in use, the server is receiving nothing, and this is the only prompt since the last decode. Waiting
 * for the end of the turn would then only let a request that is still in the kernel's buffers on an
 * already open connection join, and it costs the lone request the rest of the turn: the server writes
 * the response's first bytes in it, and the client it wakes often takes the CPU for a millisecond. A
 * prompt that misses the decode is evaluated in the next one, and its own time to first token is the
 * same as if it had joined (a decode of two prompts takes as long as the two one after the other).
 *
 * @example
 * const schedule = new DecodeDispatchSchedule(sequences, () => intake.pending);
 * model.createContext({ sequences, batching: { dispatchSchedule: schedule.dispatch } });
 * schedule.noteArrival(); // a request is about to evaluate its prompt
 */
/** How long a decode waits for requests the server is still receiving: turns, and ms from its first check. */
const maxIntakeTurns = 64;
const maxIntakeMs = 10;

export class DecodeDispatchSchedule {
  private arrivals = 0;
  /** `arrivals` when this schedule last started a decode */
  private dispatchedArrivals = 0;

  /**
   * @param sequences the context's sequences: once this many new prompts wait, the decode starts
   * @param pendingRequests how many requests the server is still receiving (none when not given)
   * @param sequencesInUse how many of the context's sequences requests hold now (when not given, all:
   * the context is never taken for idle)
   */
  constructor(
    private readonly sequences: number,
    private readonly pendingRequests: () => number = () => 0,
    private readonly sequencesInUse: () => number = () => sequences,
  ) {}

  /** one new prompt, on a context no other request uses, and no request being received: nothing can join its decode */
  private get loneOnIdleContext(): boolean {
    return this.arrivals - this.dispatchedArrivals === 1 && this.sequencesInUse() <= 1 && this.pendingRequests() === 0;
  }

  /** every sequence has a new prompt since the last decode started: nothing more can join */
  private get everySequenceArrived(): boolean {
    return this.arrivals - this.dispatchedArrivals >= this.sequences;
  }

  /** A request is about to evaluate its prompt on this context. */
  noteArrival(): void {
    this.arrivals++;
  }

  /** node-llama-cpp's dispatch schedule: calls `dispatch` once the event loop has had a turn without arrivals, or at once for a lone request on an idle context (see above). */
  readonly dispatch = (dispatch: () => void): void => {
    const start = () => {
      this.dispatchedArrivals = this.arrivals;
      dispatch();
    };
    if (this.arrivals === this.dispatchedArrivals || this.everySequenceArrived) {
      // generated tokens only, or a new prompt on every sequence: node-llama-cpp's "nextCycle"
      setImmediate(start);
      return;
    }
    if (this.loneOnIdleContext) {
      queueMicrotask(start);
      return;
    }
    let seen = this.arrivals;
    let intakeTurns = 0;
    const since = performance.now();
    const check = () => {
      if (this.everySequenceArrived) {
        start();
        return;
      }
      // a request set out to generate during the last turn: give the next one a turn too
      if (this.arrivals !== seen) {
        seen = this.arrivals;
        setImmediate(check);
        return;
      }
      if (this.pendingRequests() > 0 && intakeTurns < maxIntakeTurns && performance.now() - since < maxIntakeMs) {
        intakeTurns++;
        setImmediate(check);
        return;
      }
      start();
    };
    // the first immediate runs in this turn's check phase; the second after the next turn's poll phase
    setImmediate(() => setImmediate(check));
  };
}
