import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseServeConfig, serveUsage } from './serve-config.ts';

describe('--zero-touch-acs-credentials', () => {
  it('is off by default and takes true|false from a flag, the environment or the config file', () => {
    assert.equal(parseServeConfig([], {}).zeroTouchAcsCredentials, false);
    assert.equal(
      parseServeConfig(['--zero-touch-acs-credentials', 'true'], {}).zeroTouchAcsCredentials,
      true,
    );
    assert.equal(
      parseServeConfig(['--zero-touch-acs-credentials', 'false'], {
        CORRAL_ZERO_TOUCH_ACS_CREDENTIALS: 'true',
      }).zeroTouchAcsCredentials,
      false,
      'the flag wins over the environment',
    );
    assert.equal(
      parseServeConfig([], { CORRAL_ZERO_TOUCH_ACS_CREDENTIALS: '1' }).zeroTouchAcsCredentials,
      true,
    );
    const dir = mkdtempSync(join(tmpdir(), 'corral-config-'));
    try {
      const file = join(dir, 'corral.json');
      writeFileSync(file, JSON.stringify({ zeroTouchAcsCredentials: true }));
      assert.equal(parseServeConfig(['--config', file], {}).zeroTouchAcsCredentials, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses anything but true or false, naming the flag', () => {
    assert.throws(
      () => parseServeConfig(['--zero-touch-acs-credentials', 'maybe'], {}),
      /--zero-touch-acs-credentials takes true or false/,
    );
    assert.throws(() => parseServeConfig(['--zero-touch-acs-credentials'], {}), /argument missing/);
    // Off-by-default switches without a value stay bare flags.
    assert.equal(parseServeConfig(['--accept-any-cpe'], {}).acceptAnyCpe, true);
  });

  it('is in the usage text, in the table’s columns', () => {
    const usage = serveUsage();
    const line = usage.split('\n').find((l) => l.includes('--zero-touch-acs-credentials'));
    assert.ok(line);
    assert.match(
      line,
      /CORRAL_ZERO_TOUCH_ACS_CREDENTIALS +zero-touch also moves .* \(default: false\)$/,
    );
    const column = (l: string) => l.indexOf('CORRAL_');
    const rows = usage.split('\n').filter((l) => l.startsWith('  --'));
    assert.ok(rows.length > 5);
    assert.ok(
      rows.every((l) => column(l) === column(line)),
      'every row lines up',
    );
  });
});

describe('the newer settings', () => {
  it('--sqlite-synchronous is full by default, takes normal, and refuses anything else', () => {
    assert.equal(parseServeConfig([], {}).sqliteSynchronous, 'full');
    assert.equal(
      parseServeConfig([], { CORRAL_SQLITE_SYNCHRONOUS: 'normal' }).sqliteSynchronous,
      'normal',
    );
    assert.throws(
      () => parseServeConfig(['--sqlite-synchronous', 'off'], {}),
      /--sqlite-synchronous is full or normal/,
    );
  });

  it('--informs-per-address and the file server’s settings', () => {
    const c = parseServeConfig(
      [
        '--informs-per-address',
        '5',
        '--file-port',
        '0',
        '--file-public-url',
        'https://acs.example.net:7567',
      ],
      {},
    );
    assert.deepEqual(
      [c.informsPerAddress, c.filePort, c.filePublicUrl],
      [5, 0, 'https://acs.example.net:7567'],
    );
    assert.throws(() => parseServeConfig(['--informs-per-address', '0'], {}), /at least 1/);
    assert.throws(
      () => parseServeConfig(['--file-public-url', 'https://acs.example.net/files'], {}),
      /no path/,
    );
    assert.throws(() => parseServeConfig(['--file-port', '70000'], {}), /no port/);
  });
});
