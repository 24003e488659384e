/**
 * Counts requests the server has begun to receive but has not yet handed to an operation: accepted
 * connections that have not sent their first request (TLS ones from before their handshake), HTTP/2
 * sessions before their first stream, and requests whose body, authentication and routing are still
 * in progress. A model that is about to start a decode reads it (`pending`) to let requests that are
 * already on their way join that decode: clients that send several requests at once (the AWS SDK
 * opens a new HTTP/2 connection for each event-stream request) are read one connection at a time, a
 * millisecond or two each.
 *
 * @example
 * const intake = new RequestIntake();
 * const done = intake.begin(); // a connection was accepted
 * done(); // its first request reached its operation, or it closed (again: no effect)
 * intake.pending; // 0
 */
export class RequestIntake {
  private count = 0;

  /** How many connections and requests are being received right now. */
  get pending(): number {
    return this.count;
  }

  /** One connection or request starts to be received; the function returned ends it, once. */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count--;
    };
  }
}
