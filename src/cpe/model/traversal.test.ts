import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from './device-model.ts';
import { templateFor } from './template.ts';
import { childrenOf, concretePaths, entryOf, rootEntry, subtree } from './traversal.ts';

const d = new DeviceModel(templateFor(DEVICE2_GATEWAY));
const entry = (path: string) => entryOf(path, d.resolve(path)!);

test("children: parameters in definition order, then objects; a table's instances ascending", () => {
  assert.deepEqual(
    [...childrenOf(d, entry('Device.DNS.Client.'))].map((e) => `${e.kind} ${e.path}`),
    [
      'parameter Device.DNS.Client.Enable',
      'parameter Device.DNS.Client.Status',
      'parameter Device.DNS.Client.ServerNumberOfEntries',
      'table Device.DNS.Client.Server.',
    ],
  );
  assert.deepEqual(
    [...childrenOf(d, entry('Device.DNS.Client.Server.'))].map((e) => `${e.kind} ${e.path}`),
    ['instance Device.DNS.Client.Server.1.', 'instance Device.DNS.Client.Server.2.'],
  );
  assert.deepEqual([...childrenOf(d, entry('Device.DeviceInfo.UpTime'))], []);
  assert.deepEqual(
    [...childrenOf(d, rootEntry(d))]
      .filter((e) => e.kind !== 'parameter')
      .map((e) => e.path)
      .slice(0, 3),
    ['Device.DeviceInfo.', 'Device.ManagementServer.', 'Device.Time.'],
  );
});

test('subtree: depth first, the entry itself first', () => {
  const paths = [...subtree(d, entry('Device.DNS.Relay.'))].map((e) => e.path);
  assert.equal(paths[0], 'Device.DNS.Relay.');
  assert.equal(
    paths.indexOf('Device.DNS.Relay.Forwarding.1.'),
    paths.indexOf('Device.DNS.Relay.Forwarding.') + 1,
  );
  assert.ok(
    paths.indexOf('Device.DNS.Relay.Forwarding.1.Type') <
      paths.indexOf('Device.DNS.Relay.Forwarding.2.'),
  );
  assert.equal(paths.length, 1 + 3 + 1 + 2 * 7);
});

test('concretePaths expands every {i} over the instances that exist', () => {
  assert.deepEqual(
    [...concretePaths(d, 'Device.IP.Interface.{i}.IPv6Address.{i}.IPAddress')],
    [
      'Device.IP.Interface.1.IPv6Address.1.IPAddress',
      'Device.IP.Interface.1.IPv6Address.2.IPAddress',
      'Device.IP.Interface.2.IPv6Address.1.IPAddress',
    ],
  );
  assert.deepEqual([...concretePaths(d, 'Device.DeviceInfo.UpTime')], ['Device.DeviceInfo.UpTime']);
});
