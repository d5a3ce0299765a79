import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnder } from '../../../cwmp/path.ts';
import type { ParameterRecord } from '../../../store/parameters.ts';
import { type NeededPaths, neededPaths } from './needed-paths.ts';
import { planProvisioning } from './plan.ts';
import { ctx, preset, rec } from './testing.ts';

const SSID = 'Device.WiFi.SSID.';
const ssid = (n: number, name: string, enable = '1') => [
  rec(`${SSID}${n}.`),
  rec(`${SSID}${n}.SSID`, name),
  rec(`${SSID}${n}.Enable`, enable, 'boolean'),
];
/** A gateway's tree: what the presets below look at, amid much they do not. */
const TREE: ParameterRecord[] = [
  rec('Device.'),
  rec('Device.ManagementServer.'),
  rec('Device.ManagementServer.ParameterKey', ''),
  rec('Device.ManagementServer.PeriodicInformInterval', '3600', 'unsignedInt'),
  rec('Device.WiFi.'),
  rec(SSID),
  ...ssid(1, 'Main'),
  ...ssid(2, 'Old'),
  rec('Device.WiFi.Radio.1.'),
  rec('Device.WiFi.Radio.1.Channel', '6', 'unsignedInt'),
  rec('Device.DeviceInfo.'),
  rec('Device.DeviceInfo.UpTime', '12', 'unsignedInt', { valueAt: 0 }),
  rec('Device.DeviceInfo.ModelName', 'X1'),
  rec('Device.X_VENDOR.Country', 'FR'),
  ...Array.from({ length: 200 }, (_, i) =>
    rec(`Device.Hosts.Host.${i + 1}.IPAddress`, `10.0.0.${i}`),
  ),
];

const PRESETS = [
  preset(
    'base',
    {
      values: [
        { path: 'Device.ManagementServer.PeriodicInformInterval', value: 600 },
        { path: 'Device.WiFi.Radio.1.X_Unknown', value: 1 },
      ],
      attributes: [{ path: 'Device.WiFi.Radio.1.Channel', notification: 2 }],
      fresh: [{ path: 'Device.DeviceInfo.UpTime', maxAgeSeconds: 60 }],
    },
    { precondition: { parameter: 'Device.X_VENDOR.Country', op: 'eq', value: 'FR' } },
  ),
  preset(
    'guest',
    {
      instances: [{ object: SSID, keys: { SSID: 'Guest' }, values: { Enable: true } }],
      absentInstances: [{ object: SSID, keys: { SSID: 'Old' } }],
      values: [{ path: 'Device.Firewall.Enable', value: true }],
      addTags: ['wifi'],
    },
    { channel: 'wifi', weight: 5 },
  ),
];

/** `ParameterStore.list({ rows, paths: subtrees })`: a row is that row alone; a subtree is everything under it. */
function listed(rows: readonly ParameterRecord[], needed: NeededPaths): ParameterRecord[] {
  return rows.filter(
    (r) =>
      needed.rows.includes(r.path) ||
      needed.subtrees.some((p) => r.path === p || isUnder(r.path, p)),
  );
}

test('the planner plans the same from the needed part of the tree as from all of it', () => {
  const needed = neededPaths(PRESETS);
  assert.ok(needed !== null);
  const part = listed(TREE, needed);
  assert.ok(part.length < TREE.length / 4, `${part.length} of ${TREE.length} rows`);
  const whole = planProvisioning(PRESETS, ctx(TREE));
  assert.ok(whole.tasks.length >= 4, JSON.stringify(whole.tasks.map((t) => t.args.type)));
  assert.deepEqual(planProvisioning(PRESETS, ctx(part)), whole);
  // A declared parameter's parent: its own row, not its other parameters.
  assert.ok(part.some((r) => r.path === 'Device.DeviceInfo.'));
  assert.ok(!part.some((r) => r.path === 'Device.DeviceInfo.ModelName'));
  // The precondition's parameter is read: without it, `base` would not match.
  assert.ok(part.some((r) => r.path === 'Device.X_VENDOR.Country'));
  // A declared parameter the device lacks is still decided on its parent's listing.
  assert.ok(whole.diff.some((d) => d.kind === 'read' && d.path === 'Device.Firewall.'));
  assert.ok(
    whole.diff.some((d) => d.kind === 'unsupported' && d.path === 'Device.WiFi.Radio.1.X_Unknown'),
  );
});

test('a script may read anything: the whole tree', () => {
  assert.equal(neededPaths([...PRESETS, preset('s', {}, { script: 'declare.tag("x")' })]), null);
});

test('no preset: only the ParameterKey', () => {
  assert.deepEqual(neededPaths([]), {
    rows: [
      'Device.ManagementServer.ParameterKey',
      'InternetGatewayDevice.ManagementServer.ParameterKey',
    ],
    subtrees: [],
  });
});
