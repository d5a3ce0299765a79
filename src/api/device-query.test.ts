import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilter, toDeviceListQuery } from './device-query.ts';
import { ApiError } from './errors.ts';

const fieldOfError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error.field;
  }
  assert.fail('no error');
};

describe('device list query', () => {
  it('turns the query string into the store query', () => {
    const query = toDeviceListQuery({
      filter: JSON.stringify([{ kind: 'field', field: 'oui', op: 'eq', value: 'A' }]),
      tag: ['lab'],
      sort: 'lastInformAt',
      order: 'desc',
      limit: 5,
      offset: 10,
      fields: ['oui'],
      tags: false,
      parameters: ['Device.WiFi.'],
    });
    assert.deepEqual(query, {
      filter: [
        { kind: 'field', field: 'oui', op: 'eq', value: 'A' },
        { kind: 'tag', tag: 'lab', op: 'has' },
      ],
      limit: 5,
      offset: 10,
      sort: { field: 'lastInformAt', direction: 'desc' },
      projection: { fields: ['oui'], tags: false, parameters: ['Device.WiFi.'] },
    });
    assert.deepEqual(toDeviceListQuery({ order: 'desc' }).sort, { field: 'id', direction: 'desc' });
  });

  it('accepts every documented condition shape', () => {
    const all = [
      { kind: 'field', field: 'softwareVersion', op: 'gte', value: '2' },
      { kind: 'field', field: 'lastInformAt', op: 'lt', value: 5 },
      { kind: 'field', field: 'oui', op: 'in', values: ['A', 'B'] },
      { kind: 'field', field: 'serialNumber', op: 'prefix', value: 'SN' },
      { kind: 'field', field: 'lastBootAt', op: 'null' },
      { kind: 'tag', tag: 't', op: 'lacks' },
      { kind: 'parameter', path: 'Device.X', op: 'ne', value: 'v' },
      { kind: 'parameter', path: 'Device.X', op: 'prefix', value: 'v' },
      { kind: 'parameter', path: 'Device.X', op: 'missing' },
    ];
    assert.deepEqual(parseFilter(JSON.stringify(all)), all);
  });

  it('names the offending part of a bad filter', () => {
    const bad = (conditions: unknown) =>
      fieldOfError(() => parseFilter(JSON.stringify(conditions)));
    assert.equal(
      fieldOfError(() => parseFilter('[')),
      'filter',
    );
    assert.equal(bad({}), 'filter');
    assert.equal(bad([{ kind: 'field', field: 'oui', op: 'in', value: 'A' }]), 'filter[0].values');
    assert.equal(bad([{ kind: 'field', field: 'oui', op: 'prefix', value: 5 }]), 'filter[0].value');
    assert.equal(
      bad([{ kind: 'parameter', path: 'X', op: 'exists', value: 1 }]),
      'filter[0].value',
    );
    assert.equal(bad([{ kind: 'tag', tag: '', op: 'has' }]), 'filter[0].tag');
    assert.equal(bad([{ kind: 'tag', tag: 'x', op: 'has', extra: 1 }]), 'filter[0].extra');
    assert.equal(
      bad(Array.from({ length: 65 }, () => ({ kind: 'tag', tag: 'x', op: 'has' }))),
      'filter',
    );
  });
});
