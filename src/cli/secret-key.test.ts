import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadSecretKey } from './secret-key.ts';

const HEX = 'ab'.repeat(32);

describe('the master key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'corral-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created in the data directory on the first run, owner-only, and read back after', () => {
    const dataDir = join(dir, 'data');
    const first = loadSecretKey({ dataDir, file: null, env: {} });
    assert.equal(first.source, 'data-dir-created');
    assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);
    const again = loadSecretKey({ dataDir, file: null, env: {} });
    assert.equal(again.source, 'data-dir');
    assert.deepEqual(Buffer.from(again.key), Buffer.from(first.key));
  });

  it('comes from CORRAL_SECRET_KEY when set, and no file is made', () => {
    const dataDir = join(dir, 'data');
    const loaded = loadSecretKey({
      dataDir,
      file: null,
      env: { CORRAL_SECRET_KEY: HEX.toUpperCase() },
    });
    assert.equal(loaded.source, 'environment');
    assert.equal(Buffer.from(loaded.key).toString('hex'), HEX);
    assert.equal(existsSync(join(dataDir, 'secret.key')), false);
  });

  it('comes from --secret-key-file, which must exist (a mistyped path never makes a new key)', () => {
    const file = join(dir, 'shared.key');
    assert.throws(() => loadSecretKey({ dataDir: dir, file, env: {} }), /ENOENT/);
    assert.equal(existsSync(file), false);
    writeFileSync(file, `${HEX}\n`, { mode: 0o600 });
    const loaded = loadSecretKey({ dataDir: dir, file, env: {} });
    assert.equal(loaded.source, 'file');
    assert.equal(loaded.exposed, false);
    assert.equal(Buffer.from(loaded.key).toString('hex'), HEX);
    chmodSync(file, 0o644);
    assert.equal(loadSecretKey({ dataDir: dir, file, env: {} }).exposed, true);
  });

  it('refuses a malformed key in one line without echoing it, and two sources at once', () => {
    const file = join(dir, 'bad.key');
    writeFileSync(file, 'not-a-key-but-a-secret-looking-thing');
    assert.throws(
      () => loadSecretKey({ dataDir: dir, file, env: {} }),
      (e: Error) =>
        /does not hold a 32-byte key as 64 hex digits/.test(e.message) &&
        !e.message.includes('secret-looking'),
    );
    assert.throws(
      () => loadSecretKey({ dataDir: dir, file: null, env: { CORRAL_SECRET_KEY: 'abc' } }),
      /CORRAL_SECRET_KEY does not hold a 32-byte key/,
    );
    assert.throws(
      () => loadSecretKey({ dataDir: dir, file, env: { CORRAL_SECRET_KEY: HEX } }),
      /give the secret key one way/,
    );
  });
});
