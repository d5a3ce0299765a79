/**
 * Replay refusal for Digest: per nonce, the highest nonce-count (nc) accepted so far. A (nonce, nc) whose nc is not
 * above it is a replay. The interface allows a shared store (several ACS nodes); the in-memory implementation
 * below serves one process.
 */
import { AuthConfigError } from './errors.ts';
import { type Clock, systemClock } from './sources.ts';

/** One authenticated use of a nonce, presented after the response was verified and the nonce found fresh. */
export interface NonceUse {
  readonly nonce: string;
  readonly nc: number;
  /** When the server issued the nonce (from the nonce itself), ms since the epoch. */
  readonly issuedAt: number;
  /** When it stops being accepted; the tracker may forget it afterwards. */
  readonly expiresAt: number;
}

/**
 * - `accepted`: nc is above every nc seen for this nonce, and is now recorded;
 * - `replayed`: it is not;
 * - `forgotten`: the tracker had to drop state that could have covered this nonce (memory cap), so it cannot
 *   tell; the server answers as for an expired nonce (`stale=true`), and an honest client simply retries.
 */
export type NonceCountVerdict = 'accepted' | 'replayed' | 'forgotten';

export interface NonceCountTracker {
  /** Atomic check-and-record. */
  accept(use: NonceUse): NonceCountVerdict | Promise<NonceCountVerdict>;
}

export interface MemoryNonceCountTrackerOptions {
  /** Nonces remembered at most; default 10,000 (about 1.5 MB). */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

interface Entry {
  nc: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * In-memory tracker, bounded: least recently used nonces are evicted first, expired ones are swept when the map is
 * full. Evicting a nonce that has not expired would lose its replay protection, so the tracker keeps a watermark:
 * the latest issue time of any nonce evicted early. A nonce it has no entry for, issued at or before that
 * watermark, is `forgotten` (possibly seen before), never `accepted`.
 */
export class MemoryNonceCountTracker implements NonceCountTracker {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #clock: Clock;
  #watermark = Number.NEGATIVE_INFINITY;
  /** No entry expires before this; the next sweep is pointless until then. */
  #nextExpiry = Number.POSITIVE_INFINITY;

  constructor(options: MemoryNonceCountTrackerOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new AuthConfigError('invalid-option', 'maxEntries must be a positive integer');
    }
    this.#max = max;
    this.#clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.#entries.size;
  }

  accept(use: NonceUse): NonceCountVerdict {
    if (!Number.isSafeInteger(use.nc) || use.nc < 1) return 'replayed';
    const entry = this.#entries.get(use.nonce);
    if (entry !== undefined) {
      // Refresh the LRU position.
      this.#entries.delete(use.nonce);
      this.#entries.set(use.nonce, entry);
      if (use.nc <= entry.nc) return 'replayed';
      entry.nc = use.nc;
      return 'accepted';
    }
    if (use.issuedAt <= this.#watermark) return 'forgotten';
    const now = this.#clock();
    if (use.expiresAt <= now) return 'forgotten';
    if (this.#entries.size >= this.#max) this.#makeRoom(now);
    this.#entries.set(use.nonce, { nc: use.nc, issuedAt: use.issuedAt, expiresAt: use.expiresAt });
    if (use.expiresAt < this.#nextExpiry) this.#nextExpiry = use.expiresAt;
    return 'accepted';
  }

  #makeRoom(now: number): void {
    if (now >= this.#nextExpiry) {
      let next = Number.POSITIVE_INFINITY;
      for (const [nonce, e] of this.#entries) {
        if (e.expiresAt <= now) this.#entries.delete(nonce);
        else if (e.expiresAt < next) next = e.expiresAt;
      }
      this.#nextExpiry = next;
    }
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.entries().next();
      if (oldest.done === true) break;
      const [nonce, e] = oldest.value;
      this.#entries.delete(nonce);
      if (e.expiresAt > now && e.issuedAt > this.#watermark) this.#watermark = e.issuedAt;
    }
  }

  toJSON(): { size: number; maxEntries: number } {
    return { size: this.#entries.size, maxEntries: this.#max };
  }
}
