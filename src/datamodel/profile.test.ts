import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataModelDefinition } from './definition.ts';
import { checkProfile, type DeviceProfile, profileFromDefinition } from './profile.ts';

const model: DataModelDefinition = {
  name: 'Device:2.17',
  objects: [
    {
      path: 'Device.',
      access: 'readOnly',
      minEntries: 1,
      maxEntries: 1,
      parameters: [{ name: 'Count', access: 'readOnly', syntax: { type: 'unsignedInt' } }],
    },
    {
      path: 'Device.T.{i}.',
      access: 'readWrite',
      minEntries: 0,
      maxEntries: 'unbounded',
      parameters: [{ name: 'On', access: 'readWrite', syntax: { type: 'boolean' } }],
    },
  ],
};

test('a profile from a definition has every table empty and no values but the model version', () => {
  const p = profileFromDefinition(model, 'all');
  assert.deepEqual([p.instances, p.values], [{}, {}]);
  assert.deepEqual(checkProfile(p, { strictValues: true }), []);
  const versioned = profileFromDefinition(
    {
      name: 'Device:2.17',
      objects: [
        {
          ...model.objects[0]!,
          parameters: [
            { name: 'RootDataModelVersion', access: 'readOnly', syntax: { type: 'string' } },
          ],
        },
      ],
    },
    'v',
  );
  assert.deepEqual(versioned.values, { 'Device.RootDataModelVersion': '2.17' });
});

test('checkProfile names every problem with its path', () => {
  const p: DeviceProfile = {
    id: 'broken',
    description: '',
    model,
    instances: { 'Device.T.': [1, 1, 0], 'Device.Count.': [1] },
    values: {
      'Device.Count': '-3',
      'Device.T.1.On': '1',
      'Device.T.2.On': 'true',
      'Device.Nope': 'x',
    },
    attributes: { 'Device.Count': { notification: 9 }, 'Device.Gone': {} },
  };
  const issues = checkProfile(p, { strictValues: true }).map((i) => `${i.path}: ${i.message}`);
  assert.deepEqual(issues, [
    'Device.T.: instance numbers must be integers 1..4294967295',
    'Device.T.: an instance number is listed twice',
    'Device.Count.: not a table of the data model (or inside an instance that does not exist)',
    'Device.Count: invalid value "-3": -3 is out of range 0..4294967295',
    'Device.T.1.On: value "1" is not canonical ("true")',
    'Device.T.2.On: no such parameter (or inside an instance that does not exist)',
    'Device.Nope: no such parameter (or inside an instance that does not exist)',
    'Device.Count: notification 9 is not 0..6',
    'Device.Gone: attributes for a parameter that does not exist',
  ]);
  // Without strictValues, a device's odd values are its own business.
  assert.equal(checkProfile(p).filter((i) => i.path === 'Device.Count').length, 1);
});
