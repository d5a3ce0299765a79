import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { Secret } from './secret.ts';

/**
 * Console users' passwords at rest: scrypt, N=2^15, r=8, p=3 (OWASP's equivalent of N=2^17, p=1 at a quarter of
 * the memory: 32 MiB a hash, about 100 ms of one core). Stored as `scrypt$N$r$p$salt$hash` (base64url), so the
 * cost can rise later without breaking old hashes.
 *
 * Hashing runs on libuv's thread pool, which file and DNS work share: at most two hashes run at once and at most
 * `MAX_WAITING` wait, so a flood of logins cannot starve the rest of the process; beyond that, `PasswordBusy`.
 */
const COST = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_BYTES = 32;
const MAX_RUNNING = 2;
const MAX_WAITING = 64;

export class PasswordBusy extends Error {
  override readonly name = 'PasswordBusy';
}

/** A password a person can type and remember, long enough to resist guessing at any throttle. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export async function hashPassword(password: Secret): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password.reveal(), salt, COST);
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** Whether `password` matches `stored`; a malformed `stored` matches nothing. */
export async function passwordMatches(password: Secret, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16)
    return false;
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password.reveal(), Buffer.from(parts[4] ?? '', 'base64url'), {
    N,
    r,
    p,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash of a random password: checked against when a name is unknown, so the answer takes as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(new Secret(randomBytes(16).toString('hex')));
  return decoy;
}

let running = 0;
const waiting: (() => void)[] = [];

async function derive(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  if (running < MAX_RUNNING) running++;
  else if (waiting.length >= MAX_WAITING)
    throw new PasswordBusy('too many password checks at once');
  // The slot is handed over by the one that finishes (see below), so none is taken twice.
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
        error ? reject(error) : resolve(key),
      ),
    );
  } finally {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  }
}
