import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePreset } from './preset.ts';

const ok = {
  name: 'wifi-guest',
  weight: 10,
  channel: 'wifi',
  precondition: { tag: 'lab' },
  declarations: {
    values: [{ path: 'Device.WiFi.Radio.1.Channel', value: 11, type: 'unsignedInt' }],
    instances: [{ object: 'Device.WiFi.SSID.', keys: { SSID: 'Guest' }, values: { Enable: true } }],
  },
};

test('a valid preset is normalised (missing declaration lists become empty)', () => {
  const r = validatePreset(ok);
  assert.ok(r.ok);
  assert.deepEqual(r.value.declarations.attributes, []);
  assert.equal(r.value.channel, 'wifi');
});

test('errors name the field', () => {
  const bad = (patch: object) => {
    const r = validatePreset({ ...ok, ...patch });
    assert.ok(!r.ok);
    return r.error.field;
  };
  assert.equal(bad({ name: '' }), 'name');
  assert.equal(bad({ weight: 1.5 }), 'weight');
  assert.equal(bad({ channel: 'a b' }), 'channel');
  assert.equal(bad({ precondition: { all: [{ tag: 1 }] } }), 'precondition.all[0].tag');
  assert.equal(
    bad({ declarations: { values: [{ path: 'Device.WiFi.', value: 1 }] } }),
    'declarations.values[0].path',
  );
  assert.equal(
    bad({ declarations: { values: [{ path: 'Device.X', value: 1, type: 'float' }] } }),
    'declarations.values[0].type',
  );
  assert.equal(
    bad({ declarations: { instances: [{ object: 'Device.WiFi.SSID.', keys: {} }] } }),
    'declarations.instances[0].keys',
  );
  assert.equal(
    bad({ declarations: { attributes: [{ path: 'Device.X', notification: 9 }] } }),
    'declarations.attributes[0].notification',
  );
  assert.equal(
    bad({ declarations: { fresh: [{ path: 'Device.*.X', maxAgeSeconds: 1 }] } }),
    'declarations.fresh[0].path',
  );
  assert.equal(
    bad({ declarations: { addTags: ['a'], removeTags: ['a'] } }),
    'declarations.removeTags',
  );
  assert.equal(bad({ extra: 1 }), 'extra');
});
