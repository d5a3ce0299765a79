import { addressKey } from './address-limits.ts';

/**
 * Throttling of failed authentication (issue 11 item 7: a thousand wrong API keys went through in 0.64 s, 542
 * CPE Digest guesses in 1.2 s). Failures are counted per client address (IPv6 per /64) and per claimed identity —
 * an API key's public id, a CPE's Digest username — never any part of a secret.
 *
 * After `freeFailures` failures, a counter is locked for a delay that doubles with every further failure, up to
 * `maxDelayMs`: a locked address gets 429 + Retry-After before its key is even looked at. A locked claim is
 * refused only to addresses that have failed themselves: its owner, calling from an address with a clean
 * record, keeps working while someone elsewhere guesses at it. Success never clears a counter (an attacker
 * holding a key of their own could otherwise interleave it to reset theirs); a counter is forgotten after
 * `forgetAfterMs` without failures. Memory is bounded: past `maxEntries` the oldest counters go first.
 */
export interface AuthThrottleOptions {
  /** Failures of one claim answered 401 before the first delay; default 5. */
  freeFailures?: number;
  /**
   * Failures from one address before the first delay; default `freeFailures`. Set it higher where many honest
   * clients share an address (CPEs behind carrier-grade NAT) and one broken one must not lock out the rest.
   */
  freeAddressFailures?: number;
  /** The first delay; default 1 s. */
  baseDelayMs?: number;
  /** The longest delay; default 5 min. */
  maxDelayMs?: number;
  /** A counter with no failure for this long is forgotten; default 15 min. */
  forgetAfterMs?: number;
  /** Counters kept per kind; default 10,000. */
  maxEntries?: number;
  clock?: () => number;
}

export type ThrottleVerdict =
  | { ok: true }
  | { ok: false; by: 'address' | 'key'; retryAfterSeconds: number };

interface Counter {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class AuthThrottle {
  readonly #free: number;
  readonly #freeAddress: number;
  readonly #base: number;
  readonly #max: number;
  readonly #forget: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #addresses = new Map<string, Counter>();
  readonly #claims = new Map<string, Counter>();

  constructor(options: AuthThrottleOptions = {}) {
    this.#free = options.freeFailures ?? 5;
    this.#freeAddress = options.freeAddressFailures ?? this.#free;
    this.#base = options.baseDelayMs ?? 1000;
    this.#max = options.maxDelayMs ?? 300_000;
    this.#forget = options.forgetAfterMs ?? 900_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#clock = options.clock ?? Date.now;
  }

  /** Whether an attempt from `address` claiming `claim` may be verified now. */
  check(address: string | undefined, claim: string): ThrottleVerdict {
    const now = this.#clock();
    const byAddress = this.#live(this.#addresses, addressKey(address), now);
    if (byAddress !== undefined && byAddress.lockedUntil > now) {
      return { ok: false, by: 'address', retryAfterSeconds: seconds(byAddress.lockedUntil - now) };
    }
    const byClaim = this.#live(this.#claims, claim, now);
    if (byClaim !== undefined && byClaim.lockedUntil > now && byAddress !== undefined) {
      return { ok: false, by: 'key', retryAfterSeconds: seconds(byClaim.lockedUntil - now) };
    }
    return { ok: true };
  }

  /** A failed attempt: counts against the address and the claim. */
  failed(address: string | undefined, claim: string): void {
    const now = this.#clock();
    this.#count(this.#addresses, addressKey(address), now, this.#freeAddress);
    this.#count(this.#claims, claim, now, this.#free);
  }

  #live(map: Map<string, Counter>, key: string, now: number): Counter | undefined {
    const counter = map.get(key);
    if (counter !== undefined && now - counter.lastFailureAt >= this.#forget) {
      map.delete(key);
      return undefined;
    }
    return counter;
  }

  #count(map: Map<string, Counter>, key: string, now: number, free: number): void {
    const counter = this.#live(map, key, now) ?? {
      failures: 0,
      lastFailureAt: now,
      lockedUntil: 0,
    };
    counter.failures++;
    counter.lastFailureAt = now;
    const over = counter.failures - free;
    if (over >= 0) {
      const delay = Math.min(this.#max, this.#base * 2 ** Math.min(over, 30));
      counter.lockedUntil = Math.max(counter.lockedUntil, now + delay);
    }
    // Re-inserted last: Map order is then least recently failed first, which is what goes when full.
    map.delete(key);
    map.set(key, counter);
    while (map.size > this.#maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
