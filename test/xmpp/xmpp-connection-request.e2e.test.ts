import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningAcs, startAcs } from '../../src/acs/acs.ts';
import { createConnectionRequester } from '../../src/acs/connection-request/connection-requester.ts';
import { createHttpConnectionRequester } from '../../src/acs/connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../../src/acs/connection-request/rate-limit.ts';
import { createXmppConnectionRequester } from '../../src/acs/connection-request/xmpp-connection-request.ts';
import { testAcsOptions } from '../../src/acs/testing/acs-options.ts';
import { XmppConnector } from '../../src/acs/xmpp/xmpp-connector.ts';
import { Fleet } from '../../src/cpe/fleet/fleet.ts';
import { DEVICE2_GATEWAY } from '../../src/datamodel/profiles/index.ts';
import { ChangeFeed, withChangeFeed } from '../../src/store/change-feed.ts';
import { encodeDeviceId } from '../../src/store/device-id.ts';
import { Secret } from '../../src/store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { type Prosody, prosodyUnavailable, startProsody } from './prosody.ts';

const missing = prosodyUnavailable();
if (missing !== null && process.env.CI === 'true') {
  throw new Error(`the XMPP tests cannot run in CI: ${missing}`);
}
if (missing !== null) process.stderr.write(`skipping the XMPP tests: ${missing}\n`);

const SERIALS = ['XMP00000001', 'XMP00000002'];
const DEVICE_XMPP_PASSWORD = 'device-xmpp-password';
const idOf = (serial: string) =>
  encodeDeviceId({ oui: '02C0A1', productClass: 'HG2100', serialNumber: serial });
const JID_PATH = 'Device.ManagementServer.ConnReqJabberID';

describe('XMPP connection requests through a real XMPP server (prosody)', {
  skip: missing ?? false,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-xmpp-'));
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const log = (event: string, fields: Record<string, unknown>) => logs.push({ event, fields });
  let prosody: Prosody;
  let store: SqliteStore;
  let acs: RunningAcs;
  let xmpp: XmppConnector;
  let fleet: Fleet;
  let requester: ReturnType<typeof createConnectionRequester>;

  before(async () => {
    prosody = await startProsody();
    prosody.register('acs', 'acs-xmpp-password');
    for (const serial of SERIALS) prosody.register(serial.toLowerCase(), DEVICE_XMPP_PASSWORD);
    store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
    const changes = new ChangeFeed();
    const fed = withChangeFeed(store, changes);
    acs = await startAcs(
      testAcsOptions(fed, {
        // Zero-touch tells each device to take XMPP connection requests from the ACS alone.
        zeroTouch: {
          periodicInformInterval: 3600,
          connectionRequestCredentials: false,
          xmppJid: `acs@${prosody.domain}/acs`,
        },
      }),
    );
    for (const serial of SERIALS) {
      await store.credentials.setConnectionRequest(idOf(serial), {
        username: `cr-${serial}`,
        password: new Secret('corral-cr-secret'),
      });
    }
    xmpp = new XmppConnector(
      { service: prosody.service, jid: `acs@${prosody.domain}/acs`, password: 'acs-xmpp-password' },
      log,
    );
    xmpp.start();
    requester = createConnectionRequester({
      paths: [
        {
          path: 'xmpp',
          send: createXmppConnectionRequester({ store: fed, xmpp, timeoutMs: 5000 }),
        },
        { path: 'http', send: createHttpConnectionRequester({ store: fed }) },
      ],
      limiter: new ConnectionRequestLimiter(0, 1000, Date.now),
      log,
    });
    fleet = await Fleet.start({
      devices: SERIALS.length,
      acsUrl: acs.url,
      profile: DEVICE2_GATEWAY,
      serialPrefix: 'XMP',
      rate: Number.POSITIVE_INFINITY,
      connectionRequest: false,
      parameters: { 'Device.ManagementServer.ConnectionRequestURL': '' },
      xmpp: { service: prosody.service, domain: prosody.domain, password: DEVICE_XMPP_PASSWORD },
    });
  });

  after(async () => {
    await fleet?.stop();
    await xmpp?.stop();
    await acs?.close(0);
    await store?.close();
    await prosody?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(what: string, test: () => Promise<boolean> | boolean, ms = 15_000) {
    const deadline = Date.now() + ms;
    while (!(await test())) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(logs.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('each device logs in with its own JID and reports it (ConnReqJabberID, forced active notification)', async () => {
    for (const serial of SERIALS) {
      await until(`${serial}'s JID`, async () => {
        const p = await store.devices
          .get(idOf(serial))
          .then((d) => (d === null ? null : store.parameters.get(idOf(serial), JID_PATH)));
        return (
          typeof p?.value === 'string' &&
          p.value.startsWith(`${serial.toLowerCase()}@${prosody.domain}/`)
        );
      });
    }
    await until('the ACS online', () => xmpp.online);
    for (const device of fleet.devices) {
      await until(
        'zero-touch',
        () =>
          device.model.getValue('Device.ManagementServer.ConnReqAllowedJabberIDs') ===
          `acs@${prosody.domain}`,
      );
    }
  });

  it('an IQ connection request opens a session with 6 CONNECTION REQUEST', async () => {
    const device = fleet.devices[0]!;
    await until('idle', () => !device.inSession);
    const session = device.waitForSession((r) => r.events.includes('6 CONNECTION REQUEST'));
    const result = await requester(idOf(SERIALS[0]!));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.path, 'xmpp');
    assert.ok((await session).ok);
    assert.equal(fleet.xmpp.get(device)!.stats.accepted, 1);
  });

  it('a JID not in ConnReqAllowedJabberIDs is refused, and so are wrong credentials', async () => {
    const device = fleet.devices[1]!;
    const id = idOf(SERIALS[1]!);
    device.setLocalValue(
      'Device.ManagementServer.ConnReqAllowedJabberIDs',
      `someone-else@${prosody.domain}`,
    );
    const refused = await requester(id);
    assert.equal(refused.ok, false);
    assert.deepEqual(refused.tried[0], {
      ...refused.tried[0],
      path: 'xmpp',
      ok: false,
      reason: 'refused',
    });
    assert.match(String(refused.tried[0]?.detail), /service-unavailable/);
    // The ACS's bare JID: any of its resources is allowed again.
    device.setLocalValue(
      'Device.ManagementServer.ConnReqAllowedJabberIDs',
      `acs@${prosody.domain}`,
    );
    await store.credentials.setConnectionRequest(id, {
      username: `cr-${SERIALS[1]}`,
      password: new Secret('wrong'),
    });
    const wrong = await requester(id);
    assert.equal(wrong.tried[0]?.reason, 'auth-failed');
    assert.match(String(wrong.tried[0]?.detail), /not-authorized/);
    assert.equal(wrong.tried.length, 1, 'reached and refused: no other path tried');
    await store.credentials.setConnectionRequest(id, {
      username: `cr-${SERIALS[1]}`,
      password: new Secret('corral-cr-secret'),
    });
    const session = device.waitForSession((r) => r.events.includes('6 CONNECTION REQUEST'));
    const ok = await requester(id);
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.ok((await session).ok);
  });

  it('after the XMPP server restarts, the ACS reconnects and a request made meanwhile still arrives', async () => {
    await prosody.stop();
    await until('the ACS offline', () => !xmpp.online, 5000);
    const device = fleet.devices[0]!;
    const session = device.waitForSession((r) => r.events.includes('6 CONNECTION REQUEST'));
    // Asked while the server is down: it waits for the reconnection instead of failing.
    const pending = createXmppConnectionRequester({ store, xmpp, timeoutMs: 20_000 })(
      idOf(SERIALS[0]!),
    );
    await new Promise((r) => setTimeout(r, 300));
    await prosody.start();
    const result = await pending;
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok((await session).ok);
    assert.ok(logs.some((l) => l.event === 'xmpp-disconnected'));
    assert.ok(logs.filter((l) => l.event === 'xmpp-online').length >= 2);
    assert.equal(
      JSON.stringify(logs).includes('acs-xmpp-password'),
      false,
      'no password in the log',
    );
  });
});
