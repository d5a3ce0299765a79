import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DataTypeDefinition, mergeFacets, resolveDataType } from './data-types.ts';
import { DataModelLoadError } from './load-error.ts';

const table = new Map<string, DataTypeDefinition>([
  ['IPAddress', { name: 'IPAddress', type: 'string', facets: { sizes: [{ maxLength: 45 }] } }],
  [
    'IPv4Address',
    {
      name: 'IPv4Address',
      base: 'IPAddress',
      facets: { sizes: [{ maxLength: 15 }], patterns: ['x'] },
    },
  ],
  ['IPv6Address', { name: 'IPv6Address', base: 'IPAddress', facets: {} }],
  ['Loop1', { name: 'Loop1', base: 'Loop2', facets: {} }],
  ['Loop2', { name: 'Loop2', base: 'Loop1', facets: {} }],
]);

test('a derived type narrows the facets it restates and inherits the rest', () => {
  assert.deepEqual(resolveDataType('IPv4Address', table), {
    type: 'string',
    facets: { sizes: [{ maxLength: 15 }], patterns: ['x'] },
  });
  assert.deepEqual(resolveDataType('IPv6Address', table), {
    type: 'string',
    facets: { sizes: [{ maxLength: 45 }] },
  });
});

test('unknown types and cycles are typed load errors', () => {
  assert.throws(
    () => resolveDataType('Nope', table),
    (e: unknown) => e instanceof DataModelLoadError && e.code === 'unknown-data-type',
  );
  assert.throws(
    () => resolveDataType('Loop1', table),
    (e: unknown) => e instanceof DataModelLoadError && e.code === 'data-type-cycle',
  );
});

test('mergeFacets: an empty facet list does not erase the inherited one', () => {
  assert.deepEqual(mergeFacets({ patterns: ['a'] }, { patterns: [] }), { patterns: ['a'] });
  assert.deepEqual(mergeFacets({ units: 'ms' }, { units: 's' }), { units: 's' });
});
