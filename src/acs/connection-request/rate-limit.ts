/**
 * How often the ACS may send connection requests (security.md item 10: the ACS is no reflector): at most one per
 * device per `perDeviceIntervalMs`, and `globalPerSecond` in all, as a token bucket. The clock is injected.
 */
export class ConnectionRequestLimiter {
  private readonly lastByDevice = new Map<string, number>();
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perDeviceIntervalMs: number,
    private readonly globalPerSecond: number,
    private readonly clock: () => number,
    /** Devices remembered at once; the oldest entries go first (bounded memory). */
    private readonly maxDevices = 100_000,
  ) {
    this.tokens = globalPerSecond;
    this.refilledAt = clock();
  }

  /** Whether a request to this device may go now; counts it if so. */
  tryAcquire(deviceId: string): boolean {
    const now = this.clock();
    const last = this.lastByDevice.get(deviceId);
    if (last !== undefined && now - last < this.perDeviceIntervalMs) return false;
    this.tokens = Math.min(
      this.globalPerSecond,
      this.tokens + ((now - this.refilledAt) / 1000) * this.globalPerSecond,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    this.lastByDevice.delete(deviceId);
    this.lastByDevice.set(deviceId, now);
    if (this.lastByDevice.size > this.maxDevices) {
      const oldest = this.lastByDevice.keys().next().value;
      if (oldest !== undefined) this.lastByDevice.delete(oldest);
    }
    return true;
  }
}
