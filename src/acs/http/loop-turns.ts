/**
 * CWMP requests take turns with everything else on the event loop: the work of one request (decoding, the
 * session engine's synchronous store writes) per turn of the loop, so that the REST API, the file server and
 * the timers get in between. Without this, a storm's requests that became readable together ran back to back in
 * one turn and an API request waited behind all of them (issue #11 item 10: the API must not wait behind the CWMP
 * queue). A turn costs the loop a few microseconds; a request costs about a millisecond.
 */
export class LoopTurns {
  readonly #waiting: Array<{ resolve: () => void; since: number }> = [];
  #scheduled = false;
  #worstWaitMs = 0;

  /** Resolves when it is this request's turn. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push({ resolve, since: performance.now() });
      this.#schedule();
    });
  }

  /**
   * The longest a request waited for its turn since the last call (and the oldest still waiting): the loop can
   * keep time, turn after short turn, while a backlog of requests grows behind it — this sees the backlog.
   */
  takeWorstWaitMs(): number {
    const oldest = this.#waiting[0];
    const worst = Math.max(
      this.#worstWaitMs,
      oldest === undefined ? 0 : performance.now() - oldest.since,
    );
    this.#worstWaitMs = 0;
    return worst;
  }

  /** Requests waiting for their turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  #schedule(): void {
    if (this.#scheduled || this.#waiting.length === 0) return;
    this.#scheduled = true;
    // An immediate queued from an immediate runs on the next turn of the loop, after its I/O.
    setImmediate(() => {
      this.#scheduled = false;
      const next = this.#waiting.shift();
      if (next !== undefined) {
        this.#worstWaitMs = Math.max(this.#worstWaitMs, performance.now() - next.since);
        next.resolve();
      }
      this.#schedule();
    });
  }
}
