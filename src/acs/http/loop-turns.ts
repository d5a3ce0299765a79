/**
 * CWMP requests take turns with everything else on the event loop: the work of one request (decoding, the
 * session engine's synchronous store writes) per turn of the loop, so that the REST API, the file server and
 * the timers get in between. Without this, a storm's requests that became readable together ran back to back in
 * one turn and an API request waited behind all of them (issue #11 item 10: the API must not wait behind the CWMP
 * queue). A turn costs the loop a few microseconds; a request costs about a millisecond.
 */
export class LoopTurns {
  readonly #waiting: Array<() => void> = [];
  #scheduled = false;

  /** Resolves when it is this request's turn. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
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
      this.#waiting.shift()?.();
      this.#schedule();
    });
  }
}
