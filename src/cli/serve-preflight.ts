import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { MIN_ADMIN_KEY_LENGTH } from '../api/api.ts';
import type { ServeConfig } from './serve-config.ts';

export interface Preflight {
  /** One line each, for the user: the process exits 2 when there is any. */
  errors: string[];
  /** The PEM files, read once here so that what was checked is what is served. */
  tls: { cert: Buffer; key: Buffer } | null;
}

/**
 * Everything `corral serve` can check before it opens a port or writes anything a later run depends on:
 * a mistake found after the first listener is up leaves a half-started ACS, and on a first run an admin key
 * nobody saw.
 */
export function preflight(config: ServeConfig, env: NodeJS.ProcessEnv): Preflight {
  const errors: string[] = [];
  const adminKey = env.CORRAL_API_KEY;
  // An empty CORRAL_API_KEY means none (the API's own rule).
  if (adminKey !== undefined && adminKey !== '' && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    errors.push(
      `CORRAL_API_KEY is ${adminKey.length} characters; an admin key is at least ${MIN_ADMIN_KEY_LENGTH} (e.g. openssl rand -hex 24)`,
    );
  }
  const metricsToken = env.CORRAL_METRICS_TOKEN;
  if (
    metricsToken !== undefined &&
    metricsToken !== '' &&
    metricsToken.length < MIN_ADMIN_KEY_LENGTH
  ) {
    errors.push(
      `CORRAL_METRICS_TOKEN is ${metricsToken.length} characters; a metrics token is at least ${MIN_ADMIN_KEY_LENGTH} (e.g. openssl rand -hex 24)`,
    );
  }
  errors.push(...portClashes(config));
  const tls = config.tlsCert !== null && config.tlsKey !== null ? readTls(config, errors) : null;
  const dataDir = checkDataDir(config.dataDir);
  if (dataDir !== null) errors.push(dataDir);
  return { errors, tls };
}

function portClashes(config: ServeConfig): string[] {
  const listeners = [
    { flag: 'cwmp', host: config.cwmpHost, port: config.cwmpPort },
    { flag: 'api', host: config.apiHost, port: config.apiPort },
    { flag: 'file', host: config.fileHost, port: config.filePort },
  ];
  const clashes: string[] = [];
  for (const [i, a] of listeners.entries()) {
    for (const b of listeners.slice(i + 1)) {
      const overlap =
        a.host === b.host || [a.host, b.host].some((h) => h === '0.0.0.0' || h === '::');
      if (a.port !== 0 && a.port === b.port && overlap)
        clashes.push(`--${a.flag}-port and --${b.flag}-port are both ${a.port}`);
    }
  }
  return clashes;
}

function readTls(config: ServeConfig, errors: string[]): Preflight['tls'] {
  const read = (flag: string, path: string): Buffer | null => {
    try {
      return readFileSync(path);
    } catch (error) {
      errors.push(`cannot read --${flag} ${path}: ${reason(error)}`);
      return null;
    }
  };
  const cert = read('tls-cert', config.tlsCert!);
  const key = read('tls-key', config.tlsKey!);
  if (cert === null || key === null) return null;
  let parsed = true;
  try {
    new X509Certificate(cert);
  } catch {
    errors.push(`--tls-cert ${config.tlsCert} is not a PEM certificate`);
    parsed = false;
  }
  try {
    createPrivateKey(key);
  } catch {
    errors.push(`--tls-key ${config.tlsKey} is not a PEM private key (or it is encrypted)`);
    parsed = false;
  }
  if (!parsed) return null;
  try {
    createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
  } catch (error) {
    errors.push(
      `--tls-key ${config.tlsKey} does not go with --tls-cert ${config.tlsCert}: ${reason(error)}`,
    );
    return null;
  }
  return { cert, key };
}

/** Creates the directory if need be and proves it writable (a permission check alone is wrong for root). */
function checkDataDir(dataDir: string): string | null {
  const probe = join(dataDir, `.write-test-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, '');
    rmSync(probe);
    return null;
  } catch (error) {
    return `cannot write to the data directory ${dataDir} (--data-dir): ${reason(error)}`;
  }
}

/** `ENOENT: no such file or directory, open '/x'` → `no such file or directory`. */
export function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && typeof e.syscall === 'string') {
    return /^\w+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
  }
  return (e.message ?? String(error)).split('\n')[0]!;
}
