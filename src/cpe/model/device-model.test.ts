import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from './device-model.ts';
import { DeviceTemplate, ProfileError, templateFor } from './template.ts';

const template = templateFor(DEVICE2_GATEWAY);
const fresh = (initial: Record<string, string> = {}) => new DeviceModel(template, initial);

/** What an ACS's SetParameterValues does to the model, one parameter. */
function acsSet(d: DeviceModel, path: string, value: string): void {
  const c = d.checkAcsWrite(path, value);
  assert.ok(c.ok, c.ok ? '' : c.reason);
  d.applyAcsValues([c]);
}

function faultOf(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CwmpFault, String(e));
    return e.code;
  }
  return undefined;
}

const SSID = 'Device.WiFi.SSID.1.SSID';
const MAPPINGS = 'Device.NAT.PortMapping.';

describe('copy-on-write over the shared template', () => {
  test("two devices of one profile do not see each other's changes", () => {
    const a = fresh();
    const b = fresh();
    acsSet(a, SSID, 'Alpha');
    a.addInstance(MAPPINGS);
    a.deleteInstance('Device.Users.User.2.');
    assert.equal(a.getValue(SSID), 'Alpha');
    assert.equal(b.getValue(SSID), 'Corral-2G');
    assert.deepEqual(a.instances(MAPPINGS), [1, 2, 3]);
    assert.deepEqual(b.instances(MAPPINGS), [1, 2]);
    assert.equal(b.resolve('Device.Users.User.2.')?.kind, 'instance');
    assert.equal(template.value(SSID), 'Corral-2G');
    assert.deepEqual(template.instances(MAPPINGS), [1, 2]);
  });

  test("an idle device holds nothing; a value set back to the template's is forgotten", () => {
    const d = fresh();
    assert.deepEqual(d.overlaySize, { values: 0, tables: 0, attributes: 0, pending: 0 });
    acsSet(d, SSID, 'Other');
    assert.equal(d.overlaySize.values, 1);
    acsSet(d, SSID, 'Corral-2G');
    assert.equal(d.overlaySize.values, 0);
  });

  test('initial values set one device apart; an unknown path is a programming error', () => {
    const d = fresh({ 'Device.DeviceInfo.SerialNumber': 'CRL00000000042' });
    assert.equal(d.getValue('Device.DeviceInfo.SerialNumber'), 'CRL00000000042');
    assert.equal(fresh().getValue('Device.DeviceInfo.SerialNumber'), 'CRL00000000001');
    assert.throws(() => fresh({ 'Device.Nope': 'x' }), /no such parameter/);
    assert.throws(() => fresh({ 'Device.DeviceInfo.UpTime': 'x' }), /not a decimal integer/);
  });

  test('a broken profile is refused with every issue listed', () => {
    const broken = {
      ...DEVICE2_GATEWAY,
      values: { ...DEVICE2_GATEWAY.values, 'Device.Nope': '1', 'Device.DeviceInfo.UpTime': 'x' },
    };
    assert.throws(
      () => new DeviceTemplate(broken, { strictValues: true }),
      (e: unknown) =>
        e instanceof ProfileError && e.issues.length === 2 && /Device\.Nope/.test(e.message),
    );
    // Without strictValues a device keeps odd values, as a dump of a real one may.
    assert.equal(
      new DeviceModel(
        new DeviceTemplate({ ...broken, values: { 'Device.DeviceInfo.UpTime': 'x' } }),
      ).getValue('Device.DeviceInfo.UpTime'),
      'x',
    );
  });
});

describe('instances', () => {
  test("numbers are never reused, on the template's instances or the device's own", () => {
    const d = fresh();
    assert.equal(d.addInstance(MAPPINGS), 3);
    d.deleteInstance(`${MAPPINGS}3.`);
    assert.equal(d.addInstance(MAPPINGS), 4);
    d.deleteInstance(`${MAPPINGS}2.`);
    assert.equal(d.addInstance(MAPPINGS), 5);
    assert.deepEqual(d.instances(MAPPINGS), [1, 4, 5]);
  });

  test('a new instance starts with defaults and a cpe- Alias; nested tables start empty and can be added to', () => {
    const d = fresh();
    const n = d.addInstance('Device.IP.Interface.');
    assert.equal(n, 3);
    assert.equal(d.getValue('Device.IP.Interface.3.Enable'), 'false');
    assert.equal(d.getValue('Device.IP.Interface.3.Status'), 'Down');
    assert.equal(d.getValue('Device.IP.Interface.3.Alias'), 'cpe-3');
    assert.equal(d.getValue('Device.IP.Interface.3.MaxMTUSize'), '1500');
    assert.equal(d.getValue('Device.IP.Interface.3.Stats.BytesSent'), '0');
    assert.deepEqual(d.instances('Device.IP.Interface.3.IPv4Address.'), []);
    assert.equal(d.addInstance('Device.IP.Interface.3.IPv4Address.'), 1);
    assert.equal(d.getValue('Device.IP.Interface.3.IPv4AddressNumberOfEntries'), '1');
    assert.equal(d.getValue('Device.IP.Interface.3.IPv4Address.1.AddressingType'), 'Static');
  });

  test('deleting takes everything below with it, including what the device changed there', () => {
    const d = fresh();
    acsSet(d, `${MAPPINGS}1.Description`, 'changed');
    d.deleteInstance(`${MAPPINGS}1.`);
    assert.equal(d.resolve(`${MAPPINGS}1.Description`), undefined);
    assert.equal(
      faultOf(() => d.getValue(`${MAPPINGS}1.Description`)),
      FaultCode.InvalidParameterName,
    );
    assert.equal(d.overlaySize.values, 0);
    d.deleteInstance('Device.IP.Interface.1.');
    assert.equal(d.resolve('Device.IP.Interface.1.IPv4Address.1.IPAddress'), undefined);
  });

  test('NumberOfEntries counts what exists, never a stored value', () => {
    const d = fresh();
    assert.equal(d.getValue('Device.NAT.PortMappingNumberOfEntries'), '2');
    d.addInstance(MAPPINGS);
    assert.equal(d.getValue('Device.NAT.PortMappingNumberOfEntries'), '3');
    assert.equal(d.getValue('Device.DNS.Relay.ForwardNumberOfEntries'), '2');
    assert.equal(
      faultOf(() => d.setLocalValue('Device.NAT.PortMappingNumberOfEntries', '9')),
      FaultCode.NonWritableParameter,
    );
  });

  test('the ACS may add only to readWrite tables, within maxEntries, and keep minEntries', () => {
    const d = fresh();
    assert.equal(
      faultOf(() => d.addInstance('Device.Hosts.Host.')),
      FaultCode.InvalidParameterName,
    );
    assert.equal(
      faultOf(() => d.deleteInstance('Device.Hosts.Host.1.')),
      FaultCode.InvalidParameterName,
    );
    assert.equal(d.addInstance('Device.Hosts.Host.', 'device'), 5);
    d.deleteInstance('Device.Hosts.Host.4.', 'device');
    for (let i = 3; i <= 32; i++) d.addInstance(MAPPINGS);
    assert.equal(
      faultOf(() => d.addInstance(MAPPINGS)),
      FaultCode.ResourcesExceeded,
    );
    assert.equal(
      faultOf(() => d.deleteInstance('Device.DHCPv4.Client.1.')),
      FaultCode.RequestDenied,
    );
    assert.equal(
      faultOf(() => d.addInstance('Device.DeviceInfo.')),
      FaultCode.InvalidParameterName,
    );
    assert.equal(
      faultOf(() => d.deleteInstance(MAPPINGS)),
      FaultCode.InvalidParameterName,
    );
  });
});

describe('values and writability', () => {
  test('hidden, secured and command parameters read as null; the device still knows them', () => {
    const d = fresh();
    const read = (path: string) => {
      const r = d.resolve(path);
      assert.equal(r?.kind, 'parameter');
      return r?.kind === 'parameter' ? d.readForAcs(path, r.node) : undefined;
    };
    assert.deepEqual(read('Device.ManagementServer.Password'), {
      name: 'Device.ManagementServer.Password',
      value: '',
      type: 'string',
    });
    assert.equal(d.getValue('Device.ManagementServer.Password'), 'corral-acs-secret');
    assert.equal(read('Device.WiFi.AccessPoint.1.Security.KeyPassphrase')?.value, '');
    assert.deepEqual(read('Device.IP.Interface.1.Reset'), {
      name: 'Device.IP.Interface.1.Reset',
      value: 'false',
      type: 'boolean',
    });
    assert.equal(read('Device.DHCPv4.Server.Pool.1.DNSServers')?.type, 'string');
    assert.equal(read('Device.DeviceInfo.UpTime')?.type, 'unsignedInt');
  });

  test('checkAcsWrite: 9005, 9008, 9006, 9007, and the canonical value', () => {
    const d = fresh();
    const check = (path: string, value: string, type?: string) => {
      const c = d.checkAcsWrite(path, value, type);
      return c.ok ? c.value : c.faultCode;
    };
    assert.equal(check('Device.Nope', '1'), FaultCode.InvalidParameterName);
    assert.equal(check('Device.DeviceInfo.', '1'), FaultCode.InvalidParameterName);
    assert.equal(check('Device.DeviceInfo.UpTime', '1'), FaultCode.NonWritableParameter);
    assert.equal(
      check('Device.ManagementServer.PeriodicInformInterval', '60', 'boolean'),
      FaultCode.InvalidParameterType,
    );
    assert.equal(
      check('Device.ManagementServer.PeriodicInformInterval', '0'),
      FaultCode.InvalidParameterValue,
    );
    assert.equal(check('Device.ManagementServer.PeriodicInformInterval', '060', 'string'), '60');
    assert.equal(
      check('Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Complete'),
      FaultCode.InvalidParameterValue,
    );
  });

  test('writeOnceReadOnly: the ACS may set an Alias once', () => {
    const d = fresh();
    const n = d.addInstance(MAPPINGS);
    acsSet(d, `${MAPPINGS}${n}.Alias`, 'game-server');
    const again = d.checkAcsWrite(`${MAPPINGS}${n}.Alias`, 'other');
    assert.equal(again.ok ? 0 : again.faultCode, FaultCode.NonWritableParameter);
    assert.equal(fresh().checkAcsWrite(`${MAPPINGS}1.Alias`, 'x').ok, true);
  });

  test('a device with strictXsiTypes refuses xsd:string for a number', () => {
    const strict = new DeviceModel(
      new DeviceTemplate({ ...DEVICE2_GATEWAY, strictXsiTypes: true }),
    );
    const c = strict.checkAcsWrite(
      'Device.ManagementServer.PeriodicInformInterval',
      '60',
      'string',
    );
    assert.equal(c.ok ? 0 : c.faultCode, FaultCode.InvalidParameterType);
  });

  test('ParameterKey is written past its read-only access', () => {
    const d = fresh();
    d.setParameterKey('job-17');
    assert.equal(d.getValue('Device.ManagementServer.ParameterKey'), 'job-17');
  });
});

describe('notification and value changes', () => {
  const WAN_IP = 'Device.IP.Interface.2.IPv4Address.1.IPAddress';

  test('attributes: profile values, data-model defaults, forceEnabled stays active', () => {
    const d = fresh();
    const n = (path: string) => {
      const r = d.resolve(path);
      assert.equal(r?.kind, 'parameter');
      return r?.kind === 'parameter' ? d.notification(path, r.node) : -1;
    };
    assert.equal(n('Device.DeviceInfo.UpTime'), 0);
    assert.equal(n(WAN_IP), 2);
    assert.equal(n('Device.WiFi.SSID.1.Enable'), 1);
    assert.equal(n('Device.ManagementServer.ConnectionRequestURL'), 2);
    assert.equal(n('Device.DeviceInfo.SoftwareVersion'), 2);
    const sw = d.resolve('Device.DeviceInfo.SoftwareVersion');
    if (sw?.kind === 'parameter')
      d.setAttributes('Device.DeviceInfo.SoftwareVersion', sw.node, { notification: 0 });
    assert.equal(n('Device.DeviceInfo.SoftwareVersion'), 2);
    const cr = d.resolve('Device.ManagementServer.ConnectionRequestURL');
    if (cr?.kind === 'parameter')
      d.setAttributes('Device.ManagementServer.ConnectionRequestURL', cr.node, { notification: 0 });
    assert.equal(n('Device.ManagementServer.ConnectionRequestURL'), 0);
    assert.deepEqual(d.accessList(SSID), ['Subscriber']);
    assert.deepEqual(d.accessList('Device.DeviceInfo.UpTime'), []);
  });

  test('a change by the device on a notified parameter is pending; active ones call for a session', () => {
    const d = fresh();
    assert.equal(d.setLocalValue('Device.DeviceInfo.UpTime', '90000'), true);
    assert.deepEqual(d.pendingValueChanges(), []);
    d.setLocalValue('Device.WiFi.SSID.1.Enable', 'false', 'subscriber');
    assert.deepEqual(d.pendingValueChanges(), [
      { name: 'Device.WiFi.SSID.1.Enable', value: 'false', type: 'boolean' },
    ]);
    assert.equal(d.activeValueChangePending, false);
    d.setLocalValue(WAN_IP, '198.51.100.99');
    assert.equal(d.activeValueChangePending, true);
    // Several changes collapse into one entry with the latest value.
    d.setLocalValue(WAN_IP, '198.51.100.100');
    assert.deepEqual(
      d.pendingValueChanges().map((p) => p.value),
      ['false', '198.51.100.100'],
    );
    d.clearValueChanges([WAN_IP]);
    assert.equal(d.activeValueChangePending, false);
    assert.equal(d.pendingValueChanges().length, 1);
    d.clearValueChanges();
    assert.deepEqual(d.overlaySize.pending, 0);
  });

  test('no change, no notification; an ACS change drops a pending one', () => {
    const d = fresh();
    assert.equal(d.setLocalValue(WAN_IP, '198.51.100.23'), false);
    assert.deepEqual(d.pendingValueChanges(), []);
    d.setLocalValue('Device.WiFi.SSID.1.Enable', 'false', 'subscriber');
    acsSet(d, 'Device.WiFi.SSID.1.Enable', 'true');
    assert.deepEqual(d.pendingValueChanges(), []);
  });

  test('the subscriber is held to AccessList and access; the device is not', () => {
    const d = fresh();
    assert.equal(d.setLocalValue(SSID, 'Renamed', 'subscriber'), true);
    assert.equal(
      faultOf(() => d.setLocalValue('Device.WiFi.SSID.2.Enable', 'false', 'subscriber')),
      FaultCode.RequestDenied,
    );
    assert.equal(
      faultOf(() => d.setLocalValue('Device.DeviceInfo.UpTime', '1', 'subscriber')),
      FaultCode.NonWritableParameter,
    );
    assert.equal(
      faultOf(() => d.setLocalValue('Device.DeviceInfo.UpTime', 'soon')),
      FaultCode.InvalidParameterValue,
    );
    assert.equal(
      faultOf(() => d.setLocalValue('Device.Nope', '1')),
      FaultCode.InvalidParameterName,
    );
    d.setLocalValue('Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Complete');
    assert.equal(d.getValue('Device.IP.Diagnostics.IPPing.DiagnosticsState'), 'Complete');
  });

  test('a forceEnabled parameter changing is an active value change', () => {
    const d = fresh();
    d.setLocalValue('Device.DeviceInfo.SoftwareVersion', '4.3.0');
    assert.equal(d.activeValueChangePending, true);
  });

  test('a table the device changes changes its counter too', () => {
    const d = fresh();
    const counter = d.resolve('Device.Hosts.HostNumberOfEntries');
    if (counter?.kind === 'parameter')
      d.setAttributes('Device.Hosts.HostNumberOfEntries', counter.node, { notification: 1 });
    d.addInstance('Device.Hosts.Host.', 'device');
    assert.deepEqual(d.pendingValueChanges(), [
      { name: 'Device.Hosts.HostNumberOfEntries', value: '5', type: 'unsignedInt' },
    ]);
    const acs = fresh();
    if (counter?.kind === 'parameter')
      acs.setAttributes(
        'Device.NAT.PortMappingNumberOfEntries',
        acs.resolve('Device.NAT.PortMappingNumberOfEntries')!.node as never,
        { notification: 1 },
      );
    acs.addInstance(MAPPINGS, 'acs');
    assert.deepEqual(acs.pendingValueChanges(), []);
  });

  test('deleting an instance forgets its attributes and pending changes', () => {
    const d = fresh();
    d.setLocalValue('Device.WiFi.SSID.1.Enable', 'false', 'subscriber');
    d.deleteInstance('Device.WiFi.SSID.1.');
    assert.deepEqual(d.overlaySize.pending, 0);
    assert.deepEqual(d.pendingValueChanges(), []);
  });
});
