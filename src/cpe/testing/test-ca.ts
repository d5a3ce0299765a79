/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1, made with the openssl command line
 * for TLS tests (undefined when openssl is not installed: the test is skipped).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  ca: string;
  /** The CA's key: a conformance lab issues certificates with one defect each with it (--tls-ca-key). */
  caKey: string;
  cert: string;
  key: string;
}

export function makeTestCertificates(): TestCertificates | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'corral-ca-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Corral Test CA',
    );
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
    run(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );
    return {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      caKey: readFileSync(join(dir, 'ca.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
