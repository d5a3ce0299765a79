import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type RunningAcs, startAcs } from '../../src/acs/acs.ts';
import { createConnectionRequester } from '../../src/acs/connection-request/connection-requester.ts';
import { createHttpConnectionRequester } from '../../src/acs/connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../../src/acs/connection-request/rate-limit.ts';
import { createUdpConnectionRequester } from '../../src/acs/connection-request/udp-connection-request.ts';
import { recordStunBindings } from '../../src/acs/stun/binding-record.ts';
import { stunCredentialsOf } from '../../src/acs/stun/stun-credentials.ts';
import { type RunningStunServer, startStunServer } from '../../src/acs/stun/stun-server.ts';
import { testAcsOptions } from '../../src/acs/testing/acs-options.ts';
import { ChangeFeed, withChangeFeed } from '../../src/store/change-feed.ts';
import { encodeDeviceId } from '../../src/store/device-id.ts';
import { Secret } from '../../src/store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createNat, type Nat, natUnavailable } from './netns.ts';

const missing = natUnavailable();
if (missing !== null && process.env.CI === 'true') {
  throw new Error(`the NAT tests cannot run in CI: ${missing}`);
}
if (missing !== null) process.stderr.write(`skipping the NAT tests: ${missing}\n`);

const CORRAL = fileURLToPath(new URL('../../src/cli/corral.ts', import.meta.url));
const SERIALS = ['NAT00000001', 'NAT00000002'];
const idOf = (serial: string) =>
  encodeDeviceId({ oui: '02C0A1', productClass: 'HG2100', serialNumber: serial });

describe('connection requests through a real NAT (network namespaces, MASQUERADE)', {
  skip: missing ?? false,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-nat-'));
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const log = (event: string, fields: Record<string, unknown>) => logs.push({ event, fields });
  let nat: Nat;
  let store: SqliteStore;
  let acs: RunningAcs;
  let stun: RunningStunServer;
  let sim: ChildProcess;
  let simOutput = '';
  let requester: ReturnType<typeof createConnectionRequester>;

  before(async () => {
    nat = createNat();
    store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
    const changes = new ChangeFeed();
    const fed = withChangeFeed(store, changes);
    acs = await startAcs(testAcsOptions(fed, { host: nat.wanAddress }));
    stun = await startStunServer({
      host: nat.wanAddress,
      port: 0,
      credentials: stunCredentialsOf(store),
      requireCredentials: true,
      onBinding: recordStunBindings(fed, log),
      log,
    });
    for (const serial of SERIALS) {
      await store.credentials.setCpe(idOf(serial), {
        username: `02C0A1-HG2100-${serial}`,
        password: new Secret('corral-acs-secret'),
      });
      await store.credentials.setConnectionRequest(idOf(serial), {
        username: `cr-${serial}`,
        password: new Secret('corral-cr-secret'),
      });
    }
    requester = createConnectionRequester({
      paths: [
        { path: 'http', send: createHttpConnectionRequester({ store: fed, timeoutMs: 2000 }) },
        {
          path: 'udp',
          send: createUdpConnectionRequester({ store: fed, stun, changes, timeoutMs: 10_000 }),
        },
      ],
      limiter: new ConnectionRequestLimiter(0, 1000, Date.now),
      log,
    });
    sim = spawn(
      nat.lanExec[0]!,
      [
        ...nat.lanExec.slice(1),
        process.execPath,
        '--import',
        'tsx',
        CORRAL,
        'sim',
        '--devices',
        String(SERIALS.length),
        '--serial-prefix',
        'NAT',
        '--acs',
        acs.url,
        '--connection-request',
        `${nat.lanAddress}:0`,
        '--udp-host',
        '0.0.0.0',
        '--stun',
        '--stun-server',
        `${nat.wanAddress}:${stun.port}`,
        '--stun-keepalive',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    sim.stdout?.on('data', (d: Buffer) => {
      simOutput += d.toString();
    });
    sim.stderr?.on('data', (d: Buffer) => {
      simOutput += d.toString();
    });
  });

  after(async () => {
    if (sim !== undefined && sim.exitCode === null) {
      const exited = new Promise((resolve) => sim.once('exit', resolve));
      sim.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (sim.exitCode === null) sim.kill('SIGKILL');
    }
    await stun?.close();
    await acs?.close(0);
    await store?.close();
    nat?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(what: string, test: () => Promise<boolean> | boolean, ms = 20_000) {
    const deadline = Date.now() + ms;
    while (!(await test())) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; the simulator said:\n${simOutput}\nthe STUN server said:\n${logs
            .filter((l) => l.event.startsWith('stun'))
            .map((l) => `${l.event} ${JSON.stringify(l.fields)}`)
            .join('\n')}\nthe router tracks:\n${nat.connections()}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('sees each device behind the router’s address, from its STUN binding', async () => {
    for (const serial of SERIALS) {
      await until(`${serial}'s binding`, () => stun.binding(idOf(serial)) !== undefined);
      assert.equal(stun.binding(idOf(serial))?.address, nat.routerWanAddress);
    }
    // The devices' own view: behind a NAT, and their public address what the server saw.
    await until(
      'the devices’ Informs',
      async () => (await store.devices.count()) === SERIALS.length,
    );
  });

  it('an HTTP connection request cannot reach a device behind the NAT; the UDP one through STUN does', async () => {
    const id = idOf(SERIALS[0]!);
    const result = await requester(id);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.path, 'udp');
    assert.equal(result.tried[0]?.path, 'http');
    assert.equal(result.tried[0]?.ok, false);
    assert.match(String(result.tried[0]?.reason), /unreachable|timeout|refused/);
    // A UDP request has no answer: the requester is done once it is sent, and the device calls in after.
    await until('the session with 6 CONNECTION REQUEST', async () =>
      (await store.devices.events(id)).some((e) => e.code === '6 CONNECTION REQUEST'),
    );
  });

  it('after the NAT’s mapping changes, the device’s binding change is noticed and the next request arrives', async () => {
    const id = idOf(SERIALS[1]!);
    const before = stun.binding(id)!;
    // Below Linux's ephemeral range (32768–60999): a device's own port can never already be a port of the new
    // range, which would leave its mapping as it was.
    nat.remap(20_000);
    await until('the new mapping', () => {
      const now = stun.binding(id);
      return (
        now !== undefined && now.port !== before.port && now.port >= 20_000 && now.port < 21_000
      );
    });
    // The device says BINDING-CHANGE on the request after the one that showed it the new mapping.
    await until('the device’s BINDING-CHANGE', () =>
      logs.some(
        (l) =>
          l.event === 'stun-binding' && l.fields.deviceId === id && l.fields.bindingChange === true,
      ),
    );
    await until('the parameter', async () => {
      const p = await store.parameters.get(
        id,
        'Device.ManagementServer.UDPConnectionRequestAddress',
      );
      return p?.value === `${nat.routerWanAddress}:${stun.binding(id)!.port}`;
    });
    const result = await requester(id);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.path, 'udp');
  });
});
