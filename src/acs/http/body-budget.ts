/**
 * The bytes of request bodies the CWMP endpoint holds at once, across every request (security.md item 8: a
 * thousand bodies just under the per-message limit are as much a memory attack as one huge body). Each request
 * takes from it through a lease as its bytes arrive (inflated bytes for a compressed body) and gives everything
 * back when it is done; a request that cannot get its bytes is refused with 503 rather than queued.
 */
export class BodyBudget {
  #inUse = 0;
  #peak = 0;

  constructor(readonly maxBytes: number) {
    if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
      throw new RangeError('a body budget is a whole number of bytes > 0');
    }
  }

  /** Bytes held by requests in progress. */
  get inUse(): number {
    return this.#inUse;
  }

  /** The most ever held at once (for tests and metrics). */
  get peak(): number {
    return this.#peak;
  }

  lease(): BodyLease {
    return new BodyLease(this);
  }

  /** @internal through a lease */
  take(bytes: number): boolean {
    if (this.#inUse + bytes > this.maxBytes) return false;
    this.#inUse += bytes;
    if (this.#inUse > this.#peak) this.#peak = this.#inUse;
    return true;
  }

  /** @internal through a lease */
  give(bytes: number): void {
    this.#inUse -= bytes;
  }
}

/** One request's share of the budget. */
export class BodyLease {
  #held = 0;

  constructor(private readonly budget: BodyBudget) {}

  take(bytes: number): boolean {
    if (!this.budget.take(bytes)) return false;
    this.#held += bytes;
    return true;
  }

  /** Give back everything this request took (idempotent). */
  release(): void {
    this.budget.give(this.#held);
    this.#held = 0;
  }
}
