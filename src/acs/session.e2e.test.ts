import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-acs-'));
let store: SqliteStore;
let acs: RunningAcs;
const logs: Array<{ event: string; fields: Record<string, unknown> }> = [];

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  acs = await startAcs(
    testAcsOptions(store, { log: (event, fields) => logs.push({ event, fields }) }),
  );
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function cpe(serialNumber: string): ScriptedCpe {
  return new ScriptedCpe(acs.url, { serialNumber });
}

describe('CWMP sessions over HTTP', () => {
  it('a first Inform creates the device; the empty POST ends the session with 204', async () => {
    const device = cpe('boot-1');
    const inform = await device.inform(['0 BOOTSTRAP', '1 BOOT'], [], { ID: 'abc' });
    assert.equal(inform.status, 200);
    assert.equal(inform.envelope?.body.method, 'InformResponse');
    assert.equal(inform.envelope?.header.ID, 'abc');
    assert.match(String(inform.headers['set-cookie']), /Path=\//);
    const end = await device.emptyPost();
    assert.equal(end.status, 204);
    const stored = await store.devices.get(device.deviceId);
    assert.equal(stored?.serialNumber, 'boot-1');
    assert.ok(stored?.lastBootstrapAt);
    const events = await store.devices.events(device.deviceId);
    assert.deepEqual(events.map((e) => e.code).sort(), ['0 BOOTSTRAP', '1 BOOT']);
    device.close();
  });

  it('keeps a password the device reports encrypted, never in clear', async () => {
    const device = cpe('psk-1');
    const psk = 'wifi-passphrase-in-clear-42';
    await device.inform(
      ['0 BOOTSTRAP'],
      [{ name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase', value: psk, type: 'string' }],
    );
    await device.emptyPost();
    const stored = await store.parameters.get(
      device.deviceId,
      'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
    );
    assert.equal(stored?.secret, true);
    assert.equal(stored?.value, null);
    assert.equal(
      (
        await store.parameters.reveal(
          device.deviceId,
          'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
        )
      )?.reveal(),
      psk,
    );
    const traces = await store.traces.sessions(device.deviceId);
    const trace = await store.traces.read(device.deviceId, traces[0]!.sessionId);
    assert.ok(trace?.messages.every((m) => !m.body.includes(psk)));
    device.close();
  });

  it('runs a queued getParameterValues and stores what the device answered', async () => {
    const device = cpe('gpv-1');
    await device.inform(['0 BOOTSTRAP']);
    await device.emptyPost();
    const task = await store.tasks.enqueue(device.deviceId, {
      args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
    });
    device.reset();
    await device.inform(['2 PERIODIC']);
    const request = await device.emptyPost();
    assert.equal(request.status, 200);
    assert.deepEqual(request.envelope?.body, {
      method: 'GetParameterValues',
      ParameterNames: ['Device.DeviceInfo.UpTime'],
    });
    const end = await device.answer(request, {
      method: 'GetParameterValuesResponse',
      ParameterList: [{ name: 'Device.DeviceInfo.UpTime', value: '4242', type: 'unsignedInt' }],
    });
    assert.equal(end.status, 204);
    assert.equal((await store.tasks.get(task.id))?.state, 'done');
    const uptime = await store.parameters.get(device.deviceId, 'Device.DeviceInfo.UpTime');
    assert.equal(uptime?.value, '4242');
    assert.equal(uptime?.type, 'unsignedInt');
    device.close();
  });

  it('records a CPE fault on the task and does not retry a permanent one', async () => {
    const device = cpe('spv-fault');
    await device.inform(['0 BOOTSTRAP']);
    await device.emptyPost();
    const task = await store.tasks.enqueue(device.deviceId, {
      args: {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.X.Bogus', value: 'v', type: 'string' }],
        parameterKey: 'k',
      },
    });
    device.reset();
    await device.inform(['2 PERIODIC']);
    const request = await device.emptyPost();
    assert.equal(request.envelope?.body.method, 'SetParameterValues');
    const end = await device.answer(request, {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9003,
      FaultString: 'Invalid arguments',
      SetParameterValuesFault: [
        { ParameterName: 'Device.X.Bogus', FaultCode: 9005, FaultString: 'Invalid parameter name' },
      ],
    });
    assert.equal(end.status, 204);
    const stored = await store.tasks.get(task.id);
    assert.equal(stored?.state, 'failed');
    assert.equal(stored?.fault?.code, 9003);
    assert.equal(stored?.fault?.permanent, true);
    device.close();
  });

  it('tracks a Download by CommandKey until TransferComplete arrives in a later session', async () => {
    const device = cpe('dl-1');
    await device.inform(['0 BOOTSTRAP']);
    await device.emptyPost();
    const task = await store.tasks.enqueue(device.deviceId, {
      args: {
        type: 'download',
        commandKey: 'fw-1',
        fileType: '1 Firmware Upgrade Image',
        url: 'http://127.0.0.1:9/fw.bin',
        username: 'u',
        password: new Secret('download-secret'),
        fileSize: 100,
        targetFileName: '',
        delaySeconds: 0,
        successUrl: '',
        failureUrl: '',
      },
    });
    device.reset();
    await device.inform(['2 PERIODIC']);
    const request = await device.emptyPost();
    assert.equal(request.envelope?.body.method, 'Download');
    const unknown = '0001-01-01T00:00:00Z';
    await device.answer(request, {
      method: 'DownloadResponse',
      Status: 1,
      StartTime: unknown,
      CompleteTime: unknown,
    });
    assert.equal((await store.tasks.get(task.id))?.state, 'awaiting');

    device.reset();
    await device.inform([
      { code: '1 BOOT', commandKey: '' },
      { code: '7 TRANSFER COMPLETE', commandKey: '' },
      { code: 'M Download', commandKey: 'fw-1' },
    ]);
    const ack = await device.send({
      method: 'TransferComplete',
      CommandKey: 'fw-1',
      FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: '2026-11-25T00:00:00Z',
      CompleteTime: '2026-11-25T00:01:00Z',
    });
    assert.equal(ack.envelope?.body.method, 'TransferCompleteResponse');
    assert.equal((await device.emptyPost()).status, 204);
    assert.equal((await store.tasks.get(task.id))?.state, 'done');

    // The password reached the CPE but not the trace.
    const sessions = await store.traces.sessions(device.deviceId);
    const bodies = (
      await Promise.all(sessions.map((s) => store.traces.read(device.deviceId, s.sessionId)))
    ).flatMap((t) => t?.messages.map((m) => m.body) ?? []);
    assert.ok(bodies.some((b) => b.includes('<cwmp:Download>')));
    assert.ok(!bodies.some((b) => b.includes('download-secret')));
    device.close();
  });

  it('tracks a ChangeDUState by CommandKey until DUStateChangeComplete', async () => {
    const device = cpe('du-1');
    await device.inform(['0 BOOTSTRAP']);
    await device.emptyPost();
    const task = await store.tasks.enqueue(device.deviceId, {
      args: {
        type: 'changeDUState',
        operations: [{ operation: 'install', url: 'http://127.0.0.1:9/app.ipk' }],
        commandKey: 'du-1',
      },
    });
    device.reset();
    await device.inform(['2 PERIODIC']);
    const request = await device.emptyPost();
    assert.equal(request.envelope?.body.method, 'ChangeDUState');
    assert.equal((await device.answer(request, { method: 'ChangeDUStateResponse' })).status, 204);
    assert.equal((await store.tasks.get(task.id))?.state, 'awaiting');
    device.reset();
    await device.inform([
      { code: '11 DU STATE CHANGE COMPLETE', commandKey: '' },
      { code: 'M ChangeDUState', commandKey: 'du-1' },
    ]);
    const ack = await device.send({
      method: 'DUStateChangeComplete',
      CommandKey: 'du-1',
      Results: [
        {
          UUID: '6f1a0c1e-0000-4000-8000-000000000001',
          DeploymentUnitRef: 'Device.SoftwareModules.DeploymentUnit.1.',
          Version: '1.0',
          CurrentState: 'Installed',
          Resolved: true,
          ExecutionUnitRefList: '',
          StartTime: '2026-11-25T00:00:00Z',
          CompleteTime: '2026-11-25T00:00:05Z',
          Fault: { FaultCode: 0 },
        },
      ],
    });
    assert.equal(ack.envelope?.body.method, 'DUStateChangeCompleteResponse');
    assert.equal((await device.emptyPost()).status, 204);
    assert.equal((await store.tasks.get(task.id))?.state, 'done');
    device.close();
  });

  it('keeps the session cookie out of logs and traces, which name the session by an id of its own', async () => {
    const device = cpe('cookie-secret-1');
    const inform = await device.inform(['1 BOOT']);
    const cookie = /corral_session=([0-9a-f]+)/.exec(String(inform.headers['set-cookie']))?.[1];
    assert.ok(cookie !== undefined && cookie.length === 32);
    assert.equal((await device.emptyPost()).status, 204);
    const [session] = await store.traces.sessions(device.deviceId);
    assert.ok(session !== undefined);
    assert.notEqual(session.sessionId, cookie);
    assert.ok(!session.sessionId.includes(cookie) && !cookie.includes(session.sessionId));
    assert.ok(logs.some((l) => l.fields.sessionId === session.sessionId));
    assert.ok(!JSON.stringify(logs).includes(cookie), 'the cookie is in no log line');
    device.close();
  });

  it('traces every message both ways, the ACS’s answers to the CPE’s own requests too', async () => {
    const device = cpe('trace-both-1');
    await device.inform(['1 BOOT']);
    await device.send({ method: 'GetRPCMethods' });
    await device.send({
      method: 'TransferComplete',
      CommandKey: 'no-such-transfer',
      FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: '2026-01-01T00:00:00Z',
      CompleteTime: '2026-01-01T00:01:00Z',
    });
    await device.post(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">' +
        '<soap:Header><cwmp:ID soap:mustUnderstand="1">x1</cwmp:ID></soap:Header>' +
        '<soap:Body><cwmp:X_ACME_NoSuchRpc/></soap:Body></soap:Envelope>',
    );
    assert.equal((await device.emptyPost()).status, 204);
    const [session] = await store.traces.sessions(device.deviceId);
    const trace = await store.traces.read(device.deviceId, session!.sessionId);
    const methods = (trace?.messages ?? []).map(
      (m) =>
        `${m.direction}:${/<(?:[\w-]+:)?(\w+)[ >/]/.exec(m.body.split('Body>')[1] ?? '')?.[1] ?? 'empty'}${m.httpStatus === null ? '' : ` ${m.httpStatus}`}`,
    );
    assert.deepEqual(methods, [
      'cpe-to-acs:Inform',
      'acs-to-cpe:InformResponse 200',
      'cpe-to-acs:GetRPCMethods',
      'acs-to-cpe:GetRPCMethodsResponse 200',
      'cpe-to-acs:TransferComplete',
      'acs-to-cpe:TransferCompleteResponse 200',
      'cpe-to-acs:X_ACME_NoSuchRpc',
      'acs-to-cpe:Fault 200',
      'cpe-to-acs:empty',
      'acs-to-cpe:empty 204',
    ]);
    device.close();
  });

  it('refuses a malformed message with 400, and a message outside any session with 401', async () => {
    const device = cpe('bad-1');
    const malformed = await device.post(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>',
    );
    assert.equal(malformed.status, 400);
    device.reset();
    const noSession = await device.emptyPost();
    assert.equal(noSession.status, 401);
    device.close();
  });
});
