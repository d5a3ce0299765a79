/**
 * Session retry back-off (TR-069 §3.2.1.1, cwmp-spec.md §4.1): after the n-th consecutive failed session the CPE
 * waits a uniformly random time in [m·(k/1000)^(n-1), m·(k/1000)^n] seconds, where m is
 * CWMPRetryMinimumWaitInterval (default 5) and k is CWMPRetryIntervalMultiplier (default 2000); the range stops
 * growing from the 10th retry on.
 */

export const DEFAULT_RETRY_MINIMUM_WAIT_INTERVAL = 5;
export const DEFAULT_RETRY_INTERVAL_MULTIPLIER = 2000;
/** From this retry on the range no longer grows. */
export const MAX_RETRY_EXPONENT = 10;

export interface RetryPolicy {
  /** CWMPRetryMinimumWaitInterval, seconds, 1-65535. */
  minimumWaitSeconds: number;
  /** CWMPRetryIntervalMultiplier, thousandths, 1000-65535. */
  intervalMultiplier: number;
}

/** The wait range, in seconds, before retry number `retry` (1 = the first retry after one failure). */
export function retryWaitRange(retry: number, policy: RetryPolicy): { min: number; max: number } {
  if (!Number.isInteger(retry) || retry < 1)
    throw new RangeError(`retry must be ≥ 1, got ${retry}`);
  const m = clamp(policy.minimumWaitSeconds, 1, 65535, DEFAULT_RETRY_MINIMUM_WAIT_INTERVAL);
  const k = clamp(policy.intervalMultiplier, 1000, 65535, DEFAULT_RETRY_INTERVAL_MULTIPLIER) / 1000;
  const n = Math.min(retry, MAX_RETRY_EXPONENT);
  return { min: m * k ** (n - 1), max: m * k ** n };
}

/** A wait in milliseconds drawn from the range; `random` returns [0, 1). */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const { min, max } = retryWaitRange(retry, policy);
  return Math.round((min + (max - min) * random()) * 1000);
}

/** An out-of-range setting falls back to the default rather than stalling or hammering the ACS. */
function clamp(value: number, lo: number, hi: number, fallback: number): number {
  return Number.isFinite(value) && value >= lo && value <= hi ? value : fallback;
}
