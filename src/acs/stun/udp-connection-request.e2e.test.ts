import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Fleet } from '../../cpe/fleet/fleet.ts';
import { MAGIC_COOKIE } from '../../cwmp/stun/attributes.ts';
import { encodeStun, StunType } from '../../cwmp/stun/message.ts';
import { encodeUdpConnectionRequest } from '../../cwmp/udp-connection-request.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { ChangeFeed, withChangeFeed } from '../../store/change-feed.ts';
import { encodeDeviceId } from '../../store/device-id.ts';
import { Secret } from '../../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from '../acs.ts';
import { createConnectionRequester } from '../connection-request/connection-requester.ts';
import { createHttpConnectionRequester } from '../connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../connection-request/rate-limit.ts';
import { createUdpConnectionRequester } from '../connection-request/udp-connection-request.ts';
import { testAcsOptions } from '../testing/acs-options.ts';
import { recordStunBindings } from './binding-record.ts';
import { stunCredentialsOf } from './stun-credentials.ts';
import { type RunningStunServer, startStunServer } from './stun-server.ts';

const SERIAL = 'STUN00000001';
const ACS_PASSWORD = 'corral-acs-secret';
const CR_PASSWORD = 'corral-cr-secret';

describe('UDP connection requests through the STUN server (loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-stun-'));
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const log = (event: string, fields: Record<string, unknown>) => logs.push({ event, fields });
  let store: SqliteStore;
  let acs: RunningAcs;
  let stun: RunningStunServer;
  let fleet: Fleet;
  let deviceId: string;
  let requester: ReturnType<typeof createConnectionRequester>;

  before(async () => {
    store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
    const changes = new ChangeFeed();
    const fed = withChangeFeed(store, changes);
    acs = await startAcs(testAcsOptions(fed));
    stun = await startStunServer({
      host: '127.0.0.1',
      port: 0,
      credentials: stunCredentialsOf(store),
      requireCredentials: true,
      onBinding: recordStunBindings(fed, log),
      log,
      rateLimit: { perSecond: 5, burst: 10 },
    });
    const username = `02C0A1-HG2100-${SERIAL}`;
    deviceId = encodeDeviceId({ oui: '02C0A1', productClass: 'HG2100', serialNumber: SERIAL });
    // The device's STUN credentials are its own ACS credential; its connection-request ones are the profile's.
    await store.credentials.setCpe(deviceId, { username, password: new Secret(ACS_PASSWORD) });
    await store.credentials.setConnectionRequest(deviceId, {
      username: `cr-${SERIAL}`,
      password: new Secret(CR_PASSWORD),
    });
    requester = createConnectionRequester({
      paths: [
        { path: 'http', send: createHttpConnectionRequester({ store: fed }) },
        {
          path: 'udp',
          send: createUdpConnectionRequester({ store: fed, stun, changes, timeoutMs: 5000 }),
        },
      ],
      limiter: new ConnectionRequestLimiter(0, 1000, Date.now),
      log,
    });
    const ms = 'Device.ManagementServer.';
    fleet = await Fleet.start({
      devices: 1,
      acsUrl: acs.url,
      profile: DEVICE2_GATEWAY,
      serialPrefix: 'STUN',
      rate: Number.POSITIVE_INFINITY,
      connectionRequest: false,
      udpConnectionRequest: { host: '127.0.0.1' },
      parameters: {
        // Behind NAT in spirit: no HTTP address at all (the profile's default points outside loopback).
        [`${ms}ConnectionRequestURL`]: '',
        [`${ms}STUNEnable`]: 'true',
        [`${ms}STUNServerAddress`]: '127.0.0.1',
        [`${ms}STUNServerPort`]: String(stun.port),
        [`${ms}STUNUsername`]: username,
        [`${ms}STUNPassword`]: ACS_PASSWORD,
        [`${ms}STUNMinimumKeepAlivePeriod`]: '1',
      },
    });
  });

  after(async () => {
    await fleet?.stop();
    await stun?.close();
    await acs?.close(0);
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(what: string, test: () => Promise<boolean> | boolean, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('records the binding of a device that authenticates, after the 401 that asks it to', async () => {
    const device = fleet.devices[0]!;
    const agent = fleet.udp.get(device)!;
    await until('the binding', () => stun.binding(deviceId) !== undefined);
    const binding = stun.binding(deviceId)!;
    assert.equal(binding.address, '127.0.0.1');
    assert.equal(binding.port, agent.port);
    await until('the parameter', async () => {
      const p = await store.parameters.get(
        deviceId,
        'Device.ManagementServer.UDPConnectionRequestAddress',
      );
      return p?.value === `127.0.0.1:${agent.port}`;
    });
    // The device learns its mapping from the STUN server's answer, which may reach it after the ACS recorded it.
    await until(
      'the device to learn its mapping',
      () =>
        device.model.getValue('Device.ManagementServer.UDPConnectionRequestAddress') ===
        `127.0.0.1:${agent.port}`,
    );
    assert.equal(device.model.getValue('Device.ManagementServer.NATDetected'), 'false');
  });

  it('reaches the device by UDP when it has no HTTP address, and it calls in with 6 CONNECTION REQUEST', async () => {
    const device = fleet.devices[0]!;
    await until('the first session', () => device.sessions > 0);
    await until('idle', () => !device.inSession);
    const session = device.waitForSession((r) => r.events.includes('6 CONNECTION REQUEST'));
    const result = await requester(deviceId);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.path, 'udp');
    assert.deepEqual(
      result.tried.map((t) => `${t.path}:${t.ok ? 'ok' : t.reason}`),
      ['http:no-url', 'udp:ok'],
    );
    assert.ok((await session).ok);
    // The copies of the one request were seen as replays of it.
    const agent = fleet.udp.get(device)!;
    assert.equal(agent.stats.accepted, 1);
  });

  it('the device ignores a forged, a malformed, a replayed and a stale request', async () => {
    const device = fleet.devices[0]!;
    const agent = fleet.udp.get(device)!;
    const before = { ...agent.stats };
    const socket = createSocket('udp4');
    const send = (text: string) =>
      new Promise<void>((resolve) =>
        socket.send(Buffer.from(text), agent.port!, '127.0.0.1', () => resolve()),
      );
    const ts = Math.floor(Date.now() / 1000);
    await send(
      `GET http://127.0.0.1:${agent.port}?ts=${ts}&id=7&un=cr-${SERIAL}&cn=x&sig=${'0'.repeat(40)} HTTP/1.1\r\n\r\n`,
    );
    await send('GET / HTTP/1.1\r\n\r\n');
    await send('\u0000\u0001 garbage');
    await until('three ignored', () => agent.stats.ignored >= before.ignored + 3, 3000);
    assert.equal(agent.stats.accepted, before.accepted);
    // A valid request counts once, however often it is replayed; one older than it is stale.
    const valid = (id: number, at: number) =>
      encodeUdpConnectionRequest(
        { host: '127.0.0.1', port: agent.port! },
        { ts: at, id, username: `cr-${SERIAL}`, cnonce: 'c0ffee' },
        CR_PASSWORD,
      );
    const session = device.waitForSession((r) => r.events.includes('6 CONNECTION REQUEST'));
    for (const bytes of [valid(1001, ts + 5), valid(1001, ts + 5), valid(1002, ts + 1)]) {
      await new Promise<void>((resolve) =>
        socket.send(bytes, agent.port!, '127.0.0.1', () => resolve()),
      );
    }
    await until('two more ignored', () => agent.stats.ignored >= before.ignored + 5, 3000);
    assert.equal(agent.stats.accepted, before.accepted + 1);
    assert.ok((await session).ok);
    socket.close();
  });

  it('answers an unauthenticated Binding Request with 401, ignores garbage, and rate-limits one address', async () => {
    const socket = createSocket('udp4');
    const answers: Buffer[] = [];
    socket.on('message', (m) => answers.push(m));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const request = () => {
      const id = randomBytes(16);
      id.writeUInt32BE(MAGIC_COOKIE, 0);
      return encodeStun({ type: StunType.BindingRequest, transactionId: id, attributes: [] });
    };
    socket.send(request(), stun.port, '127.0.0.1');
    await until('an answer', () => answers.length === 1, 3000);
    assert.equal(answers[0]!.readUInt16BE(0), StunType.BindingError);
    assert.ok(answers[0]!.includes(Buffer.from([0, 0, 4, 1])), 'ERROR-CODE 401');
    socket.send(Buffer.from('not stun at all, a reflector probe'), stun.port, '127.0.0.1');
    for (let i = 0; i < 40; i++) socket.send(request(), stun.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(answers.length <= 11, `${answers.length} answers to 41 requests`);
    assert.ok(logs.some((l) => l.event === 'stun-rate-limited'));
    assert.equal(
      answers.every((a) => a.length <= 44 + 12),
      true,
      'no answer larger than a TR-111 request',
    );
    socket.close();
  });
});

describe('zero-touch turns STUN on, and the device is then reached by UDP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-stun-zt-'));
  let store: SqliteStore;
  let acs: RunningAcs;
  let stun: RunningStunServer;
  let fleet: Fleet;
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const log = (event: string, fields: Record<string, unknown>) => logs.push({ event, fields });

  after(async () => {
    await fleet?.stop();
    await stun?.close();
    await acs?.close(0);
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a device that has STUN gets it on with its own new ACS credential; its binding is then known', async () => {
    store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
    const changes = new ChangeFeed();
    const fed = withChangeFeed(store, changes);
    stun = await startStunServer({
      host: '127.0.0.1',
      port: 0,
      credentials: stunCredentialsOf(store),
      requireCredentials: true,
      onBinding: recordStunBindings(fed, log),
      log,
    });
    acs = await startAcs(
      testAcsOptions(fed, {
        log,
        zeroTouch: {
          periodicInformInterval: 3600,
          connectionRequestCredentials: true,
          acsCredentials: true,
          stun: { serverAddress: '127.0.0.1', serverPort: stun.port, minimumKeepAliveSeconds: 1 },
        },
      }),
    );
    fleet = await Fleet.start({
      devices: 1,
      acsUrl: acs.url,
      profile: DEVICE2_GATEWAY,
      serialPrefix: 'ZTS',
      rate: Number.POSITIVE_INFINITY,
      connectionRequest: false,
      udpConnectionRequest: { host: '127.0.0.1' },
      parameters: { 'Device.ManagementServer.ConnectionRequestURL': '' },
    });
    const deviceId = encodeDeviceId({
      oui: '02C0A1',
      productClass: 'HG2100',
      serialNumber: 'ZTS00000001',
    });
    const device = fleet.devices[0]!;
    const deadline = Date.now() + 10_000;
    while (stun.binding(deviceId) === undefined) {
      if (Date.now() > deadline)
        throw new Error(`no binding; logs: ${JSON.stringify(logs.slice(-10))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = 'Device.ManagementServer.';
    assert.equal(device.model.getValue(`${ms}STUNEnable`), 'true');
    const own = await store.credentials.getCpe(deviceId);
    assert.equal(
      device.model.getValue(`${ms}STUNUsername`),
      own?.username,
      'its own ACS credential',
    );
    assert.ok(logs.some((l) => l.event === 'zero-touch-stun' && l.fields.credential === true));
    const requester = createUdpConnectionRequester({ store: fed, stun, changes, timeoutMs: 5000 });
    const session = device.waitForSession((r) => r.events.includes('6 CONNECTION REQUEST'));
    const result = await requester(deviceId);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok((await session).ok);
  });
});
