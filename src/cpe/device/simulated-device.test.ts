/**
 * Device behaviour that needs an ACS the real one cannot play: HoldRequests, 503 with Retry-After, a new ACS URL,
 * CWMP switched off, the active-notification throttle. A scripted ACS over real HTTP on a simulated clock.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';
import type { RecordedRequest } from '../testing/scripted-acs.ts';
import { informResponse, ScriptedAcs, type ScriptedReply } from '../testing/scripted-acs.ts';
import { SimulatedDevice } from './simulated-device.ts';

const template = templateFor(simulatorProfile(DEVICE2_GATEWAY));
const MS = 'Device.ManagementServer.';
const servers: ScriptedAcs[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

/** An ACS that accepts every Inform and ends every session, unless `script` says otherwise. */
async function acs(script?: (r: RecordedRequest, i: number) => ScriptedReply | undefined) {
  const s = await new ScriptedAcs((r, i) => {
    const scripted = script?.(r, i);
    if (scripted !== undefined) return scripted;
    if (r.envelope?.body.method === 'Inform') return informResponse();
    if (r.envelope?.body.method === 'TransferComplete')
      return { message: { method: 'TransferCompleteResponse' } };
    return { status: 204 };
  }).start();
  servers.push(s);
  return s;
}

function device(url: string, clock: SimulatedClock, extra: Record<string, string> = {}) {
  return new SimulatedDevice({
    template,
    identity: () => ({
      [`${MS}URL`]: url,
      'Device.DeviceInfo.SerialNumber': 'DEV-1',
      [`${MS}PeriodicInformEnable`]: 'false',
      ...extra,
    }),
    scheduler: clock,
    random: () => 0.5,
  });
}

const transferComplete = {
  message: {
    method: 'TransferComplete' as const,
    CommandKey: 'k1',
    FaultStruct: { FaultCode: 0, FaultString: '' },
    StartTime: '2026-01-01T00:00:00Z',
    CompleteTime: '2026-01-01T00:00:01Z',
  },
  events: [
    { code: '7 TRANSFER COMPLETE', commandKey: '' },
    { code: 'M Download', commandKey: 'k1' },
  ],
};

describe('SimulatedDevice', { timeout: 20_000 }, () => {
  it('keeps a TransferComplete and its events while the ACS holds requests, and through a failed session', async () => {
    let hold = true;
    let down = false;
    const server = await acs((r) => {
      if (down) return { status: 500, body: 'down' };
      return r.envelope?.body.method === 'Inform'
        ? informResponse(hold ? { HoldRequests: true } : {})
        : undefined;
    });
    const clock = new SimulatedClock();
    const d = device(server.url, clock);
    const boot = d.waitForSession();
    d.start();
    await boot;
    d.deliverLater(transferComplete, false);
    const held = await d.waitForSession();
    assert.deepEqual(held.events, ['7 TRANSFER COMPLETE', 'M Download:k1']);
    assert.deepEqual(held.acknowledged, []);
    assert.equal(d.pendingRequests, 1);

    down = true;
    const failed = d.waitForSession();
    d.connectionRequest();
    assert.equal((await failed).informAccepted, false);
    assert.equal(d.pendingRequests, 1);

    down = false;
    hold = false;
    const delivered = d.waitForSession();
    clock.advanceTo(d.nextRetryAt!);
    const r = await delivered;
    assert.deepEqual(r.events, ['7 TRANSFER COMPLETE', 'M Download:k1']);
    assert.deepEqual(r.acknowledged, ['TransferComplete']);
    assert.equal(r.retryCount, 1);
    assert.equal(d.pendingRequests, 0);
    assert.ok(server.methods.includes('TransferComplete'));
    await d.stop();
  });

  it('drops 6 CONNECTION REQUEST when its session fails and does not retry a session with nothing to say', async () => {
    let fail = false;
    const server = await acs(() =>
      fail ? { status: 503, headers: { 'Retry-After': '120' }, body: 'busy' } : undefined,
    );
    const clock = new SimulatedClock();
    const d = device(server.url, clock);
    const boot = d.waitForSession();
    d.start();
    await boot;
    fail = true;
    const failed = d.waitForSession();
    d.connectionRequest();
    const r = await failed;
    assert.equal(r.error?.status, 503);
    assert.equal(d.events.size, 0);
    assert.equal(d.nextRetryAt, undefined);
    await d.stop();
  });

  it('honours Retry-After of a 503 as the least wait before retrying', async () => {
    let fail = true;
    const server = await acs(() =>
      fail ? { status: 503, headers: { 'Retry-After': '120' }, body: 'busy' } : undefined,
    );
    const clock = new SimulatedClock();
    const d = device(server.url, clock);
    const failed = d.waitForSession();
    d.start();
    await failed;
    assert.equal(d.nextRetryAt! - clock.now(), 120_000);
    fail = false;
    const ok = d.waitForSession();
    clock.advance(120_000);
    assert.deepEqual((await ok).events, ['0 BOOTSTRAP', '1 BOOT']);
    await d.stop();
  });

  it('a new ACS URL set by the ACS: 0 BOOTSTRAP, to the new ACS', async () => {
    const second = await acs();
    const first = await acs((r) => {
      if (
        r.envelope === undefined &&
        r.body === '' &&
        !first.methods.includes('SetParameterValuesResponse')
      ) {
        return {
          message: {
            method: 'SetParameterValues',
            ParameterList: [{ name: `${MS}URL`, value: second.url, type: 'string' }],
            ParameterKey: 'move',
          },
        };
      }
      return undefined;
    });
    const clock = new SimulatedClock();
    const d = device(first.url, clock);
    const moved = d.waitForSession(
      (r) => r.events.includes('0 BOOTSTRAP') && second.methods.includes('Inform'),
    );
    d.start();
    const r = await moved;
    assert.deepEqual(r.events, ['0 BOOTSTRAP']);
    assert.deepEqual(second.methods, ['Inform', '']);
    assert.equal(d.model.getValue(`${MS}ParameterKey`), 'move');
    await d.stop();
  });

  it('sends nothing while EnableCWMP is false, and takes no Connection Requests', async () => {
    const server = await acs();
    const clock = new SimulatedClock();
    const d = device(server.url, clock, { [`${MS}EnableCWMP`]: 'false' });
    d.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server.requests.length, 0);
    assert.equal(d.connectionRequestCredentials(), undefined);
    await d.stop();
  });

  it('waits DefaultActiveNotificationThrottle after the last session before notifying', async () => {
    const server = await acs();
    const clock = new SimulatedClock();
    const d = device(server.url, clock, { [`${MS}DefaultActiveNotificationThrottle`]: '60' });
    const boot = d.waitForSession();
    d.start();
    await boot;
    // ProvisioningCode is forceEnabled: always active.
    d.setLocalValue('Device.DeviceInfo.ProvisioningCode', 'region-7');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(d.inSession, false);
    assert.equal(server.methods.filter((m) => m === 'Inform').length, 1);
    const notified = d.waitForSession();
    clock.advance(60_000);
    assert.deepEqual((await notified).events, ['4 VALUE CHANGE']);
    const inform = server.requests.filter((r) => r.envelope?.body.method === 'Inform').at(-1)!;
    assert.match(inform.body, /ProvisioningCode<\/Name><Value xsi:type="xsd:string">region-7</);
    await d.stop();
  });

  it('a power cycle: 1 BOOT, and value changes do not survive it', async () => {
    const server = await acs();
    const clock = new SimulatedClock();
    const d = device(server.url, clock);
    const boot = d.waitForSession();
    d.start();
    await boot;
    d.model.setAttributes(
      'Device.DeviceInfo.HostName',
      d.model.template.model.parameter('Device.DeviceInfo.HostName')!,
      { notification: 1 },
    );
    d.setLocalValue('Device.DeviceInfo.HostName', 'passive-change');
    const rebooted = d.waitForSession();
    d.powerCycle();
    assert.deepEqual((await rebooted).events, ['1 BOOT']);
    await d.stop();
  });
});
