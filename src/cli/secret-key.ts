import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_FILE = 'secret.key';
const HEX_KEY = /^[0-9a-f]{64}$/;

/** Where the master key came from, for the log (never the key itself). */
export type SecretKeySource = 'environment' | 'file' | 'data-dir' | 'data-dir-created';

export interface LoadedSecretKey {
  key: Uint8Array;
  source: SecretKeySource;
  /** The file read or created; null for the environment. */
  path: string | null;
  /** The file can be read by other users than its owner (worth a warning). */
  exposed: boolean;
}

/**
 * The ACS's master key (secrets at rest, Digest nonces): 32 bytes as 64 hex digits, from the first of
 * - `CORRAL_SECRET_KEY` (the digits themselves: how containers are usually given secrets),
 * - `--secret-key-file` / `CORRAL_SECRET_KEY_FILE` (a file that must exist: a mistyped path never makes a new key),
 * - `<dataDir>/secret.key`, created on the first run, readable by its owner only.
 * Several ACS nodes on one database need the same key, given one of the first two ways. Losing the key makes the
 * stored secrets unreadable; keep a copy apart from the database backups.
 */
export function loadSecretKey(options: {
  dataDir: string;
  file: string | null;
  env: NodeJS.ProcessEnv;
}): LoadedSecretKey {
  const fromEnv = options.env.CORRAL_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (options.file !== null)
      throw new Error('give the secret key one way: CORRAL_SECRET_KEY or --secret-key-file');
    return {
      key: parseKey(fromEnv, 'CORRAL_SECRET_KEY'),
      source: 'environment',
      path: null,
      exposed: false,
    };
  }
  if (options.file !== null) return { ...readKeyFile(options.file), source: 'file' };
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const path = join(options.dataDir, KEY_FILE);
  try {
    return { ...readKeyFile(path), source: 'data-dir' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'data-dir-created', path, exposed: false };
}

function readKeyFile(path: string): { key: Uint8Array; path: string; exposed: boolean } {
  const text = readFileSync(path, 'utf8');
  const exposed = (statSync(path).mode & 0o077) !== 0;
  return { key: parseKey(text, path), path, exposed };
}

function parseKey(text: string, where: string): Uint8Array {
  const hex = text.trim().toLowerCase();
  if (!HEX_KEY.test(hex)) throw new Error(`${where} does not hold a 32-byte key as 64 hex digits`);
  return Buffer.from(hex, 'hex');
}
