import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataModel, DataModelError, parentObjectPath } from './data-model.ts';
import type { DataModelDefinition, ObjectDefinition } from './definition.ts';

const uint = { type: 'unsignedInt' } as const;

function obj(
  path: string,
  params: string[] = [],
  extra: Partial<ObjectDefinition> = {},
): ObjectDefinition {
  const table = path.endsWith('{i}.');
  return {
    path,
    access: 'readOnly',
    minEntries: table ? 0 : 1,
    maxEntries: table ? 'unbounded' : 1,
    parameters: params.map((name) => ({ name, access: 'readOnly', syntax: uint })),
    ...extra,
  };
}

const definition: DataModelDefinition = {
  name: 'Device:2.17',
  objects: [
    obj('Device.'),
    obj('Device.DNS.'),
    obj('Device.DNS.Relay.', ['ForwardNumberOfEntries']),
    obj('Device.DNS.Relay.Forwarding.{i}.', ['Enable'], {
      numEntriesParameter: 'ForwardNumberOfEntries',
    }),
    obj('Device.IP.', ['InterfaceNumberOfEntries']),
    obj('Device.IP.Interface.{i}.', ['Enable']),
    obj('Device.IP.Interface.{i}.Stats.', ['BytesSent']),
  ],
};

describe('DataModel', () => {
  test('indexes objects and parameters by schema path, children in order', () => {
    const dm = new DataModel(definition);
    assert.equal(dm.root, 'Device.');
    assert.equal(dm.objectCount, 7);
    assert.equal(dm.parameterCount, 5);
    const iface = dm.object('Device.IP.Interface.{i}.')!;
    assert.equal(iface.table, true);
    assert.equal(iface.segment, 'Interface');
    assert.equal(iface.parent?.path, 'Device.IP.');
    assert.deepEqual(
      iface.objects.map((o) => o.path),
      ['Device.IP.Interface.{i}.Stats.'],
    );
    assert.deepEqual(
      dm.rootObject.objects.map((o) => o.segment),
      ['DNS', 'IP'],
    );
  });

  test('ties each table to its counter: declared, or by the <Name>NumberOfEntries convention', () => {
    const dm = new DataModel(definition);
    assert.equal(
      dm.parameter('Device.DNS.Relay.ForwardNumberOfEntries')?.counts?.path,
      'Device.DNS.Relay.Forwarding.{i}.',
    );
    assert.equal(
      dm.parameter('Device.IP.InterfaceNumberOfEntries')?.counts?.path,
      'Device.IP.Interface.{i}.',
    );
    assert.equal(dm.parameter('Device.IP.Interface.{i}.Enable')?.counts, undefined);
  });

  test('refuses definitions it cannot index', () => {
    const code = (def: DataModelDefinition) => {
      try {
        new DataModel(def);
        return 'none';
      } catch (e) {
        assert.ok(e instanceof DataModelError);
        return e.code;
      }
    };
    assert.equal(code({ name: 'x', objects: [] }), 'no-root');
    assert.equal(code({ name: 'x', objects: [obj('Device.IP.')] }), 'no-root');
    assert.equal(
      code({ name: 'x', objects: [obj('Device.'), obj('Device.IP.Interface.{i}.')] }),
      'missing-parent',
    );
    assert.equal(
      code({ name: 'x', objects: [obj('Device.'), obj('Device.'), obj('Device.IP.')] }),
      'duplicate-object',
    );
    assert.equal(code({ name: 'x', objects: [obj('Device.', ['A', 'A'])] }), 'duplicate-parameter');
    assert.equal(
      code({ name: 'x', objects: [obj('Device.', ['Bad Name'])] }),
      'bad-parameter-name',
    );
    assert.equal(
      code({
        name: 'x',
        objects: [obj('Device.'), obj('Device.X.{i}.', [], { numEntriesParameter: 'Nope' })],
      }),
      'bad-num-entries-parameter',
    );
  });

  test('parentObjectPath skips the {i} of a table', () => {
    assert.equal(parentObjectPath('Device.IP.Interface.{i}.'), 'Device.IP.');
    assert.equal(parentObjectPath('Device.IP.Interface.{i}.Stats.'), 'Device.IP.Interface.{i}.');
    assert.equal(parentObjectPath('Device.'), undefined);
  });
});
