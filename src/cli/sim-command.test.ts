import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type RunningAcs, startAcs } from '../acs/acs.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { simCommand } from './sim-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-sim-'));
let store: SqliteStore;
let acs: RunningAcs;

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  acs = await startAcs({
    store,
    authenticate: async () => ({ ok: true }),
    host: '127.0.0.1',
    port: 0,
    maxSessions: 1000,
    sessionTimeoutMs: 30_000,
    bodyLimits: { maxBytes: 1 << 20, maxDecodedBytes: 4 << 20 },
    admission: false,
    log: () => {},
  });
});

after(async () => {
  await acs.close(200);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  const code = await simCommand(args, { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

describe('corral sim', { timeout: 30_000 }, () => {
  it('runs N devices against the ACS and prints the JSON summary with exactly the agreed keys', async () => {
    const r = await sim([
      '--devices',
      '20',
      '--acs',
      acs.url,
      '--serial-prefix',
      'SIM',
      '--rate',
      '200',
      '--duration',
      '1.5',
      '--interval',
      '1',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const json = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(json), [
      'devices',
      'sessionsCompleted',
      'sessionsFailed',
      'p50Ms',
      'p99Ms',
      'rssBytes',
    ]);
    assert.equal(json.devices, 20);
    assert.ok(json.sessionsCompleted >= 20, String(json.sessionsCompleted));
    assert.equal(json.sessionsFailed, 0);
    assert.ok(json.p50Ms > 0 && json.p99Ms >= json.p50Ms);
    assert.ok(json.rssBytes > 0);
    assert.match(r.stderr, /sessions: \d+ completed, 0 failed/);
    const serials = (await store.devices.list({ limit: 100 })).map((d) => d.serialNumber);
    assert.equal(serials.filter((s) => s?.startsWith('SIM')).length, 20);
  });

  it('exits 3 when the ACS cannot be reached at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await sim([
      '--devices',
      '2',
      '--acs',
      `http://127.0.0.1:${port}/`,
      '--duration',
      '0.3',
      '--json',
    ]);
    assert.equal(r.code, 3);
    const json = JSON.parse(r.stdout);
    assert.equal(json.sessionsCompleted, 0);
    assert.equal(json.sessionsFailed, 2);
    assert.match(r.stderr, /errors: connect 2/);
  });

  it('refuses bad arguments in one line with the usage (exit 2)', async () => {
    for (const args of [
      ['--devices', '5'],
      ['--devices', '0', '--acs', 'http://127.0.0.1:1/'],
      ['--devices', '1', '--acs', 'ftp://x/'],
      ['--devices', '1', '--acs', 'http://127.0.0.1:1/', '--profile', 'nope'],
      ['--devices', '1', '--acs', 'http://127.0.0.1:1/', '--quirk', 'weird'],
      ['--bogus'],
    ]) {
      const r = await sim(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^corral sim: [^\n]+\n\nusage: corral sim/);
    }
    assert.match((await sim(['--bogus'])).stderr, /^corral sim: unknown option --bogus\n/);
  });

  it('takes --json as --json, --json true|false and --no-json, and prints its help (exit 0)', async () => {
    const run = (json: string[]) =>
      sim(['--devices', '1', '--acs', acs.url, '--rate', '100', '--duration', '0.3', ...json]);
    assert.match((await run(['--json', 'true'])).stdout, /"sessionsCompleted"/);
    assert.equal((await run(['--json', 'false'])).stdout, '');
    assert.equal((await run(['--no-json'])).stdout, '');
    const help = await sim(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: corral sim/);
  });
});
