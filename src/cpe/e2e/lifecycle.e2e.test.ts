/**
 * Simulated devices against the real ACS over HTTP, on a simulated clock: first contact and periodic informs,
 * Connection Requests, reboot, factory reset, value-change notification, and retry with back-off while the ACS is
 * down, then recovery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Lab } from '../testing/lab.ts';

let lab: Lab;
before(async () => {
  lab = await Lab.start();
});
after(() => lab.close());

const MS = 'Device.ManagementServer.';

describe('device life cycle against the ACS', { timeout: 30_000 }, () => {
  it('bootstraps on first contact, then informs periodically on its interval', async () => {
    const d = await lab.device('LC-BOOT', { extra: { [`${MS}PeriodicInformInterval`]: '300' } });
    const first = d.waitForSession();
    d.start();
    const r1 = await first;
    assert.equal(r1.ok, true, r1.error?.message);
    assert.deepEqual(r1.events, ['0 BOOTSTRAP', '1 BOOT']);
    assert.equal(r1.version, '1.4');
    const id = lab.idOf(d);
    const stored = await lab.store.devices.get(id);
    assert.ok(stored?.lastBootstrapAt);
    assert.equal(
      (await lab.store.parameters.get(id, 'Device.DeviceInfo.SoftwareVersion'))?.value,
      '4.2.7',
    );
    assert.match(
      String((await lab.store.parameters.get(id, `${MS}ConnectionRequestURL`))?.value),
      /^http:\/\/127\.0\.0\.1:\d+\/cr\//,
    );

    // Phase: half an interval after boot (random = 0.5), then every 300 s.
    const periodic: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const next = d.waitForSession();
      assert.equal(lab.clock.advance(300_000), 1);
      periodic.push((await next).events);
    }
    assert.deepEqual(periodic, [['2 PERIODIC'], ['2 PERIODIC']]);
    const codes = (await lab.store.devices.events(id)).map((e) => e.code);
    assert.equal(codes.filter((c) => c === '2 PERIODIC').length, 2);
    assert.equal(d.sessions, 3);
  });

  it('a Connection Request from the ACS side opens a session with 6 CONNECTION REQUEST', async () => {
    const d = await lab.device('LC-CR');
    const boot = d.waitForSession();
    d.start();
    await boot;
    const next = d.waitForSession();
    assert.equal(await lab.connectionRequest(d), 200);
    const r = await next;
    assert.equal(r.ok, true);
    assert.deepEqual(r.events, ['6 CONNECTION REQUEST']);
  });

  it('reboots after the session that asked, and says 1 BOOT + M Reboot next', async () => {
    const d = await lab.device('LC-REBOOT');
    const boot = d.waitForSession();
    d.start();
    await boot;
    const task = await lab.store.tasks.enqueue(lab.idOf(d), {
      args: { type: 'reboot', commandKey: 'rb-42' },
    });
    const asked = d.waitForSession((r) => r.acsRequests.includes('Reboot'));
    const rebooted = d.waitForSession((r) => r.events.includes('1 BOOT'));
    assert.equal(await lab.connectionRequest(d), 200);
    await asked;
    const r = await rebooted;
    assert.deepEqual(r.events, ['1 BOOT', 'M Reboot:rb-42']);
    assert.equal((await lab.store.tasks.get(task.id))?.state, 'done');
    const stored = await lab.store.devices.events(lab.idOf(d));
    assert.ok(stored.some((e) => e.code === 'M Reboot' && e.commandKey === 'rb-42'));
  });

  it('a factory reset forgets the configuration and bootstraps again', async () => {
    const d = await lab.device('LC-RESET');
    const boot = d.waitForSession();
    d.start();
    await boot;
    const id = lab.idOf(d);
    await lab.store.tasks.enqueue(id, {
      args: {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.DeviceInfo.HostName', value: 'configured', type: 'string' }],
        parameterKey: 'pk-1',
      },
    });
    await lab.store.tasks.enqueue(id, { args: { type: 'factoryReset' } });
    const reset = d.waitForSession((r) => r.events.includes('0 BOOTSTRAP'));
    assert.equal(await lab.connectionRequest(d), 200);
    const r = await reset;
    assert.deepEqual(r.events, ['0 BOOTSTRAP', '1 BOOT']);
    assert.equal(d.model.getValue('Device.DeviceInfo.HostName'), 'corral-gateway');
    assert.equal((await lab.store.parameters.get(id, `${MS}ParameterKey`))?.value, '');
  });

  it('reports a local change with notification: passive in the next Inform, active at once', async () => {
    const d = await lab.device('LC-NOTIFY');
    const boot = d.waitForSession();
    d.start();
    await boot;
    const id = lab.idOf(d);
    await lab.store.tasks.enqueue(id, {
      args: {
        type: 'setParameterAttributes',
        parameters: [
          {
            name: 'Device.DeviceInfo.HostName',
            notificationChange: true,
            notification: 1,
            accessListChange: false,
            accessList: [],
          },
          {
            name: `${MS}PeriodicInformInterval`,
            notificationChange: true,
            notification: 2,
            accessListChange: false,
            accessList: [],
          },
        ],
      },
    });
    const configured = d.waitForSession();
    await lab.connectionRequest(d);
    assert.deepEqual((await configured).acsRequests, ['SetParameterAttributes']);

    // Passive: no session of its own.
    d.setLocalValue('Device.DeviceInfo.HostName', 'renamed-by-user');
    assert.equal(d.inSession, false);
    // Active: a session now, carrying both changes.
    const notified = d.waitForSession();
    d.setLocalValue(`${MS}PeriodicInformInterval`, '7200');
    const r = await notified;
    assert.deepEqual(r.events, ['4 VALUE CHANGE']);
    assert.equal(
      (await lab.store.parameters.get(id, 'Device.DeviceInfo.HostName'))?.value,
      'renamed-by-user',
    );
    assert.equal(
      (await lab.store.parameters.get(id, `${MS}PeriodicInformInterval`))?.value,
      '7200',
    );
    // Delivered: the next session carries no VALUE CHANGE.
    const next = d.waitForSession();
    await lab.connectionRequest(d);
    assert.deepEqual((await next).events, ['6 CONNECTION REQUEST']);
    // A change the ACS makes is not notified back.
    await lab.store.tasks.enqueue(id, {
      args: {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.DeviceInfo.HostName', value: 'set-by-acs', type: 'string' }],
        parameterKey: 'pk-2',
      },
    });
    const set = d.waitForSession();
    await lab.connectionRequest(d);
    await set;
    assert.equal(d.model.pendingValueChanges().length, 0);
  });

  it('retries with TR-069 back-off while the ACS is down, and recovers when it returns', async () => {
    const d = await lab.device('LC-RETRY', { extra: { [`${MS}PeriodicInformEnable`]: 'false' } });
    await lab.stopAcs();
    try {
      const failures = [];
      let next = d.waitForSession();
      d.start();
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await next;
        failures.push(r);
        const due = d.nextRetryAt;
        assert.ok(due !== undefined, 'a retry is scheduled');
        waits.push(due - lab.clock.now());
        next = d.waitForSession();
        if (i < 2) lab.clock.advanceTo(due);
      }
      assert.deepEqual(
        failures.map((r) => [r.informAccepted, r.error?.kind, r.retryCount]),
        [
          [false, 'connect', 0],
          [false, 'connect', 1],
          [false, 'connect', 2],
        ],
      );
      // Midpoints of 5-10 s, 10-20 s, 20-40 s (random = 0.5).
      assert.deepEqual(waits, [7500, 15_000, 30_000]);
      assert.ok(failures.every((r) => r.events.join() === '0 BOOTSTRAP,1 BOOT'));
      await lab.startAcs();
      lab.clock.advanceTo(d.nextRetryAt!);
      const r = await next;
      assert.equal(r.ok, true, r.error?.message);
      assert.equal(r.retryCount, 3);
      assert.deepEqual(r.events, ['0 BOOTSTRAP', '1 BOOT']);
      assert.equal(d.retryCount, 0);
      assert.equal(d.nextRetryAt, undefined);
      const id = lab.idOf(d);
      const [session] = await lab.store.traces.sessions(id);
      const trace = await lab.store.traces.read(id, session!.sessionId);
      assert.match(trace!.messages[0]!.body, /<RetryCount>3<\/RetryCount>/);
    } finally {
      // Leave the ACS up for the other tests whatever happened.
      if (d.nextRetryAt !== undefined) await lab.startAcs().catch(() => {});
    }
  });
});
