import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataModel } from './data-model.ts';
import { instanceNumber, resolvePath } from './resolve.ts';

const p = (name: string) => ({ name, access: 'readOnly', syntax: { type: 'string' } }) as const;
const dm = new DataModel({
  name: 'Device:2.17',
  objects: [
    {
      path: 'Device.',
      access: 'readOnly',
      minEntries: 1,
      maxEntries: 1,
      parameters: [p('RootDataModelVersion')],
    },
    { path: 'Device.IP.', access: 'readOnly', minEntries: 1, maxEntries: 1, parameters: [] },
    {
      path: 'Device.IP.Interface.{i}.',
      access: 'readWrite',
      minEntries: 0,
      maxEntries: 'unbounded',
      parameters: [p('Name')],
    },
    {
      path: 'Device.IP.Interface.{i}.IPv4Address.{i}.',
      access: 'readWrite',
      minEntries: 0,
      maxEntries: 'unbounded',
      parameters: [p('IPAddress')],
    },
  ],
});
const instances = new Map([
  ['Device.IP.Interface.', [1, 2]],
  ['Device.IP.Interface.2.IPv4Address.', [7]],
]);
const exists = (t: string, n: number) => instances.get(t)?.includes(n) === true;
const kind = (path: string) => resolvePath(dm, path, exists)?.kind ?? 'none';

test('resolves each kind of path', () => {
  assert.equal(kind('Device.'), 'object');
  assert.equal(kind('Device.RootDataModelVersion'), 'parameter');
  assert.equal(kind('Device.IP.'), 'object');
  assert.equal(kind('Device.IP.Interface.'), 'table');
  assert.equal(kind('Device.IP.Interface.2.'), 'instance');
  assert.equal(kind('Device.IP.Interface.2.Name'), 'parameter');
  assert.equal(kind('Device.IP.Interface.2.IPv4Address.7.IPAddress'), 'parameter');
  const r = resolvePath(dm, 'Device.IP.Interface.2.IPv4Address.7.', exists);
  assert.deepEqual(r?.kind === 'instance' ? [r.schemaPath, r.table, r.instance] : r, [
    'Device.IP.Interface.{i}.IPv4Address.{i}.',
    'Device.IP.Interface.2.IPv4Address.',
    7,
  ]);
  assert.equal(resolvePath(dm, 'Device.IP.Interface.', exists)?.schemaPath, 'Device.IP.Interface.');
});

test('names nothing for missing instances, wrong forms and unsupported addressing', () => {
  for (const path of [
    '',
    'Device',
    'InternetGatewayDevice.',
    'Device.IP',
    'Device.IP.Interface',
    'Device.IP.Interface.3.',
    'Device.IP.Interface.1.IPv4Address.7.IPAddress',
    'Device.IP.Interface.02.',
    'Device.IP.Interface.0.',
    'Device.IP.Interface.2.Name.',
    'Device.IP.Interface.2',
    'Device.IP.Interface.Name',
    'Device.IP.Interface.*.Name',
    'Device.IP.Interface.[cpe-lan].Name',
    'Device.IP.Nope.',
    'Device.IP.Interface.2.IPv4Address.7.IPAddress.',
  ]) {
    assert.equal(kind(path), 'none', path);
  }
});

test('instanceNumber: digits without a leading zero, 1..2^32-1', () => {
  assert.equal(instanceNumber('1'), 1);
  assert.equal(instanceNumber('4294967295'), 4294967295);
  assert.equal(instanceNumber('4294967296'), undefined);
  assert.equal(instanceNumber('0'), undefined);
  assert.equal(instanceNumber('01'), undefined);
  assert.equal(instanceNumber('1a'), undefined);
  assert.equal(instanceNumber(''), undefined);
});
