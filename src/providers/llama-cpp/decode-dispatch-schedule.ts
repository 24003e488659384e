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
 * that has arrived meanwhile, and the requests handled from it join the decode. It waits for no timer;
 * a turn with nothing to read costs microseconds, and a turn that handles a request costs that
 * request's handling, which the server does anyway. The extra turns are capped, so a steady stream of
 * arrivals cannot hold a decode back. A decode of generated tokens only starts on the next cycle, as
 * node-llama-cpp's would: an extra turn there would put whatever I/O that turn handles before every
 * token's decode.
 *
 * @example
 * const schedule = new DecodeDispatchSchedule(sequences);
 * model.createContext({ sequences, batching: { dispatchSchedule: schedule.dispatch } });
 * schedule.noteArrival(); // a request is about to evaluate its prompt
 */
export class DecodeDispatchSchedule {
  private arrivals = 0;
  /** `arrivals` when this schedule last started a decode */
  private dispatchedArrivals = 0;

  /** @param maxExtraTurns the most turns a decode waits for further arrivals after the first one it allows */
  constructor(private readonly maxExtraTurns: number) {}

  /** A request is about to evaluate its prompt on this context. */
  noteArrival(): void {
    this.arrivals++;
  }

  /** node-llama-cpp's dispatch schedule: calls `dispatch` once the event loop has had a turn without arrivals. */
  readonly dispatch = (dispatch: () => void): void => {
    const start = () => {
      this.dispatchedArrivals = this.arrivals;
      dispatch();
    };
    if (this.arrivals === this.dispatchedArrivals) {
      // generated tokens only: node-llama-cpp's "nextCycle"
      setImmediate(start);
      return;
    }
    let seen = this.arrivals;
    let extraTurns = 0;
    const check = () => {
      if (this.arrivals !== seen && extraTurns < this.maxExtraTurns) {
        seen = this.arrivals;
        extraTurns++;
        setImmediate(check);
        return;
      }
      start();
    };
    // the first immediate runs in this turn's check phase; the second after the next turn's poll phase
    setImmediate(() => setImmediate(check));
  };
}
