import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceCondition } from '../devices.ts';
import { addDevice, rejectsWith, type StoreFactory, withStore } from './harness.ts';

export function deviceListSuite(factory: StoreFactory): void {
  describe('device list', () => {
    it('lists with filters on columns, tags and parameters; sorts; paginates; projects', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        await store.parameters.markIndexed('Device.WiFi.SSID.*.SSID');
        for (let i = 0; i < 12; i++) {
          clock.advance(1000);
          const { device } = await addDevice(store, `L${String(i).padStart(2, '0')}`, {
            device: {
              productClass: i % 2 === 0 ? 'Even' : 'Odd-Class',
              oui: i < 6 ? 'AAAAAA' : 'BBBBBB',
            },
            remoteAddress: `198.51.100.${i}`,
            parameters: [
              {
                path: 'Device.DeviceInfo.SoftwareVersion',
                value: i < 4 ? '2.0.1' : '1.9',
                type: 'string',
              },
              { path: 'Device.WiFi.SSID.1.SSID', value: `net-${i % 3}`, type: 'string' },
              { path: 'Device.Stats.Uptime', value: String(i * 100), type: 'unsignedInt' },
              ...(i === 5 ? [{ path: 'Device.Only.On5', value: 'x', type: 'string' }] : []),
            ],
          });
          if (i % 4 === 0) await store.devices.addTags(device.id, ['gold']);
        }
        const serials = async (filter: DeviceCondition[], extra: object = {}) =>
          (
            await store.devices.list({
              filter,
              limit: 100,
              sort: { field: 'serialNumber' },
              ...extra,
            })
          ).map((d) => d.serialNumber);
        assert.deepEqual(
          await serials([{ kind: 'field', field: 'productClass', op: 'eq', value: 'Odd-Class' }]),
          ['L01', 'L03', 'L05', 'L07', 'L09', 'L11'],
        );
        assert.deepEqual(
          await serials([
            { kind: 'field', field: 'oui', op: 'eq', value: 'AAAAAA' },
            { kind: 'field', field: 'softwareVersion', op: 'prefix', value: '2.' },
          ]),
          ['L00', 'L01', 'L02', 'L03'],
        );
        assert.deepEqual(await serials([{ kind: 'tag', tag: 'gold', op: 'has' }]), [
          'L00',
          'L04',
          'L08',
        ]);
        assert.equal((await serials([{ kind: 'tag', tag: 'gold', op: 'lacks' }])).length, 9);
        assert.deepEqual(
          await serials([
            { kind: 'parameter', path: 'Device.WiFi.SSID.1.SSID', op: 'eq', value: 'net-2' },
          ]),
          ['L02', 'L05', 'L08', 'L11'],
        );
        assert.deepEqual(
          await serials([
            { kind: 'parameter', path: 'Device.Stats.Uptime', op: 'gte', value: 1000 },
          ]),
          ['L10', 'L11'],
        );
        assert.deepEqual(
          await serials([
            { kind: 'parameter', path: 'Device.Stats.Uptime', op: 'lt', value: '200' },
          ]),
          ['L00', 'L01', 'L10', 'L11'],
          'a string value compares as text',
        );
        assert.deepEqual(
          await serials([{ kind: 'parameter', path: 'Device.Only.On5', op: 'exists' }]),
          ['L05'],
        );
        assert.equal(
          (await serials([{ kind: 'parameter', path: 'Device.Only.On5', op: 'ne', value: 'x' }]))
            .length,
          11,
        );
        assert.deepEqual(
          await serials([
            {
              kind: 'field',
              field: 'remoteAddress',
              op: 'in',
              values: ['198.51.100.3', '198.51.100.9'],
            },
          ]),
          ['L03', 'L09'],
        );
        const t3 = (await store.devices.get('AAAAAA-Odd_2DClass-L03'))?.lastInformAt ?? 0;
        assert.deepEqual(
          await serials([{ kind: 'field', field: 'lastInformAt', op: 'lte', value: t3 }]),
          ['L00', 'L01', 'L02', 'L03'],
        );
        assert.equal(
          await store.devices.count([{ kind: 'field', field: 'oui', op: 'eq', value: 'BBBBBB' }]),
          6,
        );
        // Sort and paginate: pages cover everything once.
        const sort = { field: 'lastInformAt', direction: 'desc' } as const;
        const pages: string[] = [];
        for (let offset = 0; offset < 12; offset += 5) {
          pages.push(
            ...(await store.devices.list({ sort, limit: 5, offset })).map(
              (d) => d.serialNumber ?? '',
            ),
          );
        }
        assert.deepEqual(
          pages,
          Array.from({ length: 12 }, (_, i) => `L${String(11 - i).padStart(2, '0')}`),
        );
        // Projection.
        const [view] = await store.devices.list({
          filter: [{ kind: 'field', field: 'serialNumber', op: 'eq', value: 'L00' }],
          projection: {
            fields: ['serialNumber'],
            tags: false,
            parameters: ['Device.WiFi.', 'Device.Stats.Uptime'],
          },
        });
        assert.deepEqual(Object.keys(view ?? {}).sort(), ['id', 'parameters', 'serialNumber']);
        assert.deepEqual(
          view?.parameters?.map((p) => [p.path, p.value]),
          [
            ['Device.Stats.Uptime', '0'],
            ['Device.WiFi.SSID.1.SSID', 'net-0'],
          ],
        );
        await rejectsWith(
          store.devices.list({
            filter: [{ kind: 'field', field: 'nope' as 'oui', op: 'eq', value: 'x' }],
          }),
          'invalid',
        );
        await rejectsWith(
          store.devices.list({
            filter: [{ kind: 'field', field: 'lastInformAt', op: 'eq', value: 'x' }],
          }),
          'invalid',
        );
        await rejectsWith(store.devices.list({ limit: -1 }), 'invalid');
      }));
  });
}
