import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../json.ts';
import { isSecret, Secret } from '../secret.ts';
import { HOSTILE_STRINGS, rejectsWith, type StoreFactory, withStore } from './harness.ts';

const WIFI: JsonValue = {
  precondition: { tag: 'wifi' },
  parameters: { 'Device.WiFi.SSID.1.SSID': 'corral' },
};

export function presetSuite(factory: StoreFactory): void {
  describe('presets', () => {
    it('puts, gets, replaces (keeping the creation time), lists by name and deletes', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        assert.deepEqual(await store.presets.list(), []);
        assert.equal(await store.presets.get('wifi'), null);
        const created = clock.now;
        const first = await store.presets.put('wifi', WIFI, 'key:ops');
        assert.deepEqual(first, {
          name: 'wifi',
          definition: WIFI,
          createdAt: created,
          updatedAt: created,
          updatedBy: 'key:ops',
        });
        assert.deepEqual(await store.presets.get('wifi'), first);

        clock.advance(5000);
        const replaced = await store.presets.put('wifi', { weight: 2 });
        assert.deepEqual(replaced, {
          name: 'wifi',
          definition: { weight: 2 },
          createdAt: created,
          updatedAt: created + 5000,
          updatedBy: null,
        });
        assert.deepEqual(await store.presets.get('wifi'), replaced);

        await store.presets.put('b-second', [1]);
        await store.presets.put('A-first', 'x');
        await store.presets.put('c', null);
        assert.deepEqual(
          (await store.presets.list()).map((p) => p.name),
          ['A-first', 'b-second', 'c', 'wifi'],
        );
        assert.equal((await store.presets.get('c'))?.definition, null);
        assert.equal(await store.presets.get('WIFI'), null, 'names are case-sensitive');

        assert.equal(await store.presets.delete('wifi'), true);
        assert.equal(await store.presets.delete('wifi'), false);
        assert.equal(await store.presets.get('wifi'), null);
        assert.deepEqual(
          (await store.presets.list()).map((p) => p.name),
          ['A-first', 'b-second', 'c'],
        );
      }));

    it('refuses bad names, definitions that are not JSON, and a bad updatedBy', () =>
      withStore(factory, {}, async ({ store }) => {
        for (const name of ['', 'x'.repeat(129), '\ud800', 'tab\there', 'nul\u0000', 'del\u007f']) {
          await rejectsWith(store.presets.put(name, WIFI), 'invalid');
        }
        await store.presets.put('x'.repeat(128), WIFI);
        for (const definition of [
          undefined,
          Number.NaN,
          Number.POSITIVE_INFINITY,
          '\udc00',
          { nested: [1, () => 0] },
          new Date(0),
          { '\ud800': 1 },
          { deep: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) },
          'x'.repeat((1 << 20) + 1),
        ]) {
          await rejectsWith(store.presets.put('bad', definition as JsonValue), 'invalid');
        }
        await rejectsWith(store.presets.put('bad', {}, ''), 'invalid');
        await rejectsWith(store.presets.put('bad', {}, 'k'.repeat(257)), 'invalid');
        assert.equal(await store.presets.get('bad'), null);
        assert.deepEqual(
          (await store.presets.list()).map((p) => p.name),
          ['x'.repeat(128)],
        );
      }));

    it('keeps the Secrets of a definition encrypted, bound to the preset, and gives them back as Secrets', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        const definition = {
          declarations: { values: [{ path: 'A.Password', value: new Secret('pw-at-rest-42') }] },
        } as unknown as JsonValue;
        const saved = await store.presets.put('s', definition);
        const value = (saved.definition as { declarations: { values: { value: unknown }[] } })
          .declarations.values[0]?.value;
        assert.ok(isSecret(value));
        assert.equal(value.reveal(), 'pw-at-rest-42');
        assert.ok(!JSON.stringify(saved).includes('pw-at-rest-42'));
        const reopened = await harness.reopen();
        const again = (await reopened.presets.get('s'))?.definition as unknown as {
          declarations: { values: { value: Secret }[] };
        };
        assert.equal(again.declarations.values[0]?.value.reveal(), 'pw-at-rest-42');
        await rejectsWith(
          reopened.presets.put('t', { x: { $sealed: 'AAAA' } } as JsonValue),
          'invalid',
        );
      }));

    it('round-trips JSON exactly, unicode and hostile text included', () =>
      withStore(factory, {}, async ({ store }) => {
        const definition: JsonValue = {
          'ключ 🔑': ['😀 ünïcödé \u{10ffff}', '\u202eRTL\u202c', 'nul\u0000inside'],
          numbers: [0, -1.5, 1e300, Number.MAX_SAFE_INTEGER],
          flags: [true, false, null],
          empty: { object: {}, array: [], string: '' },
          hostile: [...HOSTILE_STRINGS],
          __proto__name: 'not a prototype',
        };
        const name = 'Ünïcödé preset 😀';
        await store.presets.put(name, definition);
        assert.deepEqual((await store.presets.get(name))?.definition, definition);
        assert.deepEqual((await store.presets.list())[0]?.definition, definition);
        for (const [i, s] of HOSTILE_STRINGS.entries()) {
          if (s === '' || s.length > 128 || /[\u0000-\u001f]/.test(s)) continue;
          await store.presets.put(s, { i });
          assert.deepEqual((await store.presets.get(s))?.definition, { i });
        }
      }));

    it('keeps presets across a restart', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        const saved = await store.presets.put('kept', WIFI, 'key:ops');
        const reopened = await harness.reopen();
        assert.deepEqual(await reopened.presets.list(), [saved]);
      }));
  });
}
