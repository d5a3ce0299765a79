/**
 * A certificate and its key made with the openssl command line in a private temporary directory, removed at once
 * (a CA key written there for `openssl ca` goes with it). Undefined when openssl is missing or fails: the cases that
 * need the pair skip, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `make` runs openssl commands (`run`) in `dir` and leaves cert.pem and key.pem there. */
export function opensslPair(
  make: (run: (...args: string[]) => void, dir: string) => void,
): { cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'corral-openssl-'));
  try {
    make((...args) => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    }, dir);
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
