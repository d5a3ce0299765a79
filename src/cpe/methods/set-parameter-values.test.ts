import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type { ParameterValue } from '../../cwmp/parameter-value.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { setParameterValues } from './set-parameter-values.ts';

const device = () => new DeviceModel(templateFor(DEVICE2_GATEWAY));
const pv = (name: string, value: string, type = 'string'): ParameterValue => ({
  name,
  value,
  type,
});
const spv = (d: DeviceModel, list: ParameterValue[], key = 'key-1') =>
  setParameterValues(d, { method: 'SetParameterValues', ParameterList: list, ParameterKey: key });

function fault(f: () => unknown): CwmpFault {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CwmpFault, String(e));
    return e;
  }
  assert.fail('expected a CwmpFault');
}

const KEY = 'Device.ManagementServer.ParameterKey';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';

describe('SetParameterValues', () => {
  test('sets every value, stores the ParameterKey, Status 0', () => {
    const d = device();
    const r = spv(
      d,
      [
        pv(INTERVAL, '300', 'unsignedInt'),
        pv('Device.WiFi.SSID.1.SSID', 'Home'),
        pv('Device.WiFi.SSID.1.Enable', '0', 'boolean'),
      ],
      'job-42',
    );
    assert.deepEqual(r, { method: 'SetParameterValuesResponse', Status: 0 });
    assert.equal(d.getValue(INTERVAL), '300');
    assert.equal(d.getValue('Device.WiFi.SSID.1.SSID'), 'Home');
    assert.equal(d.getValue('Device.WiFi.SSID.1.Enable'), 'false');
    assert.equal(d.getValue(KEY), 'job-42');
  });

  test('Status 1 when a parameter changed takes effect only after a reboot', () => {
    const d = device();
    const r = spv(d, [
      pv('Device.IP.Interface.1.IPv4Address.1.IPAddress', '192.168.2.1'),
      pv(INTERVAL, '60'),
    ]);
    assert.equal(r.Status, 1);
    assert.equal(d.getValue('Device.IP.Interface.1.IPv4Address.1.IPAddress'), '192.168.2.1');
  });

  test('all or nothing: 9003 with one entry per failing parameter (9005, 9006, 9007, 9008), nothing applied', () => {
    const d = device();
    const f = fault(() =>
      spv(d, [
        pv('Device.WiFi.SSID.1.SSID', 'Changed'),
        pv('Device.DeviceInfo.Nope', 'x'),
        pv(INTERVAL, '60', 'boolean'),
        pv('Device.ManagementServer.CWMPRetryMinimumWaitInterval', '70000', 'unsignedInt'),
        pv('Device.DeviceInfo.UpTime', '5', 'unsignedInt'),
        pv('Device.WiFi.Radio.1.OperatingChannelBandwidth', '25MHz'),
        pv('Device.DeviceInfo.', ''),
      ]),
    );
    assert.equal(f.code, FaultCode.InvalidArguments);
    assert.equal(f.soapFaultCode, 'Client');
    assert.deepEqual(
      f.setParameterValuesFaults.map((x) => [x.parameterName, x.faultCode]),
      [
        ['Device.DeviceInfo.Nope', 9005],
        [INTERVAL, 9006],
        ['Device.ManagementServer.CWMPRetryMinimumWaitInterval', 9007],
        ['Device.DeviceInfo.UpTime', 9008],
        ['Device.WiFi.Radio.1.OperatingChannelBandwidth', 9007],
        ['Device.DeviceInfo.', 9005],
      ],
    );
    assert.match(
      f.setParameterValuesFaults[2]!.faultString,
      /^Invalid parameter value: 70000 is outside 1..65535/,
    );
    // Nothing was applied, the ParameterKey included.
    assert.equal(d.getValue('Device.WiFi.SSID.1.SSID'), 'Corral-2G');
    assert.equal(d.getValue(KEY), '');
    assert.deepEqual(d.overlaySize, { values: 0, tables: 0, attributes: 0, pending: 0 });
  });

  test('the reason never echoes a password', () => {
    const f = fault(() =>
      spv(device(), [pv('Device.WiFi.AccessPoint.1.Security.KeyPassphrase', 'short')]),
    );
    assert.deepEqual(f.setParameterValuesFaults, [
      {
        parameterName: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
        faultCode: 9007,
        faultString: 'Invalid parameter value',
      },
    ]);
  });

  test('the same parameter twice is 9003, nothing applied', () => {
    const d = device();
    const f = fault(() =>
      spv(d, [pv(INTERVAL, '60'), pv('Device.WiFi.SSID.1.SSID', 'a'), pv(INTERVAL, '70')]),
    );
    assert.equal(f.code, FaultCode.InvalidArguments);
    assert.deepEqual(f.setParameterValuesFaults, []);
    assert.equal(d.getValue(INTERVAL), '3600');
  });

  test('a ParameterKey over 32 characters is 9003; exactly 32 is fine', () => {
    const d = device();
    assert.equal(
      fault(() => spv(d, [pv(INTERVAL, '60')], 'k'.repeat(33))).code,
      FaultCode.InvalidArguments,
    );
    assert.equal(d.getValue(INTERVAL), '3600');
    spv(d, [pv(INTERVAL, '60')], 'k'.repeat(32));
    assert.equal(d.getValue(KEY), 'k'.repeat(32));
  });

  test('the ACS changing a value raises no value change; an empty list only stores the key', () => {
    const d = device();
    spv(d, [pv('Device.IP.Interface.2.IPv4Address.1.IPAddress', '198.51.100.50')]);
    assert.deepEqual(d.pendingValueChanges(), []);
    assert.equal(spv(d, [], 'empty').Status, 0);
    assert.equal(d.getValue(KEY), 'empty');
  });

  test('DiagnosticsState: Requested may be written, the CPE-only states may not', () => {
    const d = device();
    spv(d, [
      pv('Device.IP.Diagnostics.IPPing.Host', 'example.net'),
      pv('Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Requested'),
    ]);
    assert.equal(d.getValue('Device.IP.Diagnostics.IPPing.DiagnosticsState'), 'Requested');
    const f = fault(() =>
      spv(d, [pv('Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Complete')]),
    );
    assert.deepEqual(
      f.setParameterValuesFaults.map((x) => x.faultCode),
      [9007],
    );
  });

  test('writes to instances the ACS just added, and the parameters of a deleted one are gone', () => {
    const d = device();
    const n = d.addInstance('Device.NAT.PortMapping.');
    spv(d, [
      pv(`Device.NAT.PortMapping.${n}.ExternalPort`, '8080'),
      pv(`Device.NAT.PortMapping.${n}.Protocol`, 'UDP'),
    ]);
    assert.equal(d.getValue(`Device.NAT.PortMapping.${n}.ExternalPort`), '8080');
    d.deleteInstance('Device.NAT.PortMapping.1.');
    const f = fault(() => spv(d, [pv('Device.NAT.PortMapping.1.ExternalPort', '1')]));
    assert.deepEqual(
      f.setParameterValuesFaults.map((x) => x.faultCode),
      [9005],
    );
  });
});
