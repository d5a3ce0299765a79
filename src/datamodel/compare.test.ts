import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareToReference } from './compare.ts';
import { DataModel } from './data-model.ts';
import type { DataModelDefinition, ParameterDefinition } from './definition.ts';

function model(
  params: ParameterDefinition[],
  tableAccess: 'readOnly' | 'readWrite' = 'readOnly',
): DataModel {
  const def: DataModelDefinition = {
    name: 'Device:2.17',
    objects: [
      { path: 'Device.', access: 'readOnly', minEntries: 1, maxEntries: 1, parameters: params },
      {
        path: 'Device.T.{i}.',
        access: tableAccess,
        minEntries: 0,
        maxEntries: 'unbounded',
        parameters: [],
      },
    ],
  };
  return new DataModel(def);
}

const reference = model([
  {
    name: 'Mode',
    access: 'readWrite',
    syntax: { type: 'string', enumerations: [{ value: 'A' }, { value: 'B' }] },
  },
  {
    name: 'Port',
    access: 'readWrite',
    syntax: { type: 'unsignedInt', ranges: [{ min: 0, max: 65535 }] },
  },
  {
    name: 'Name',
    access: 'readOnly',
    syntax: { type: 'string', sizes: [{ maxLength: 64 }] },
    forcedInform: true,
  },
  {
    name: 'Key',
    access: 'readWrite',
    syntax: { type: 'string', hidden: true },
    activeNotify: 'canDeny',
  },
]);

test('a faithful subset with narrower facets agrees', () => {
  const own = model([
    {
      name: 'Mode',
      access: 'readWrite',
      syntax: { type: 'string', enumerations: [{ value: 'A' }] },
    },
    {
      name: 'Port',
      access: 'readWrite',
      syntax: { type: 'unsignedInt', ranges: [{ min: 1024, max: 2048 }] },
    },
    {
      name: 'Name',
      access: 'readOnly',
      syntax: { type: 'string', sizes: [{ maxLength: 32 }] },
      forcedInform: true,
    },
  ]);
  assert.deepEqual(compareToReference(own, reference), []);
});

test('every departure is reported', () => {
  const own = model(
    [
      {
        name: 'Mode',
        access: 'readOnly',
        syntax: { type: 'string', enumerations: [{ value: 'C' }] },
      },
      {
        name: 'Port',
        access: 'readWrite',
        syntax: { type: 'int', ranges: [{ min: -1, max: 70000 }] },
      },
      { name: 'Name', access: 'readOnly', syntax: { type: 'string', list: {} } },
      { name: 'Key', access: 'readWrite', syntax: { type: 'string' } },
      { name: 'Extra', access: 'readOnly', syntax: { type: 'string' } },
    ],
    'readWrite',
  );
  assert.deepEqual(
    compareToReference(own, reference).map((m) => `${m.path}: ${m.message}`),
    [
      'Device.Mode: access readOnly, reference readWrite',
      'Device.Mode: enumeration values not in the reference: C',
      'Device.Port: type int, reference unsignedInt',
      "Device.Port: range -1..70000 wider than the reference's",
      'Device.Name: forcedInform false, reference true',
      'Device.Name: a list, reference is not',
      'Device.Name: maxLength Infinity, reference 64',
      'Device.Key: activeNotify normal, reference canDeny',
      'Device.Key: hidden false, reference true',
      'Device.Extra: no such parameter in Device:2.17',
      'Device.T.{i}.: AddObject/DeleteObject allowed, the reference says readOnly',
    ],
  );
});
