import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataModelLoadError } from '../load-error.ts';
import { readJsonDump } from './json-dump.ts';

test('an array of rows; objects end in "." or say so; scalars become strings', () => {
  const rows = readJsonDump(
    JSON.stringify([
      { name: 'Device.IP.Interface.', writable: true },
      { name: 'Device.DeviceInfo.UpTime', value: 120, type: 'xsd:unsignedInt', writable: false },
      {
        name: 'Device.WiFi.SSID.1.SSID',
        value: 'home',
        type: 'string',
        writable: true,
        notification: 2,
        accessList: ['Subscriber'],
      },
      { path: 'Device.Hosts', object: true },
    ]),
  );
  assert.deepEqual(rows, [
    { path: 'Device.IP.Interface.', object: true, source: 'entry 1', writable: true },
    {
      path: 'Device.DeviceInfo.UpTime',
      object: false,
      source: 'entry 2',
      writable: false,
      value: '120',
      type: 'unsignedInt',
    },
    {
      path: 'Device.WiFi.SSID.1.SSID',
      object: false,
      source: 'entry 3',
      writable: true,
      value: 'home',
      type: 'string',
      notification: 2,
      accessList: ['Subscriber'],
    },
    { path: 'Device.Hosts', object: true, source: 'entry 4' },
  ]);
});

test("an object map, and genieacs-sim's [writable, value, type] map", () => {
  assert.deepEqual(readJsonDump({ 'Device.X': { value: true, type: 'boolean' } }), [
    { path: 'Device.X', object: false, source: 'Device.X', value: 'true', type: 'boolean' },
  ]);
  assert.deepEqual(
    readJsonDump(
      '{"Device.": [false], "Device.DeviceInfo.SerialNumber": [false, "CR1", "xsd:string"]}',
    ),
    [
      { path: 'Device.', object: true, source: 'Device.', writable: false },
      {
        path: 'Device.DeviceInfo.SerialNumber',
        object: false,
        source: 'Device.DeviceInfo.SerialNumber',
        writable: false,
        value: 'CR1',
        type: 'string',
      },
    ],
  );
});

test('typed errors naming the entry', () => {
  const fail = (input: unknown) => {
    try {
      readJsonDump(input);
      return 'none';
    } catch (e) {
      assert.ok(e instanceof DataModelLoadError);
      return `${e.code}:${e.location?.item ?? ''}`;
    }
  };
  assert.equal(fail('{not json'), 'json-syntax:');
  assert.equal(fail('42'), 'json-shape:');
  assert.equal(fail([{ value: 1 }]), 'json-shape:entry 1');
  assert.equal(fail([{ name: 'A.B', value: { nested: 1 } }]), 'json-shape:A.B');
  assert.equal(fail([{ name: 'A.B', writable: 'perhaps' }]), 'json-shape:A.B');
  assert.equal(fail([{ name: 'A.B', notification: 7 }]), 'json-shape:A.B');
  assert.equal(fail([{ name: 'A.B', accessList: 'Subscriber' }]), 'json-shape:A.B');
  assert.equal(fail({ 'A.B': 'plain' }), 'json-shape:A.B');
});
