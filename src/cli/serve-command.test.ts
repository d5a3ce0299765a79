import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ScriptedCpe } from '../acs/testing/scripted-cpe.ts';
import { parseServeConfig } from './serve-config.ts';
import { startServeChild } from './testing/serve-child.ts';

const entry = fileURLToPath(new URL('./corral.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'corral-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Start `corral serve` and read the addresses it prints. */
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function serve(args: string[], env: Record<string, string> = {}) {
  return startServeChild(args, env, children);
}

/** One `corral` command to its end. */
function runCli(
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('corral serve', () => {
  it('starts the ACS and the API, prints the admin key once, serves a CPE, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'first');
    const run = await serve([
      '--data-dir',
      dataDir,
      '--cwmp-port',
      '0',
      '--api-port',
      '0',
      '--file-port',
      '0',
      '--accept-any-cpe',
    ]);
    const key = /(corral_[0-9a-f]{16}_[A-Za-z0-9_-]{43})/.exec(run.output())?.[1];
    assert.ok(key, 'the admin key is printed on the first run');
    assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);
    assert.match(run.output(), /accept-any-cpe/);

    // Zero-touch (on by default) answers the BOOTSTRAP with its SetParameterValues.
    const cpe = new ScriptedCpe(`http://127.0.0.1:${run.cwmpPort}/`, { serialNumber: 'serve-1' });
    try {
      assert.equal((await cpe.inform(['0 BOOTSTRAP'])).status, 200);
      const zeroTouch = await cpe.emptyPost();
      assert.equal(zeroTouch.envelope?.body.method, 'SetParameterValues');
      const done = await cpe.answer(zeroTouch, { method: 'SetParameterValuesResponse', Status: 0 });
      assert.equal(done.status, 204);
    } finally {
      cpe.close();
    }

    // The console's first user: admin, with a password printed once, that logs in.
    const password = /as admin with this password[^\n]*\n {2}(\S+)/.exec(run.output())?.[1];
    assert.ok(password, 'the console password is printed on the first run');
    assert.match(run.output(), new RegExp(`Console at ${run.apiUrl}/`));
    const login = await fetch(`${run.apiUrl}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    assert.equal(login.status, 200);
    assert.ok(
      !run
        .output()
        .split('\n')
        .some((line) => line.startsWith('{') && line.includes(password)),
      'the password is never logged',
    );

    const list = await fetch(`${run.apiUrl}/api/v1/devices`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    assert.equal(list.status, 200);
    assert.match(await list.text(), /serve-1/);
    assert.equal((await fetch(`${run.apiUrl}/api/v1/devices`)).status, 401);

    // Health for load balancers without a key; the metrics with one, counting the session just run.
    assert.deepEqual(await (await fetch(`${run.apiUrl}/health`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${run.apiUrl}/ready`)).json(), { status: 'ready' });
    assert.equal((await fetch(`${run.apiUrl}/metrics`)).status, 401);
    const metrics = await fetch(`${run.apiUrl}/metrics`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    assert.equal(metrics.status, 200);
    const exposition = await metrics.text();
    assert.match(exposition, /^corral_cwmp_sessions_completed_total 1$/m);
    assert.match(exposition, /^corral_cwmp_rpcs_sent_total\{method="SetParameterValues"\} 1$/m);
    assert.match(exposition, /^corral_cwmp_admission_session_limit \d+$/m);
    assert.match(exposition, /^corral_cwmp_admission_waiting 0$/m);
    assert.match(exposition, /^process_resident_memory_bytes \d+$/m);

    const exit = stopped(run.child);
    run.child.kill('SIGTERM');
    assert.equal(await exit, 0);
    assert.match(run.output(), /"event":"stopped"/);
    // The key is never logged as part of a JSON line.
    assert.ok(
      !run
        .output()
        .split('\n')
        .some((line) => line.startsWith('{') && line.includes(key)),
    );

    const again = await serve([
      '--data-dir',
      dataDir,
      '--cwmp-port',
      '0',
      '--api-port',
      '0',
      '--file-port',
      '0',
    ]);
    assert.doesNotMatch(again.output(), /corral_[0-9a-f]{16}_/, 'no new key on later runs');
    assert.doesNotMatch(again.output(), /as admin with this password/, 'nor a new password');
    const exit2 = stopped(again.child);
    again.child.kill('SIGTERM');
    assert.equal(await exit2, 0);

    // Started with another key than the one its secrets (the CPE's connection-request credentials, set by
    // zero-touch above, kept as a secret parameter value too) were sealed with: refused in one line, before any port opens.
    const otherKey = 'cd'.repeat(32);
    const refused = await runCli(
      ['serve', '--data-dir', dataDir, '--cwmp-port', '0', '--api-port', '0', '--file-port', '0'],
      undefined,
      { CORRAL_SECRET_KEY: otherKey },
    );
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /the secret key does not open the database's secrets \(a secret parameter value\)/,
    );
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(refused.stderr + refused.stdout, new RegExp(otherKey));
  });

  it('corral user adds, lists, re-passwords and removes console users, in one line when refused', async () => {
    const dataDir = join(dir, 'users');
    const run = await serve(
      ['--data-dir', dataDir, '--cwmp-port', '0', '--api-port', '0', '--file-port', '0'],
      { CORRAL_ADMIN_PASSWORD: 'the admin password from env' },
    );
    assert.match(run.output(), /admin created with the password in CORRAL_ADMIN_PASSWORD/);
    const user = (args: string[], input?: string) =>
      runCli(['user', ...args, '--data-dir', dataDir], input);
    const added = await user(['add', 'noc-1', '--role', 'read-only']);
    assert.equal(added.code, 0, added.stderr);
    const generated = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1] ?? '';
    assert.equal(generated.length, 24);
    const login = (username: string, password: string) =>
      fetch(`${run.apiUrl}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    // corral user works on the live installation: the running server sees the new user at once.
    assert.equal((await login('noc-1', generated)).status, 200);
    assert.equal(
      (await user(['passwd', 'noc-1', '--password-stdin'], 'typed in a pipe 123\n')).code,
      0,
    );
    assert.equal((await login('noc-1', generated)).status, 401);
    assert.equal((await login('noc-1', 'typed in a pipe 123')).status, 200);
    const listed = await user(['list']);
    assert.match(listed.stdout, /^admin\tadmin\tlast login never$/m);
    assert.match(listed.stdout, /^noc-1\tread-only\tlast login \d{4}-/m);
    const last = await user(['remove', 'admin']);
    assert.equal(last.code, 1);
    assert.equal(last.stderr, 'corral user: admin is the last admin user\n');
    assert.equal((await user(['add', 'x', '--role', 'root'])).code, 2);
    assert.equal((await user(['remove', 'noc-1'])).code, 0);
    const nowhere = await runCli(['user', 'list', '--data-dir', join(dir, 'nothing-here')]);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /^corral user: no Corral data in /);
    const exit = stopped(run.child);
    run.child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });

  it('runs its STUN server on --stun-port, answers a Binding Request there, and still stops on SIGTERM', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const stunPort = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const run = await serve([
      '--data-dir',
      join(dir, 'stun'),
      '--cwmp-port',
      '0',
      '--api-port',
      '0',
      '--file-port',
      '0',
      '--stun-host',
      '127.0.0.1',
      '--stun-port',
      String(stunPort),
    ]);
    assert.match(
      run.output(),
      new RegExp(`STUN server listening on 127\\.0\\.0\\.1:${stunPort} \\(udp\\)`),
    );
    const client = createSocket('udp4');
    const answered = new Promise<Buffer>((resolve) => client.once('message', resolve));
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0);
    request.writeUInt32BE(0x2112a442, 4);
    client.send(request, stunPort, '127.0.0.1');
    const answer = await answered;
    client.close();
    assert.equal(answer.readUInt16BE(0), 0x0101, 'a Binding Success');
    const exit = stopped(run.child);
    run.child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });

  it('takes CORRAL_API_KEY as the admin key, and creates none of its own', async () => {
    const adminKey = 'an-operator-chosen-admin-key-1234';
    const run = await serve(
      ['--data-dir', join(dir, 'env'), '--cwmp-port', '0', '--api-port', '0', '--file-port', '0'],
      {
        CORRAL_API_KEY: adminKey,
      },
    );
    assert.doesNotMatch(run.output(), /Admin API key/);
    const res = await fetch(`${run.apiUrl}/api/v1/devices`, {
      headers: { Authorization: `Bearer ${adminKey}` },
    });
    assert.equal(res.status, 200);
    const exit = stopped(run.child);
    run.child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
  it('says why a connection request failed, with its detail, in the API result and the log', async () => {
    // The device's connection-request address takes the connection and closes it without a word.
    const rude = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const crPort = (rude.address() as AddressInfo).port;
    const adminKey = 'an-operator-chosen-admin-key-5678';
    const run = await serve(
      [
        '--data-dir',
        join(dir, 'connection-request'),
        '--cwmp-port',
        '0',
        '--api-port',
        '0',
        '--file-port',
        '0',
        '--accept-any-cpe',
        '--no-zero-touch',
      ],
      { CORRAL_API_KEY: adminKey },
    );
    const cpe = new ScriptedCpe(`http://127.0.0.1:${run.cwmpPort}/`, { serialNumber: 'serve-cr' });
    try {
      const url = `http://127.0.0.1:${crPort}/cr`;
      const informed = await cpe.inform(
        ['1 BOOT'],
        [{ name: 'Device.ManagementServer.ConnectionRequestURL', value: url, type: 'string' }],
      );
      assert.equal(informed.status, 200);
      assert.equal((await cpe.emptyPost()).status, 204);
      const res = await fetch(
        `${run.apiUrl}/api/v1/devices/${encodeURIComponent(cpe.deviceId)}/tasks?connectionRequest=true`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'reboot' }),
        },
      );
      const body = (await res.json()) as {
        connectionRequest?: { ok: boolean; reason?: string; detail?: string };
      };
      assert.equal(res.status, 202, JSON.stringify(body));
      assert.equal(body.connectionRequest?.ok, false);
      assert.equal(body.connectionRequest?.reason, 'reset');
      assert.match(
        body.connectionRequest?.detail ?? '',
        /closed the connection on the first request/,
      );
      // The same failure in the log, with the device and the detail (the line may still be in the pipe).
      const deadline = Date.now() + 5000;
      while (!run.output().includes('"connection-request-failed"') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const logged = run
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.event === 'connection-request-failed');
      assert.equal(logged?.deviceId, cpe.deviceId);
      assert.equal(logged?.reason, 'reset');
      assert.equal(logged?.detail, body.connectionRequest?.detail);
    } finally {
      cpe.close();
      rude.close();
    }
    const exit = stopped(run.child);
    run.child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
});

describe('serve configuration', () => {
  it('takes flags over the environment over the defaults, and refuses bad values with the flag named', () => {
    const config = parseServeConfig(['--cwmp-port', '8000'], {
      CORRAL_CWMP_PORT: '9000',
      CORRAL_API_PORT: '9001',
    });
    assert.equal(config.cwmpPort, 8000);
    assert.equal(config.apiPort, 9001);
    assert.equal(config.apiHost, '127.0.0.1');
    assert.throws(() => parseServeConfig(['--cwmp-port', 'x'], {}), /--cwmp-port/);
    assert.throws(() => parseServeConfig(['--tls-cert', 'a.pem'], {}), /go together/);
    assert.throws(() => parseServeConfig(['--accept-any-cpe', '--bogus'], {}), /bogus/);
    assert.equal(parseServeConfig([], {}).zeroTouch, true);
    assert.equal(parseServeConfig(['--zero-touch', 'false'], {}).zeroTouch, false);
    assert.equal(parseServeConfig([], { CORRAL_ZERO_TOUCH: '0' }).zeroTouch, false);
    assert.equal(parseServeConfig(['--accept-any-cpe'], {}).acceptAnyCpe, true);
  });
});
