import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { buildInform, deviceIdOf, informHeader } from './inform.ts';

describe('the Inform', () => {
  it('names the device from DeviceInfo and lists forced-inform parameters, then value changes', () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY), {
      'Device.DeviceInfo.SerialNumber': 'SN-9',
    });
    m.setAttributes(
      'Device.DeviceInfo.HostName',
      m.template.model.parameter('Device.DeviceInfo.HostName')!,
      {
        notification: 1,
      },
    );
    m.setLocalValue('Device.DeviceInfo.HostName', 'changed');
    const inform = buildInform({
      model: m,
      events: [{ code: '1 BOOT', commandKey: '' }],
      retryCount: 2,
      now: Date.UTC(2026, 4, 1, 12, 0, 0, 500),
    });
    assert.deepEqual(inform.DeviceId, {
      Manufacturer: 'Corral Networks',
      OUI: '02C0A1',
      ProductClass: 'HG2100',
      SerialNumber: 'SN-9',
    });
    assert.equal(inform.CurrentTime, '2026-05-01T12:00:00Z');
    assert.equal(inform.RetryCount, 2);
    assert.equal(inform.MaxEnvelopes, 1);
    const names = inform.ParameterList.map((p) => p.name);
    assert.ok(names.includes('Device.DeviceInfo.SoftwareVersion'));
    assert.ok(names.includes('Device.ManagementServer.ConnectionRequestURL'));
    assert.equal(names.at(-1), 'Device.DeviceInfo.HostName');
    assert.equal(deviceIdOf(new DeviceModel(templateFor(IGD_GATEWAY))).ProductClass, 'HG900');
  });

  it('sends at most 64 events', () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY));
    const events = Array.from({ length: 70 }, (_, i) => ({
      code: 'M Reboot',
      commandKey: `k${i}`,
    }));
    assert.equal(buildInform({ model: m, events, retryCount: 0, now: 0 }).Event.length, 64);
  });

  it('headers by version: 1.4 offers its versions in cwmp-1-2, 1.3 adds SessionTimeout only, 1.0 neither', () => {
    assert.deepEqual(informHeader('1.4', 'i', 30), {
      cwmpNamespace: 'urn:dslforum-org:cwmp-1-2',
      header: { ID: 'i', SessionTimeout: 30, SupportedCWMPVersions: '1.0,1.1,1.2,1.3,1.4' },
    });
    assert.deepEqual(informHeader('1.3', 'i', 30).header, { ID: 'i', SessionTimeout: 30 });
    assert.deepEqual(informHeader('1.0', 'i', 30), {
      cwmpNamespace: 'urn:dslforum-org:cwmp-1-0',
      header: { ID: 'i' },
    });
  });
});
