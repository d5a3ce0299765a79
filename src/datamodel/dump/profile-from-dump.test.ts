import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataModel } from '../data-model.ts';
import { DataModelLoadError } from '../load-error.ts';
import { checkProfile } from '../profile.ts';
import { resolvePath } from '../resolve.ts';
import { readGenieacsCsv } from './genieacs-csv.ts';
import { readJsonDump } from './json-dump.ts';
import { profileFromDump } from './profile-from-dump.ts';

const IGD = 'InternetGatewayDevice';
const CSV = [
  'Parameter,Object,Writable,Value,Value type,Notification,Access list',
  'DeviceID.SerialNumber,false,false,"X1",xsd:string,,',
  'Events.1_BOOT,false,false,"2023-03-28T14:59:21.718Z",xsd:dateTime,,',
  `${IGD},true,false,,,,`,
  `${IGD}.DeviceSummary,false,false,"InternetGatewayDevice:1.4[](Baseline:1)",xsd:string,,`,
  `${IGD}.DeviceInfo,true,false,,,,`,
  `${IGD}.DeviceInfo.SoftwareVersion,false,false,"V9.1",xsd:string,,`,
  `${IGD}.DeviceInfo.FirstUseDate,false,false,"",xsd:dateTime,,`,
  `${IGD}.ManagementServer.ConnectionRequestPassword,false,true,"",xsd:string,,`,
  `${IGD}.LANDevice.1.Hosts.HostNumberOfEntries,false,false,"2",xsd:unsignedInt,,`,
  `${IGD}.LANDevice.1.Hosts.Host,true,false,,,,`,
  `${IGD}.LANDevice.1.Hosts.Host.1.IPAddress,false,false,"192.168.1.2",xsd:string,,`,
  `${IGD}.LANDevice.1.Hosts.Host.1.Active,false,false,"true",xsd:boolean,,`,
  `${IGD}.LANDevice.1.Hosts.Host.3.IPAddress,false,false,"192.168.1.5",xsd:string,,`,
  `${IGD}.LANDevice.1.Hosts.Host.3.HostName,false,false,"pc",,,`,
  `${IGD}.LANDevice.1.WLANConfiguration.1.SSID,false,true,"home",xsd:string,1,Subscriber`,
  `${IGD}.LANDevice.1.WLANConfiguration.2.SSID,false,true,"home5",xsd:string,,`,
  `${IGD}.LANDevice.1.WLANConfiguration.2.Channel,false,true,"36",xsd:unsignedInt,,`,
  `${IGD}.LANDevice.1.WLANConfiguration.1.Channel,false,false,"6",xsd:int,,`,
  `${IGD}.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping,true,true,,,,`,
  `${IGD}.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMappingNumberOfEntries,false,false,"0",xsd:unsignedInt,,`,
  `${IGD}.X_VENDOR_Empty,true,true,,,,`,
  `${IGD}.X_VENDOR_Tables,true,false,,,,`,
  `${IGD}.X_VENDOR_TablesNumberOfEntries,false,false,"0",xsd:unsignedInt,,`,
].join('\n');

describe('profileFromDump', () => {
  const { profile, warnings } = profileFromDump(readGenieacsCsv(CSV), { id: 'zte' });
  const model = new DataModel(profile.model);

  test('the data model: root, name from DeviceSummary, objects with parents first', () => {
    assert.equal(profile.model.name, 'InternetGatewayDevice:1.4');
    assert.equal(model.root, `${IGD}.`);
    assert.deepEqual(checkProfile(profile, { model }), []);
  });

  test('tables: numbered children, a NumberOfEntries counter, an empty writable object', () => {
    const tables = [...model.objects()].filter((o) => o.table).map((o) => o.path);
    assert.deepEqual(tables.sort(), [
      `${IGD}.LANDevice.{i}.`,
      `${IGD}.LANDevice.{i}.Hosts.Host.{i}.`,
      `${IGD}.LANDevice.{i}.WLANConfiguration.{i}.`,
      `${IGD}.WANDevice.{i}.`,
      `${IGD}.WANDevice.{i}.WANConnectionDevice.{i}.`,
      `${IGD}.WANDevice.{i}.WANConnectionDevice.{i}.WANIPConnection.{i}.`,
      `${IGD}.WANDevice.{i}.WANConnectionDevice.{i}.WANIPConnection.{i}.PortMapping.{i}.`,
      `${IGD}.X_VENDOR_Empty.{i}.`,
      `${IGD}.X_VENDOR_Tables.{i}.`,
    ]);
    assert.deepEqual(profile.instances[`${IGD}.LANDevice.1.Hosts.Host.`], [1, 3]);
    assert.deepEqual(
      profile.instances[`${IGD}.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.`],
      [],
    );
    // A writable table row means AddObject works there.
    assert.equal(model.object(`${IGD}.X_VENDOR_Empty.{i}.`)?.definition.access, 'readWrite');
    assert.equal(
      model.object(`${IGD}.LANDevice.{i}.Hosts.Host.{i}.`)?.definition.access,
      'readOnly',
    );
    assert.ok(model.parameter(`${IGD}.LANDevice.{i}.Hosts.HostNumberOfEntries`)?.counts);
  });

  test('parameters: union over instances, writable if any instance is, first type wins', () => {
    const host = model.object(`${IGD}.LANDevice.{i}.Hosts.Host.{i}.`)!;
    assert.deepEqual(
      host.parameters.map((p) => p.definition.name),
      ['IPAddress', 'Active', 'HostName'],
    );
    const channel = model.parameter(
      `${IGD}.LANDevice.{i}.WLANConfiguration.{i}.Channel`,
    )!.definition;
    assert.deepEqual([channel.access, channel.syntax.type], ['readWrite', 'unsignedInt']);
    assert.ok(
      warnings.some((w) => /Channel is int but .* unsignedInt/.test(w)),
      warnings.join('\n'),
    );
    assert.equal(
      model.parameter(`${IGD}.LANDevice.{i}.Hosts.Host.{i}.HostName`)?.definition.syntax.type,
      'string',
    );
  });

  test('what TR-069 implies: forcedInform, hidden passwords', () => {
    assert.equal(model.parameter(`${IGD}.DeviceSummary`)?.definition.forcedInform, true);
    assert.equal(
      model.parameter(`${IGD}.DeviceInfo.SoftwareVersion`)?.definition.forcedInform,
      true,
    );
    assert.equal(
      model.parameter(`${IGD}.ManagementServer.ConnectionRequestPassword`)?.definition.syntax
        .hidden,
      true,
    );
  });

  test('values as the device gave them, odd ones included; attributes kept', () => {
    assert.equal(profile.values[`${IGD}.DeviceInfo.FirstUseDate`], '');
    assert.equal(profile.values[`${IGD}.LANDevice.1.Hosts.Host.3.HostName`], 'pc');
    assert.deepEqual(profile.attributes?.[`${IGD}.LANDevice.1.WLANConfiguration.1.SSID`], {
      notification: 1,
      accessList: ['Subscriber'],
    });
    const exists = (t: string, n: number) => profile.instances[t]?.includes(n) === true;
    assert.equal(
      resolvePath(model, `${IGD}.LANDevice.1.Hosts.Host.3.HostName`, exists)?.kind,
      'parameter',
    );
    assert.equal(resolvePath(model, `${IGD}.LANDevice.1.Hosts.Host.2.`, exists), undefined);
  });

  test('rows outside the data model are skipped, and said so', () => {
    assert.ok(
      warnings.includes(
        'skipped 1 rows under DeviceID. (not the InternetGatewayDevice. data model)',
      ),
    );
    assert.ok(
      warnings.includes('skipped 1 rows under Events. (not the InternetGatewayDevice. data model)'),
    );
    assert.ok(warnings.includes('1 parameters had no type and were taken as strings'));
  });
});

test('a Device:2 JSON dump: model name from RootDataModelVersion', () => {
  const rows = readJsonDump([
    { name: 'Device.RootDataModelVersion', value: '2.12', type: 'string' },
    { name: 'Device.IP.Interface.1.Enable', value: 'true', type: 'boolean', writable: true },
    { name: 'Device.IP.Interface.2.Enable', value: 'false', type: 'boolean', writable: true },
    { name: 'Device.IP.Interface.2.', writable: true },
  ]);
  const { profile } = profileFromDump(rows, { id: 'd2' });
  assert.equal(profile.model.name, 'Device:2.12');
  assert.deepEqual(profile.instances['Device.IP.Interface.'], [1, 2]);
  assert.equal(
    new DataModel(profile.model).object('Device.IP.Interface.{i}.')?.definition.access,
    'readWrite',
  );
});

test('contradictions and dumps without a data model are typed errors', () => {
  const code = (f: () => unknown) => {
    try {
      f();
      return 'none';
    } catch (e) {
      assert.ok(e instanceof DataModelLoadError);
      return e.code;
    }
  };
  assert.equal(
    code(() => profileFromDump(readJsonDump({ 'Tags.x': [true, '1'] }), { id: 'x' })),
    'bad-dump',
  );
  assert.equal(
    code(() =>
      profileFromDump(
        readJsonDump([
          { name: 'Device.A', value: '1' },
          { name: 'Device.A.', object: true },
        ]),
        { id: 'x' },
      ),
    ),
    'bad-dump',
  );
  assert.equal(
    code(() => profileFromDump([{ path: 'Device.A.', object: false }], { id: 'x' })),
    'bad-dump',
  );
});
