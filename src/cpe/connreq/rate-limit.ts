/**
 * TR-069 §3.2.2: a CPE SHOULD limit the Connection Requests it accepts in a period, and answers those it refuses
 * for that reason with 503. This is a sliding window per device: at most `limit` accepted in any `windowMs`.
 * State exists only for devices that received requests lately.
 */

export class ConnectionRequestLimiter<K> {
  private readonly accepted = new Map<K, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!(limit >= 1) || !(windowMs > 0))
      throw new RangeError('limit must be ≥ 1 and windowMs > 0');
  }

  /** Records an accepted request and returns true, or returns false when the device is over its limit. */
  take(key: K, now: number, limit = this.limit, windowMs = this.windowMs): boolean {
    const recent = (this.accepted.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= limit) {
      this.accepted.set(key, recent);
      return false;
    }
    recent.push(now);
    this.accepted.set(key, recent);
    return true;
  }

  /** Drops devices with nothing in their window (call now and then on a large fleet). */
  prune(now: number): void {
    for (const [key, times] of this.accepted) {
      if (times.every((t) => t <= now - this.windowMs)) this.accepted.delete(key);
    }
  }

  get tracked(): number {
    return this.accepted.size;
  }
}
