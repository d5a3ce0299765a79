/**
 * A fleet against the real ACS on a simulated clock: start-up at a rate, every device bootstrapping, periodic
 * informs, a Connection Request through the fleet's shared listener, statistics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from '../../datamodel/profiles/index.ts';
import type { SessionRecord } from '../device/simulated-device.ts';
import { Lab } from '../testing/lab.ts';
import { Fleet, Semaphore } from './fleet.ts';

let lab: Lab;
before(async () => {
  lab = await Lab.start();
});
after(() => lab.close());

/** Resolves once `count` records have matched. */
function collect(count: number, match: (r: SessionRecord) => boolean) {
  const seen: SessionRecord[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  return {
    seen,
    all,
    onSession: (r: SessionRecord) => {
      if (match(r)) seen.push(r);
      if (seen.length === count) done();
    },
  };
}

describe('Fleet', { timeout: 30_000 }, () => {
  it('starts N devices at the given rate; each bootstraps, then informs periodically', async () => {
    const boots = collect(30, (r) => r.events.includes('0 BOOTSTRAP'));
    let periodic = 0;
    const fleet = await Fleet.start({
      devices: 30,
      acsUrl: lab.acs.url,
      profile: DEVICE2_GATEWAY,
      serialPrefix: 'FLT',
      rate: 10,
      scheduler: lab.clock,
      periodicInterval: 60,
      connectionRequest: { host: '127.0.0.1', port: 0 },
      maxConcurrentSessions: 8,
      // First periodic Inform half an interval after boot: none before the clock is advanced by 60 s.
      random: () => 0.5,
      onSession: (r) => {
        boots.onSession(r);
        if (r.events.includes('2 PERIODIC')) periodic++;
      },
    });
    try {
      assert.equal(fleet.started, 1);
      lab.clock.advance(1000);
      assert.equal(fleet.started, 11);
      lab.clock.advance(2000);
      assert.equal(fleet.started, 30);
      await boots.all;
      assert.deepEqual(
        boots.seen
          .map((r) => r.serialNumber)
          .sort()
          .slice(0, 2),
        ['FLT00000001', 'FLT00000002'],
      );
      assert.ok(boots.seen.every((r) => r.ok));
      const ids = (await lab.store.devices.list({ limit: 1000 })).map((d) => d.serialNumber);
      assert.equal(ids.filter((s) => s?.startsWith('FLT')).length, 30);

      // A Connection Request to one device, through the shared listener.
      const device = fleet.devices[7]!;
      const knocked = device.waitForSession();
      assert.equal(await lab.connectionRequest(device), 200);
      assert.deepEqual((await knocked).events, ['6 CONNECTION REQUEST']);

      // Every device informs once per 60 s.
      const waiters = fleet.devices.map((d) =>
        d.waitForSession((r) => r.events.includes('2 PERIODIC')),
      );
      lab.clock.advance(60_000);
      await Promise.all(waiters);
      assert.equal(periodic, 30);
      const snap = fleet.snapshot();
      assert.equal(snap.devices, 30);
      assert.equal(snap.sessionsCompleted, 61);
      assert.equal(snap.sessionsFailed, 0);
      assert.ok(snap.p99Ms >= snap.p50Ms && snap.p50Ms > 0);
      assert.equal(fleet.gate.inUse, 0);
    } finally {
      await fleet.stop();
    }
  });

  it('runs IGD:1 devices too', async () => {
    const fleet = await Fleet.start({
      devices: 3,
      acsUrl: lab.acs.url,
      profile: IGD_GATEWAY,
      serialPrefix: 'IGD',
      rate: Number.POSITIVE_INFINITY,
      scheduler: lab.clock,
      connectionRequest: false,
    });
    try {
      const records = await Promise.all(fleet.devices.map((d) => d.waitForSession()));
      assert.ok(records.every((r) => r.ok));
      const stored = await lab.store.parameters.get(
        lab.idOf(fleet.devices[0]!),
        'InternetGatewayDevice.DeviceInfo.SoftwareVersion',
      );
      assert.equal(stored?.value, '2.8.14');
    } finally {
      await fleet.stop();
    }
  });
});

describe('Semaphore', () => {
  it('lets `size` holders in at once and hands places on in order', async () => {
    const s = new Semaphore(2);
    const a = await s.acquire();
    const b = await s.acquire();
    let third = false;
    const c = s.acquire().then((release) => {
      third = true;
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, false);
    a();
    a();
    (await c)();
    assert.equal(third, true);
    b();
    assert.equal(s.inUse, 0);
  });
});
