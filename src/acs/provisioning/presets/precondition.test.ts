import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParameterRecord } from '../../../store/parameters.ts';
import {
  type DeviceContext,
  evaluatePrecondition,
  globMatch,
  type Precondition,
  validatePrecondition,
} from './precondition.ts';

function rec(path: string, value: string, type = 'string'): ParameterRecord {
  return {
    path,
    object: false,
    value,
    type,
    secret: false,
    writable: true,
    notification: null,
    accessList: null,
    valueAt: 0,
    attributesAt: null,
  };
}

const ctx: DeviceContext = {
  device: {
    manufacturer: 'Acme',
    oui: '00AABB',
    productClass: 'HGW-100',
    serialNumber: 'SN123',
    softwareVersion: '2.1.7',
    hardwareVersion: null,
  },
  tags: ['lab', 'wifi'],
  parameters: new Map([
    ['Device.WiFi.Radio.1.Enable', rec('Device.WiFi.Radio.1.Enable', '1', 'boolean')],
    ['Device.WiFi.Radio.1.Channel', rec('Device.WiFi.Radio.1.Channel', '011', 'unsignedInt')],
  ]),
  events: ['1 BOOT'],
  now: Date.UTC(2024, 0, 1, 23, 30),
};
const ev = (p: Precondition) => {
  assert.equal(validatePrecondition(p), null);
  return evaluatePrecondition(p, ctx);
};

test('field operators', () => {
  assert.equal(ev({ field: 'oui', op: 'eq', value: '00AABB' }), true);
  assert.equal(ev({ field: 'oui', op: 'ne', value: '00AABB' }), false);
  assert.equal(ev({ field: 'productClass', op: 'in', value: ['X', 'HGW-100'] }), true);
  assert.equal(ev({ field: 'softwareVersion', op: 'prefix', value: '2.' }), true);
  assert.equal(ev({ field: 'softwareVersion', op: 'matches', value: '2.?.*' }), true);
  assert.equal(ev({ field: 'serialNumber', op: 'matches', value: 'SN?' }), false);
  assert.equal(
    ev({ field: 'hardwareVersion', op: 'eq', value: '' }),
    true,
    'null field reads as empty',
  );
});

test('tags, events, parameters normalised by type, unknown parameter never matches', () => {
  assert.equal(ev({ tag: 'lab' }), true);
  assert.equal(ev({ tag: 'prod' }), false);
  assert.equal(ev({ event: '1 BOOT' }), true);
  assert.equal(ev({ event: '0 BOOTSTRAP' }), false);
  assert.equal(ev({ parameter: 'Device.WiFi.Radio.1.Enable', op: 'eq', value: true }), true);
  assert.equal(ev({ parameter: 'Device.WiFi.Radio.1.Channel', op: 'eq', value: 11 }), true);
  assert.equal(ev({ parameter: 'Device.WiFi.Radio.1.Channel', op: 'in', value: [1, 6] }), false);
  assert.equal(ev({ parameter: 'Device.WiFi.Radio.1.Channel', op: 'prefix', value: '01' }), true);
  assert.equal(ev({ parameter: 'Device.Nope', op: 'ne', value: 'x' }), false);
});

test('time windows, including across midnight and with an offset', () => {
  assert.equal(ev({ time: { afterHour: 22, beforeHour: 6 } }), true);
  assert.equal(ev({ time: { afterHour: 1, beforeHour: 6 } }), false);
  assert.equal(ev({ time: { afterHour: 1, beforeHour: 6, utcOffsetMinutes: 120 } }), true);
});

test('nesting: all, any, not, empty lists', () => {
  assert.equal(
    ev({
      all: [{ tag: 'lab' }, { not: { tag: 'prod' } }, { any: [{ tag: 'x' }, { event: '1 BOOT' }] }],
    }),
    true,
  );
  assert.equal(ev({ all: [] }), true);
  assert.equal(ev({ any: [] }), false);
  assert.equal(ev({ not: { all: [{ tag: 'lab' }, { tag: 'prod' }] } }), true);
});

test('validation names the field and bounds depth and size', () => {
  assert.deepEqual(
    validatePrecondition({ all: [{ tag: 'a' }, { field: 'oui', op: 'like', value: 'x' }] }),
    {
      field: 'all[1].op',
      reason: 'must be one of eq, ne, prefix, matches, in',
    },
  );
  assert.equal(validatePrecondition({ field: 'password', op: 'eq', value: 'x' })?.field, 'field');
  assert.equal(validatePrecondition({ tag: 'a', extra: 1 })?.field, 'extra');
  assert.equal(validatePrecondition({ field: 'oui', op: 'in', value: 'x' })?.field, 'value');
  assert.equal(
    validatePrecondition({ time: { afterHour: 25, beforeHour: 1 } })?.field,
    'time.afterHour',
  );
  assert.equal(validatePrecondition('tag')?.field, '(root)');
  let deep: Precondition = { tag: 'x' };
  for (let i = 0; i < 20; i++) deep = { not: deep };
  assert.match(validatePrecondition(deep)?.reason ?? '', /nested deeper/);
  const wide = { any: Array.from({ length: 300 }, () => ({ tag: 'x' })) };
  assert.match(validatePrecondition(wide)?.reason ?? '', /more than 256/);
});

test('glob is literal apart from * and ?, and does not blow up', () => {
  assert.equal(globMatch('a.b*', 'a.bc'), true);
  assert.equal(globMatch('a.b*', 'aXbc'), false);
  assert.equal(globMatch('*', ''), true);
  assert.equal(globMatch('', 'a'), false);
  const t0 = Date.now();
  assert.equal(globMatch(`${'*a'.repeat(20)}b`, 'a'.repeat(1000)), false);
  assert.ok(Date.now() - t0 < 500);
});
