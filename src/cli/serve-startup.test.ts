import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TYPES_XML, vendorXml } from '../datamodel/bbf/vendor-xml.fixture.ts';

// Start-up as a user meets it: real `corral serve` processes, their exit codes and exactly what they print.

const entry = fileURLToPath(new URL('./corral.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'corral-startup-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const ADMIN_KEY = 'a-long-enough-admin-key-for-tests';
const FREE_PORTS = ['--cwmp-port', '0', '--api-port', '0', '--file-port', '0'];
const LOOPBACK = ['--cwmp-host', '127.0.0.1', '--file-host', '127.0.0.1'];

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function serve(args: string[], env: Record<string, string | undefined> = {}): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CORRAL_API_KEY: ADMIN_KEY, ...env };
  for (const [name, value] of Object.entries(childEnv))
    if (value === undefined) delete childEnv[name];
  // STUN on 3478 by default: these runs share the machine, so none takes it unless a test asks.
  if (!args.includes('--stun-port')) args = [...args, '--stun-port', '0'];
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function ready(run: Run): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (!/REST API listening on (\S+)/.test(run.stderr())) {
    if (Date.now() > deadline || run.child.exitCode !== null)
      throw new Error(`corral serve did not start:\n${run.stdout()}${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return /REST API listening on (\S+)/.exec(run.stderr())![1]!;
}

async function stop(run: Run): Promise<void> {
  run.child.kill('SIGTERM');
  assert.equal(await run.exit, 0);
}

/** A failed start: exit 2, nothing on stdout (no log line: nothing was opened), no stack trace. */
async function refused(run: Run): Promise<string[]> {
  assert.equal(await run.exit, 2, run.stderr());
  const lines = run.stderr().trimEnd().split('\n');
  assert.ok(!/^\s+at /m.test(run.stderr()), `no stack trace:\n${run.stderr()}`);
  return lines;
}

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('corral serve: one process per data directory', () => {
  it('refuses a second process on the same data directory in one line (exit 2), and a kill -9 leaves no stale lock', async () => {
    const dataDir = join(dir, 'locked');
    const first = serve(['--data-dir', dataDir, ...FREE_PORTS, ...LOOPBACK]);
    await ready(first);

    const second = serve(['--data-dir', dataDir, ...FREE_PORTS, ...LOOPBACK]);
    const lines = await refused(second);
    assert.equal(lines.length, 1, second.stderr());
    assert.match(
      lines[0]!,
      /^corral serve: the data directory .*locked.* is in use by another corral serve/,
    );
    assert.equal(second.stdout(), '');

    first.child.kill('SIGKILL');
    await first.exit;
    const third = serve(['--data-dir', dataDir, ...FREE_PORTS, ...LOOPBACK]);
    await ready(third);
    await stop(third);
  });
});

describe('corral serve: start-up errors', () => {
  it('reports every configuration mistake in one line each, exit 2, before opening any port', async () => {
    const notADir = join(dir, 'a-file');
    writeFileSync(notADir, '');
    const run = serve(
      [
        '--data-dir',
        join(notADir, 'data'),
        '--tls-cert',
        join(dir, 'missing-cert.pem'),
        '--tls-key',
        join(dir, 'missing-key.pem'),
        ...FREE_PORTS,
        ...LOOPBACK,
      ],
      { CORRAL_API_KEY: 'short', CORRAL_METRICS_TOKEN: 'tiny' },
    );
    const lines = await refused(run);
    assert.equal(run.stdout(), '', 'nothing was logged: nothing started');
    assert.deepEqual(
      lines.map((l) => l.replace(/ \S*(missing-cert|missing-key|a-file\/data)[^\s:]*/, ' <$1>')),
      [
        'corral serve: CORRAL_API_KEY is 5 characters; an admin key is at least 16 (e.g. openssl rand -hex 24)',
        'corral serve: CORRAL_METRICS_TOKEN is 4 characters; a metrics token is at least 16 (e.g. openssl rand -hex 24)',
        'corral serve: cannot read --tls-cert <missing-cert>: no such file or directory',
        'corral serve: cannot read --tls-key <missing-key>: no such file or directory',
        'corral serve: cannot write to the data directory <a-file/data> (--data-dir): not a directory',
      ],
    );
  });

  it('refuses TLS files that are not PEM, and the same port for two listeners', async () => {
    const cert = join(dir, 'cert.pem');
    writeFileSync(cert, 'not a certificate');
    const run = serve([
      '--data-dir',
      join(dir, 'tls'),
      '--tls-cert',
      cert,
      '--tls-key',
      cert,
      '--cwmp-port',
      '7999',
      '--api-port',
      '7999',
      '--file-port',
      '0',
    ]);
    const lines = await refused(run);
    assert.deepEqual(lines, [
      'corral serve: --cwmp-port and --api-port are both 7999',
      `corral serve: --tls-cert ${cert} is not a PEM certificate`,
      `corral serve: --tls-key ${cert} is not a PEM private key (or it is encrypted)`,
    ]);
  });

  it('says which port is in use (exit 2), and a first run that failed shows its admin key when a start succeeds', async () => {
    const dataDir = join(dir, 'first-run');
    const { port, server } = await occupiedPort();
    try {
      // The API is the last listener to open: the CWMP endpoint and the file server were up, and are closed.
      const run = serve(
        ['--data-dir', dataDir, ...FREE_PORTS, ...LOOPBACK, '--api-port', String(port)],
        { CORRAL_API_KEY: undefined },
      );
      const lines = await refused(run);
      assert.deepEqual(lines, [
        `corral serve: the REST API port ${port} on 127.0.0.1 is in use (--api-port)`,
      ]);
      assert.doesNotMatch(run.stdout() + run.stderr(), /corral_[0-9a-f]{16}_/, 'no key shown');

      const cwmp = serve(
        ['--data-dir', dataDir, ...FREE_PORTS, ...LOOPBACK, '--cwmp-port', String(port)],
        { CORRAL_API_KEY: undefined },
      );
      assert.deepEqual(await refused(cwmp), [
        `corral serve: the CWMP port ${port} on 127.0.0.1 is in use (--cwmp-port)`,
      ]);
    } finally {
      server.close();
    }
    // The next start that succeeds is the first run: it makes the admin key and shows it, on stderr.
    const run = serve(['--data-dir', dataDir, ...FREE_PORTS, ...LOOPBACK], {
      CORRAL_API_KEY: undefined,
    });
    const api = await ready(run);
    const key = /Admin API key \(shown once; keep it safe\):\n {2}(corral_[0-9a-f]{16}_\S+)/.exec(
      run.stderr(),
    )?.[1];
    assert.ok(key, run.stderr());
    assert.ok(!run.stdout().includes(key), 'the key is not in the log stream');
    const res = await fetch(`${api}/api/v1/devices`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200);
    await stop(run);
    assert.ok(!readdirSync(dataDir).some((f) => f.startsWith('.write-test')));
  });

  it('names an unknown option in one line, then the usage (exit 2)', async () => {
    const run = serve(['--cwmp-prot', '1']);
    assert.equal(await run.exit, 2);
    const [first, second, third] = run.stderr().split('\n');
    assert.equal(first, 'corral serve: unknown option --cwmp-prot');
    assert.equal(second, '');
    assert.match(third!, /^Usage: corral serve/);
  });
});

describe('corral serve: logs', () => {
  it('writes JSON lines with a level on stdout (--log-format json), or readable lines (--log-format text)', async () => {
    const json = serve([
      '--data-dir',
      join(dir, 'logs'),
      ...FREE_PORTS,
      '--cwmp-host',
      '127.0.0.1',
      '--log-format',
      'json',
      '--accept-any-cpe',
    ]);
    await ready(json);
    await stop(json);
    const records = json
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; event: string });
    assert.ok(records.length > 3);
    assert.ok(records.every((r) => ['info', 'warn', 'error'].includes(r.level)));
    const level = (event: string) => records.find((r) => r.event === event)?.level;
    assert.equal(level('WARNING-accept-any-cpe'), 'warn');
    assert.equal(level('WARNING-file-public-url'), 'warn', 'the file server is on 0.0.0.0');
    assert.equal(level('listening'), 'info');

    const text = serve([
      '--data-dir',
      join(dir, 'logs'),
      ...FREE_PORTS,
      ...LOOPBACK,
      '--log-format',
      'text',
    ]);
    await ready(text);
    await stop(text);
    assert.match(
      text.stdout(),
      /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}listening service=files url=http:\/\/127\.0\.0\.1:\d+ port=\d+$/m,
    );
    assert.ok(!text.stdout().includes('{"'), text.stdout());
  });
});

describe('corral serve: --datamodel', () => {
  it('checks and describes against a vendor model over the standard one; a bad file is one line (exit 2)', async () => {
    const vendor = join(dir, 'acme-device.xml');
    writeFileSync(vendor, vendorXml());
    writeFileSync(join(dir, 'tr-106-types.xml'), TYPES_XML);
    const run = serve([
      '--data-dir',
      join(dir, 'dm'),
      '--datamodel',
      vendor,
      ...FREE_PORTS,
      ...LOOPBACK,
    ]);
    const api = await ready(run);
    const definition = async (path: string) => {
      const reply = await fetch(
        `${api}/api/v1/datamodel/definition?path=${encodeURIComponent(path)}`,
        {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        },
      );
      return {
        status: reply.status,
        json: (await reply.json()) as {
          definition: { parameter: { syntax: { ranges: unknown } } };
        },
      };
    };
    const vlan = await definition('Device.IP.Interface.1.X_ACME_Vlan');
    assert.equal(vlan.status, 200, JSON.stringify(vlan.json));
    assert.deepEqual(vlan.json.definition.parameter.syntax.ranges, [{ min: 1, max: 4094 }]);
    // What the vendor file leaves out, the shipped definitions answer.
    assert.equal((await definition('Device.WiFi.SSID.1.SSID')).status, 200);
    await stop(run);

    const broken = join(dir, 'broken.xml');
    writeFileSync(broken, '<dm:document><model name="Device:2.17">');
    const bad = serve([
      '--data-dir',
      join(dir, 'dm-bad'),
      '--datamodel',
      broken,
      ...FREE_PORTS,
      ...LOOPBACK,
    ]);
    const lines = await refused(bad);
    assert.equal(lines.length, 1, bad.stderr());
    assert.match(lines[0]!, /^corral serve: --datamodel \S*broken\.xml: /);
  });
});
