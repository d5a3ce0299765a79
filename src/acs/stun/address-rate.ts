/**
 * A token bucket per source address plus one for all, for datagrams: a STUN server answers whoever asks, so
 * without this it would be a reflector. Memory is bounded: past `maxAddresses` the least recently seen go.
 */
export class DatagramRateLimit {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #globalPerSecond: number;
  readonly #maxAddresses: number;
  readonly #clock: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #global: { tokens: number; at: number };

  constructor(
    options: {
      perSecond?: number;
      burst?: number;
      globalPerSecond?: number;
      maxAddresses?: number;
      clock?: () => number;
    } = {},
  ) {
    // Generous: thousands of devices may share one address behind carrier-grade NAT, and no answer is larger
    // than its request, so the limit guards CPU, not bandwidth.
    this.#perSecond = options.perSecond ?? 100;
    this.#burst = options.burst ?? 500;
    this.#globalPerSecond = options.globalPerSecond ?? 20_000;
    this.#maxAddresses = options.maxAddresses ?? 100_000;
    this.#clock = options.clock ?? Date.now;
    this.#global = { tokens: this.#globalPerSecond, at: this.#clock() };
  }

  /** Whether one more datagram from `address` may be answered now (and counts it). */
  take(address: string): boolean {
    const now = this.#clock();
    this.#global = refill(this.#global, now, this.#globalPerSecond, this.#globalPerSecond);
    if (this.#global.tokens < 1) return false;
    const bucket = refill(
      this.#buckets.get(address) ?? { tokens: this.#burst, at: now },
      now,
      this.#perSecond,
      this.#burst,
    );
    this.#buckets.delete(address);
    this.#buckets.set(address, bucket);
    if (this.#buckets.size > this.#maxAddresses) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    this.#global.tokens -= 1;
    return true;
  }
}

function refill(
  bucket: { tokens: number; at: number },
  now: number,
  perSecond: number,
  cap: number,
): { tokens: number; at: number } {
  const elapsed = Math.max(0, now - bucket.at) / 1000;
  return { tokens: Math.min(cap, bucket.tokens + elapsed * perSecond), at: now };
}
