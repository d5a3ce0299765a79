/**
 * Per-address limits on the CWMP endpoint (security.md item 11: Inform storms, and one host hogging the ACS).
 * Global admission control (`maxSessions`) protects the ACS; these keep one source from taking all of it:
 * - requests in progress at once from one address (a slow sender opening hundreds of connections);
 * - new sessions (Informs) from one address, a token bucket: a burst, refilled at a steady rate. Generous by
 *   default, because thousands of CPEs can share one address behind carrier-grade NAT; over it, the CPE gets 503
 *   with Retry-After and comes back later, as after any refused Inform.
 * IPv6 sources count per /64 (one subscriber's prefix), IPv4-mapped IPv6 as the IPv4 address. Memory is
 * bounded: the least recently seen addresses are forgotten first.
 */
export interface AddressLimitSettings {
  /** Requests one address may have in progress at once; default 256. */
  maxConcurrentRequests: number;
  /** Informs one address may send in a burst; default 1000. */
  informBurst: number;
  /** Informs per second one address gets back after its burst; default 100. */
  informsPerSecond: number;
  /** Addresses remembered at once; default 100,000. */
  maxAddresses: number;
}

export const DEFAULT_ADDRESS_LIMITS: Readonly<AddressLimitSettings> = Object.freeze({
  maxConcurrentRequests: 256,
  informBurst: 1000,
  informsPerSecond: 100,
  maxAddresses: 100_000,
});

interface Bucket {
  tokens: number;
  at: number;
}

export type InformAdmission = { ok: true } | { ok: false; retryAfterSeconds: number };

export class AddressLimits {
  readonly settings: AddressLimitSettings;
  readonly #inProgress = new Map<string, number>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #clock: () => number;

  constructor(settings: Partial<AddressLimitSettings> = {}, clock: () => number = Date.now) {
    this.settings = { ...DEFAULT_ADDRESS_LIMITS, ...settings };
    for (const [name, value] of Object.entries(this.settings)) {
      if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
        throw new RangeError(`address limit ${name} must be a positive number`);
      }
    }
    this.#clock = clock;
  }

  /**
   * A request from `address` begins; false (count unchanged) when the address has too many in progress. A
   * request of a session already admitted (`inSession`) is counted but never refused: turning it away would
   * leave its session hanging until it times out, and it is what frees the address's capacity.
   */
  enter(address: string | undefined, inSession = false): boolean {
    const key = addressKey(address);
    const n = this.#inProgress.get(key) ?? 0;
    if (n >= this.settings.maxConcurrentRequests && !inSession) return false;
    this.#inProgress.set(key, n + 1);
    return true;
  }

  /** The request that `enter` admitted has ended. */
  leave(address: string | undefined): void {
    const key = addressKey(address);
    const n = this.#inProgress.get(key) ?? 0;
    if (n <= 1) this.#inProgress.delete(key);
    else this.#inProgress.set(key, n - 1);
  }

  /**
   * Whether `address` may open a new session now, without taking a token: checked before authentication (which
   * costs a store read), so that a storm stops here, while a Digest challenge round trip costs no token.
   */
  peekInform(address: string | undefined): InformAdmission {
    return this.#admission(this.#bucket(address));
  }

  /** Whether `address` may open a new session now; takes a token if so. */
  admitInform(address: string | undefined): InformAdmission {
    const bucket = this.#bucket(address);
    const admission = this.#admission(bucket);
    if (admission.ok) bucket.tokens -= 1;
    return admission;
  }

  #admission(bucket: Bucket): InformAdmission {
    if (bucket.tokens >= 1) return { ok: true };
    const { informsPerSecond } = this.settings;
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / informsPerSecond)),
    };
  }

  /** The address's bucket, refilled to now. */
  #bucket(address: string | undefined): Bucket {
    const { informBurst, informsPerSecond, maxAddresses } = this.settings;
    const key = addressKey(address);
    const now = this.#clock();
    const bucket = this.#buckets.get(key) ?? { tokens: informBurst, at: now };
    bucket.tokens = Math.min(
      informBurst,
      bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * informsPerSecond,
    );
    bucket.at = now;
    // Re-inserted: the map's order is least recently seen first.
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > maxAddresses) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return bucket;
  }

  /** Addresses with requests in progress (for tests and metrics). */
  get busyAddresses(): number {
    return this.#inProgress.size;
  }
}

/** The unit a limit counts: an IPv4 address, or an IPv6 /64 prefix. */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return '?';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1]!;
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address.split('%')[0]!);
  return groups === null ? address : `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros; null if it is not one. */
function expandIpv6(address: string): string[] | null {
  const halves = address.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const part = (s: string | undefined) => (s === undefined || s === '' ? [] : s.split(':'));
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
