/**
 * Where new sessions wait for a turn while the ACS is at capacity, their requests unread: first come, first
 * served, each for a bounded time (as a load balancer queues requests behind a server's connection limit). A
 * waiter whose connection is gone is skipped. What a waiter is given — a turn or a refusal — is the caller's.
 */
interface Waiter<T> {
  give: (value: T) => void;
  alive: () => boolean;
  since: number;
}

export class WaitingRoom<T> {
  #waiters: Array<Waiter<T> | undefined> = [];
  #head = 0;
  readonly #clock: () => number;

  constructor(clock: () => number = () => performance.now()) {
    this.#clock = clock;
  }

  /** Waiting now (those whose connection went since they came in included, until they are reached). */
  get size(): number {
    return this.#waiters.length - this.#head;
  }

  /** Waits at the back of the line; `alive` says whether the waiter still wants its turn. */
  join(alive: () => boolean): Promise<T> {
    return new Promise((give) => {
      this.#waiters.push({ give, alive, since: this.#clock() });
    });
  }

  /** Gives the first waiter still alive `value()`; the gone before it get `gone`. False: nobody is waiting. */
  serveNext(value: () => T, gone: T): boolean {
    for (let waiter = this.#shift(); waiter !== undefined; waiter = this.#shift()) {
      if (waiter.alive()) {
        waiter.give(value());
        return true;
      }
      waiter.give(gone);
    }
    return false;
  }

  /** Those who waited longer than `maxWaitMs` leave with `value()` (the gone with `gone`). */
  expire(maxWaitMs: number, value: () => T, gone: T): void {
    const cutoff = this.#clock() - maxWaitMs;
    while (this.size > 0 && this.#waiters[this.#head]!.since < cutoff) {
      const waiter = this.#shift()!;
      waiter.give(waiter.alive() ? value() : gone);
    }
  }

  /** Everyone leaves with `value()` (the ACS is stopping). */
  clear(value: () => T): void {
    for (let waiter = this.#shift(); waiter !== undefined; waiter = this.#shift())
      waiter.give(value());
  }

  #shift(): Waiter<T> | undefined {
    if (this.#head >= this.#waiters.length) return undefined;
    const waiter = this.#waiters[this.#head];
    this.#waiters[this.#head++] = undefined;
    // Compacted once the served are most of the array: amortised O(1) a waiter.
    if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
    return waiter;
  }
}
