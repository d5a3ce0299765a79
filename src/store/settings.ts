import { StoreError } from './errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
import { STORE_DEFAULTS, type StoreOptions } from './store.ts';

/** The store options both engines apply, checked and with their defaults filled in. */
export interface Settings {
  eventHistoryLimit: number;
  readTimeResolutionMs: number;
  retry: RetryPolicy;
  claimLeaseMs: number;
  transferTimeoutMs: number;
  traceSessionsPerDevice: number;
  traceBytesPerDevice: number;
}

export function settingsOf(options: StoreOptions): Settings {
  const positive = (name: string, v: number | undefined, fallback: number): number => {
    const n = v ?? fallback;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new StoreError('invalid', 'store', `${name} must be a non-negative whole number`);
    }
    return n;
  };
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  return {
    eventHistoryLimit: positive(
      'eventHistoryLimit',
      options.eventHistoryLimit,
      STORE_DEFAULTS.eventHistoryLimit,
    ),
    readTimeResolutionMs: positive(
      'readTimeResolutionMs',
      options.readTimeResolutionMs,
      STORE_DEFAULTS.readTimeResolutionMs,
    ),
    retry: {
      baseDelayMs: positive('retry.baseDelayMs', retry.baseDelayMs, 0),
      maxDelayMs: positive('retry.maxDelayMs', retry.maxDelayMs, 0),
      maxAttempts: Math.max(1, positive('retry.maxAttempts', retry.maxAttempts, 1)),
    },
    claimLeaseMs: positive('claimLeaseMs', options.claimLeaseMs, STORE_DEFAULTS.claimLeaseMs),
    transferTimeoutMs: positive(
      'transferTimeoutMs',
      options.transferTimeoutMs,
      STORE_DEFAULTS.transferTimeoutMs,
    ),
    traceSessionsPerDevice: Math.max(
      1,
      positive(
        'traceSessionsPerDevice',
        options.traceSessionsPerDevice,
        STORE_DEFAULTS.traceSessionsPerDevice,
      ),
    ),
    traceBytesPerDevice: Math.max(
      1024,
      positive(
        'traceBytesPerDevice',
        options.traceBytesPerDevice,
        STORE_DEFAULTS.traceBytesPerDevice,
      ),
    ),
  };
}

/** A time in ms since the epoch: a safe integer, else a typed 'invalid'. */
export function checkTime(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new StoreError('invalid', 'store', `${name} must be whole ms since the epoch`);
  }
  return value;
}
