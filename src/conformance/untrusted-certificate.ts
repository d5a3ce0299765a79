/**
 * A certificate no DUT can trust, for the Secure CWMP cases: self-signed, made on the spot with the openssl command
 * line (undefined when openssl is not installed: those cases skip, saying so). Made once per run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let made: { cert: string; key: string } | undefined | null = null;

export function untrustedCertificate(): { cert: string; key: string } | undefined {
  if (made !== null) return made;
  const dir = mkdtempSync(join(tmpdir(), 'corral-untrusted-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '2',
        '-subj',
        '/CN=corral-untrusted',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    made = {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } catch {
    made = undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return made;
}
