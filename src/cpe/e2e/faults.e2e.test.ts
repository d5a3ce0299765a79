/**
 * Devices that misbehave on purpose, against the real ACS: the quirks real CPEs show (vendor-quirks.md), and faults
 * injected to exercise the ACS's error paths — a fault for one RPC, a connection dropped mid-message, a malformed
 * message, slow answers. The ACS must cope, and record what happened.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SimulatedDevice } from '../device/simulated-device.ts';
import { Lab } from '../testing/lab.ts';

let lab: Lab;
before(async () => {
  lab = await Lab.start();
});
after(() => lab.close());

async function booted(d: SimulatedDevice) {
  const boot = d.waitForSession();
  d.start();
  const r = await boot;
  assert.equal(r.ok, true, r.error?.message);
  return r;
}

const gpv = {
  type: 'getParameterValues' as const,
  parameterNames: ['Device.ManagementServer.PeriodicInformEnable'],
};

describe('quirky and faulty devices against the ACS', { timeout: 30_000 }, () => {
  it('a device with 1/0 booleans, no cookies, SOAP-ENV prefix, the cwmp-1-3 namespace and chunked bodies', async () => {
    const d = await lab.device('Q-QUIRKS', {
      behaviour: {
        wire: { booleanStyle: 'digit', soapPrefix: 'SOAP-ENV' },
        returnCookies: false,
        cwmpNamespace: 'urn:dslforum-org:cwmp-1-3',
        sendChunked: true,
      },
    });
    await booted(d);
    const id = lab.idOf(d);
    const task = await lab.store.tasks.enqueue(id, { args: gpv });
    const s = d.waitForSession();
    await lab.connectionRequest(d);
    const r = await s;
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(r.acsRequests, ['GetParameterValues']);
    assert.equal((await lab.store.tasks.get(task.id))?.state, 'done');
    assert.equal(
      (await lab.store.parameters.get(id, 'Device.ManagementServer.PeriodicInformEnable'))?.value,
      '1',
    );
  });

  it('a CWMP 1.0 device is answered in cwmp-1-0', async () => {
    const d = await lab.device('Q-V10', { behaviour: { maxVersion: '1.0' } });
    const r = await booted(d);
    assert.equal(r.version, '1.0');
    const id = lab.idOf(d);
    const [session] = await lab.store.traces.sessions(id);
    const trace = await lab.store.traces.read(id, session!.sessionId);
    const [inform, answer] = trace!.messages;
    assert.match(inform!.body, /xmlns:cwmp="urn:dslforum-org:cwmp-1-0"/);
    assert.doesNotMatch(inform!.body, /SupportedCWMPVersions|SessionTimeout/);
    assert.match(answer!.body, /xmlns:cwmp="urn:dslforum-org:cwmp-1-0"/);
  });

  it('an injected fault for one RPC is recorded on the task', async () => {
    const d = await lab.device('F-FAULT', {
      behaviour: { faults: { faultFor: { GetParameterValues: 9004 } } },
    });
    await booted(d);
    const task = await lab.store.tasks.enqueue(lab.idOf(d), { args: gpv });
    const s = d.waitForSession();
    await lab.connectionRequest(d);
    const r = await s;
    assert.equal(r.faultsSent, 1);
    const stored = await lab.store.tasks.get(task.id);
    assert.equal(stored?.fault?.code, 9004);
    assert.equal(stored?.fault?.source, 'cpe');
  });

  it('a connection dropped mid-answer: the ACS releases the task as interrupted', async () => {
    const d = await lab.device('F-DROP', {
      behaviour: { faults: { dropOn: 'SetParameterValues' } },
    });
    await booted(d);
    const task = await lab.store.tasks.enqueue(lab.idOf(d), {
      args: {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.DeviceInfo.HostName', value: 'dropped', type: 'string' }],
        parameterKey: 'k',
      },
    });
    const s = d.waitForSession();
    await lab.connectionRequest(d);
    const r = await s;
    assert.equal(r.informAccepted, true);
    assert.equal(r.error?.kind, 'aborted');
    // A session that broke after its InformResponse is not retried.
    assert.equal(d.nextRetryAt, undefined);
    let stored = await lab.store.tasks.get(task.id);
    for (let i = 0; i < 50 && stored?.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stored = await lab.store.tasks.get(task.id);
    }
    assert.equal(stored?.state, 'failed');
    assert.equal(stored?.fault?.source, 'interrupted');
  });

  it('a malformed answer gets 400 from the ACS and ends the session', async () => {
    const d = await lab.device('F-BAD', {
      behaviour: { faults: { malformedOn: 'GetParameterValues' } },
    });
    await booted(d);
    await lab.store.tasks.enqueue(lab.idOf(d), { args: gpv });
    const s = d.waitForSession();
    await lab.connectionRequest(d);
    const r = await s;
    assert.equal(r.error?.kind, 'http-status');
    assert.equal(r.error?.status, 400);
    assert.ok(lab.logs.some((l) => l.event === 'cwmp-refused' && l.fields.status === 400));
  });

  it('a malformed Inform fails the session before it starts, and is retried', async () => {
    const d = await lab.device('F-BADINFORM', { behaviour: { faults: { malformedOn: 'Inform' } } });
    const s = d.waitForSession();
    d.start();
    const r = await s;
    assert.equal(r.informAccepted, false);
    assert.equal(r.error?.status, 400);
    assert.ok(d.nextRetryAt !== undefined);
    assert.equal(await lab.store.devices.get(lab.idOf(d)), null);
  });

  it('slow answers still complete', async () => {
    const d = await lab.device('F-SLOW', { behaviour: { faults: { answerDelayMs: 150 } } });
    await booted(d);
    const task = await lab.store.tasks.enqueue(lab.idOf(d), { args: gpv });
    const s = d.waitForSession();
    await lab.connectionRequest(d);
    const r = await s;
    assert.ok(r.durationMs >= 150, String(r.durationMs));
    assert.equal((await lab.store.tasks.get(task.id))?.state, 'done');
  });
});
