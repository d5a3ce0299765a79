import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataModelLoadError } from '../load-error.ts';
import { readGenieacsCsv } from './genieacs-csv.ts';

const HEADER =
  'Parameter,Object,Object timestamp,Writable,Writable timestamp,Value,Value type,Value timestamp,Notification,Notification timestamp,Access list,Access list timestamp';
const T = '2023-03-28T15:39:56.053Z';

test('reads the twelve-column export: objects, values, types, notification, access list', () => {
  const rows = readGenieacsCsv(
    [
      HEADER,
      `DeviceID.OUI,false,${T},false,${T},"C0B101",xsd:string,${T},,,,`,
      `InternetGatewayDevice.LANDevice,true,${T},false,${T},"",,,,,,`,
      `InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID,false,${T},true,${T},"my ""net"", 2G",xsd:string,${T},1,${T},"Subscriber",${T}`,
      `InternetGatewayDevice.DeviceInfo.UpTime,false,${T},false,${T},"2468",xsd:unsignedInt,${T},0,${T},,`,
    ].join('\n'),
  );
  assert.deepEqual(rows, [
    {
      path: 'DeviceID.OUI',
      object: false,
      source: 'line 2',
      writable: false,
      value: 'C0B101',
      type: 'string',
    },
    { path: 'InternetGatewayDevice.LANDevice', object: true, source: 'line 3', writable: false },
    {
      path: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID',
      object: false,
      source: 'line 4',
      writable: true,
      value: 'my "net", 2G',
      type: 'string',
      notification: 1,
      accessList: ['Subscriber'],
    },
    {
      path: 'InternetGatewayDevice.DeviceInfo.UpTime',
      object: false,
      source: 'line 5',
      writable: false,
      value: '2468',
      type: 'unsignedInt',
      notification: 0,
    },
  ]);
});

test('reads the older five-column form genieacs-sim ships', () => {
  const rows = readGenieacsCsv(
    'Parameter,Object,Writable,Value,Value type\nInternetGatewayDevice,true,false,,\nInternetGatewayDevice.DeviceInfo.Manufacturer,false,false,"Huawei Technologies Co., Ltd.",xsd:string\n',
  );
  assert.deepEqual(
    rows.map((r) => [r.path, r.object, r.value]),
    [
      ['InternetGatewayDevice', true, undefined],
      ['InternetGatewayDevice.DeviceInfo.Manufacturer', false, 'Huawei Technologies Co., Ltd.'],
    ],
  );
});

test('refuses what is not such a dump, saying where', () => {
  const fail = (text: string) => {
    try {
      readGenieacsCsv(text);
      return 'none';
    } catch (e) {
      assert.ok(e instanceof DataModelLoadError);
      return `${e.code}@${e.location?.line}`;
    }
  };
  assert.equal(fail('Name,Value\nx,1'), 'csv-header@1');
  assert.equal(
    fail('Parameter,Object,Writable,Value,Value type\nX.Y,maybe,false,1,xsd:int'),
    'csv-syntax@2',
  );
  assert.equal(
    fail('Parameter,Object,Writable,Value,Value type,Notification\nX.Y,false,false,1,xsd:int,9'),
    'csv-syntax@2',
  );
  assert.equal(
    fail('Parameter,Object,Writable,Value,Value type\n,false,false,1,xsd:int'),
    'csv-syntax@2',
  );
});
