/**
 * Whether an error means the database cannot be reached right now — PostgreSQL restarting, failing over, refusing
 * connections, a connection cut mid-transaction — rather than that the request was wrong. The CPE is then told to
 * come back later (503 with Retry-After); nothing it sent was acknowledged, so nothing is lost, and the ACS
 * recovers by itself once the database answers again (the pool opens new connections) — except from a disk that
 * failed an fsync, which needs an operator and a restart.
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  // The network to the database.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: class 08 (connection exception), 57P01–57P03 (shutting down, cannot connect now), 53300 (too
  // many connections), 55000 with a database not accepting connections.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // SQLite's store after a failed fsync (group-commit.ts): it takes no more writes until the ACS is restarted.
  'disk-failed',
]);

/** node-postgres's own words for a connection it lost or never got. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not currently accepting connections/i,
  /Client has encountered a connection error/i,
];

export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (UNAVAILABLE_MESSAGES.some((m) => m.test(e instanceof Error ? e.message : ''))) return true;
  }
  return false;
}
