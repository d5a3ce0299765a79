import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_FILE = 'secret.key';

/**
 * The ACS's master key (secrets at rest, Digest nonces): 32 random bytes in `<dataDir>/secret.key`, created on
 * the first run, readable by its owner only. Losing it makes the stored secrets unreadable; keep a copy apart
 * from the database backups.
 */
export function loadOrCreateSecretKey(dataDir: string): { key: Uint8Array; created: boolean } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, KEY_FILE);
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path} does not hold a 32-byte hex key`);
    return { key: Buffer.from(text, 'hex'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}
