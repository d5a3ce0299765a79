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
    assert.throws(
      () => parseServeConfig(['--zero-touch-acs-credentials=maybe'], {}),
      /--zero-touch-acs-credentials takes true or false/,
    );
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

  it('--sqlite-group-commit-ms is 2 by default, 0 turns grouping off, past 1000 is refused', () => {
    assert.equal(parseServeConfig([], {}).sqliteGroupCommitMs, 2);
    assert.equal(parseServeConfig(['--sqlite-group-commit-ms', '0'], {}).sqliteGroupCommitMs, 0);
    assert.throws(
      () => parseServeConfig(['--sqlite-group-commit-ms', '5000'], {}),
      /--sqlite-group-commit-ms is from 0 to 1000/,
    );
  });

  it('--workers is 1 by default; more needs a PostgreSQL store; 0 is refused', () => {
    assert.equal(parseServeConfig([], {}).workers, 1);
    const pg = { CORRAL_STORE: 'postgres://corral@db.example.net/corral' };
    assert.equal(parseServeConfig(['--workers', '4'], pg).workers, 4);
    assert.equal(parseServeConfig([], { ...pg, CORRAL_WORKERS: '2' }).workers, 2);
    assert.throws(
      () => parseServeConfig(['--workers', '2'], {}),
      /--workers above 1 needs --store postgres:\/\/… \(a SQLite database is written by one process\)/,
    );
    assert.throws(
      () => parseServeConfig(['--workers', '2', '--store', 'sqlite:./data'], {}),
      /needs --store postgres/,
    );
    assert.throws(() => parseServeConfig(['--workers', '0'], pg), /--workers is at least 1/);
  });

  it('--trace-sessions is all by default, takes rpc or off, and refuses anything else', () => {
    assert.equal(parseServeConfig([], {}).traceSessions, 'all');
    assert.equal(parseServeConfig([], { CORRAL_TRACE_SESSIONS: 'rpc' }).traceSessions, 'rpc');
    assert.throws(
      () => parseServeConfig(['--trace-sessions', 'some'], {}),
      /--trace-sessions is all, rpc or off/,
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

describe('switches and the config file', () => {
  it('takes every switch as --flag, --flag true|false and --no-flag', () => {
    for (const [flag, key] of [
      ['accept-any-cpe', 'acceptAnyCpe'],
      ['zero-touch', 'zeroTouch'],
      ['zero-touch-acs-credentials', 'zeroTouchAcsCredentials'],
    ] as const) {
      assert.equal(parseServeConfig([`--${flag}`], {})[key], true, `--${flag}`);
      assert.equal(parseServeConfig([`--${flag}`, 'true'], {})[key], true, `--${flag} true`);
      assert.equal(parseServeConfig([`--${flag}`, 'false'], {})[key], false, `--${flag} false`);
      assert.equal(parseServeConfig([`--no-${flag}`], {})[key], false, `--no-${flag}`);
      // --no-flag wins over an environment that turns it on.
      const env = { [`CORRAL_${flag.toUpperCase().replaceAll('-', '_')}`]: 'true' };
      assert.equal(parseServeConfig([`--no-${flag}`], env)[key], false);
    }
    assert.equal(parseServeConfig(['--accept-any-cpe', '--cwmp-port', '1'], {}).cwmpPort, 1);
  });

  it('takes config-file keys named as the flags, and the older camelCase ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-config-'));
    const file = join(dir, 'corral.json');
    const load = (settings: object) => {
      writeFileSync(file, JSON.stringify(settings));
      return parseServeConfig(['--config', file], {});
    };
    try {
      const c = load({
        'cwmp-port': 8547,
        'accept-any-cpe': true,
        'zero-touch': false,
        'log-format': 'text',
        'file-public-url': null,
      });
      assert.deepEqual(
        [c.cwmpPort, c.acceptAnyCpe, c.zeroTouch, c.logFormat, c.filePublicUrl],
        [8547, true, false, 'text', null],
      );
      assert.equal(load({ cwmpPort: 9547 }).cwmpPort, 9547);
      assert.throws(() => load({ 'cwmp-port': 1, cwmpPort: 2 }), /"cwmp-port" is set twice/);
      assert.throws(() => load({ 'cwmp-prot': 1 }), /unknown setting "cwmp-prot"/);
      // The flag still wins over the file.
      writeFileSync(file, JSON.stringify({ 'cwmp-port': 8547 }));
      assert.equal(parseServeConfig(['--config', file, '--cwmp-port', '1'], {}).cwmpPort, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--log-format is auto by default and takes json or text', () => {
    assert.equal(parseServeConfig([], {}).logFormat, 'auto');
    assert.equal(parseServeConfig(['--log-format', 'json'], {}).logFormat, 'json');
    assert.equal(parseServeConfig([], { CORRAL_LOG_FORMAT: 'text' }).logFormat, 'text');
    assert.throws(() => parseServeConfig(['--log-format', 'xml'], {}), /auto, json or text/);
  });

  it('names an unknown option in one line', () => {
    assert.throws(
      () => parseServeConfig(['--cwmp-prot', '1'], {}),
      (error: Error) => error.message === 'unknown option --cwmp-prot',
    );
  });
});
