import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../secret.ts';
import { addDevice, rejectsWith, type StoreFactory, withStore } from './harness.ts';

export function parameterSuite(factory: StoreFactory): void {
  describe('parameters', () => {
    it('writes only what changed and says what it was', () =>
      withStore(factory, { readTimeResolutionMs: 10_000 }, async ({ store, clock }) => {
        const { device } = await addDevice(store, 'P1');
        const id = device.id;
        const t0 = clock.now;
        const added = await store.parameters.upsert(id, [
          { path: 'Device.A.X', value: '1', type: 'unsignedInt' },
          { path: 'Device.A.', writable: false },
        ]);
        assert.deepEqual(
          added.map((c) => [c.path, c.kind, c.aspects]),
          [
            ['Device.A.X', 'added', ['value', 'type']],
            ['Device.A.', 'added', ['writable']],
          ],
        );
        assert.deepEqual(added[0]?.after, {
          path: 'Device.A.X',
          object: false,
          value: '1',
          type: 'unsignedInt',
          secret: false,
          writable: null,
          notification: null,
          accessList: null,
          valueAt: t0,
          attributesAt: null,
        });
        assert.equal(added[1]?.after?.object, true);
        // Same value again, within the read-time resolution: nothing changes, nothing is rewritten.
        clock.advance(5_000);
        assert.deepEqual(
          await store.parameters.upsert(id, [
            { path: 'Device.A.X', value: '1', type: 'unsignedInt' },
          ]),
          [],
        );
        assert.equal((await store.parameters.get(id, 'Device.A.X'))?.valueAt, t0);
        // Past the resolution: still no change reported, but the read time moves.
        clock.advance(5_000);
        assert.deepEqual(
          await store.parameters.upsert(id, [{ path: 'Device.A.X', value: '1' }]),
          [],
        );
        assert.equal((await store.parameters.get(id, 'Device.A.X'))?.valueAt, clock.now);
        // A real change.
        clock.advance(1);
        const [changed] = await store.parameters.upsert(id, [{ path: 'Device.A.X', value: '2' }]);
        assert.equal(changed?.kind, 'changed');
        assert.deepEqual(changed?.aspects, ['value']);
        assert.equal(changed?.before?.value, '1');
        assert.equal(changed?.after?.value, '2');
        assert.equal(changed?.after?.type, 'unsignedInt', 'type kept when not given');
        // Attributes are their own aspects; the value is untouched by them.
        const attrs = await store.parameters.upsert(id, [
          { path: 'Device.A.X', notification: 2, accessList: ['Subscriber'] },
        ]);
        assert.deepEqual(attrs[0]?.aspects, ['notification', 'accessList']);
        const row = await store.parameters.get(id, 'Device.A.X');
        assert.equal(row?.value, '2');
        assert.equal(row?.notification, 2);
        assert.deepEqual(row?.accessList, ['Subscriber']);
        assert.equal(row?.attributesAt, clock.now);
        assert.deepEqual(
          await store.parameters.upsert(id, [{ path: 'Device.A.X', accessList: ['Subscriber'] }]),
          [],
        );
        const [w] = await store.parameters.upsert(id, [{ path: 'Device.A.X', writable: true }]);
        assert.deepEqual(w?.aspects, ['writable']);
      }));

    it('lists in code-point order, by subtree or exact path', () =>
      withStore(factory, {}, async ({ store }) => {
        const { device } = await addDevice(store, 'P2');
        const paths = [
          'Device.B.',
          'Device.B.x',
          'Device.A.Z',
          'Device.A.a',
          'Device.A.É',
          'Device.AB',
        ];
        await store.parameters.upsert(
          device.id,
          paths.map((path) =>
            path.endsWith('.') ? { path, writable: true } : { path, value: 'v' },
          ),
        );
        assert.deepEqual(
          (await store.parameters.list(device.id)).map((p) => p.path),
          ['Device.A.Z', 'Device.A.a', 'Device.A.É', 'Device.AB', 'Device.B.', 'Device.B.x'],
        );
        assert.deepEqual(
          (await store.parameters.list(device.id, { prefix: 'Device.A.' })).map((p) => p.path),
          ['Device.A.Z', 'Device.A.a', 'Device.A.É'],
        );
        assert.deepEqual(
          (
            await store.parameters.list(device.id, {
              paths: ['Device.AB', 'Device.B.', 'Device.Nope'],
            })
          ).map((p) => p.path),
          ['Device.AB', 'Device.B.', 'Device.B.x'],
        );
        // `rows`: an object's own row alone, beside the subtrees of `paths`.
        assert.deepEqual(
          (
            await store.parameters.list(device.id, {
              rows: ['Device.B.', 'Device.AB', 'Device.Nope.'],
            })
          ).map((p) => p.path),
          ['Device.AB', 'Device.B.'],
        );
        assert.deepEqual(
          (
            await store.parameters.list(device.id, { paths: ['Device.A.'], rows: ['Device.B.'] })
          ).map((p) => p.path),
          ['Device.A.Z', 'Device.A.a', 'Device.A.É', 'Device.B.'],
        );
        await rejectsWith(store.parameters.list('00D09E-IGD-NOBODY'), 'not-found');
        await rejectsWith(store.parameters.upsert(device.id, [{ path: '' }]), 'invalid');
        await rejectsWith(
          store.parameters.upsert(device.id, [{ path: 'Device.Obj.', value: 'x' }]),
          'invalid',
        );
      }));

    it('lists one level of the tree: direct children only, objects with or without a row of their own', () =>
      withStore(factory, {}, async ({ store }) => {
        const { device } = await addDevice(store, 'P2C');
        const leaves = [
          'Device.WiFi.SSID.1.SSID',
          'Device.WiFi.SSID.1.Enable',
          'Device.WiFi.SSID.2.SSID',
          'Device.WiFi.SSID.10.SSID',
          'Device.WiFi.SSIDNumberOfEntries',
          'Device.WiFi.Radio.1.Channel',
          'Device.WiFi-like',
          'Device.DeviceInfo.SoftwareVersion',
        ];
        await store.parameters.upsert(device.id, [
          ...leaves.map((path) => ({ path, value: 'v', type: 'string' })),
          { path: 'Device.WiFi.SSID.', writable: true },
          { path: 'Device.WiFi.SSID.2.', writable: false },
        ]);
        const children = async (path: string, limit?: number) =>
          (await store.parameters.children(device.id, path, limit)).map(
            (c) =>
              `${c.path}${c.record === null ? '' : c.record.object ? ' (row)' : `=${c.record.value}`}`,
          );
        assert.deepEqual(await children('Device.'), [
          'Device.DeviceInfo.',
          'Device.WiFi-like=v',
          'Device.WiFi.',
        ]);
        assert.deepEqual(await children('Device.WiFi.'), [
          'Device.WiFi.Radio.',
          'Device.WiFi.SSID. (row)',
          'Device.WiFi.SSIDNumberOfEntries=v',
        ]);
        assert.deepEqual(await children('Device.WiFi.SSID.'), [
          'Device.WiFi.SSID.1.',
          'Device.WiFi.SSID.10.',
          'Device.WiFi.SSID.2. (row)',
        ]);
        assert.deepEqual(await children('Device.WiFi.SSID.1.'), [
          'Device.WiFi.SSID.1.Enable=v',
          'Device.WiFi.SSID.1.SSID=v',
        ]);
        assert.deepEqual(await children(''), ['Device.']);
        assert.deepEqual(await children('Device.WiFi.SSID.', 2), [
          'Device.WiFi.SSID.1.',
          'Device.WiFi.SSID.10.',
        ]);
        assert.deepEqual(await children('Device.Nothing.'), []);
        await rejectsWith(
          store.parameters.children(device.id, 'Device.WiFi.SSIDNumberOfEntries'),
          'invalid',
        );
        await rejectsWith(store.parameters.children(device.id, 'Device.', 0), 'invalid');
        await rejectsWith(store.parameters.children('00D09E-IGD-NOBODY', 'Device.'), 'not-found');
      }));

    it('deletes a subtree (DeleteObject) and nothing beside it', () =>
      withStore(factory, {}, async ({ store }) => {
        const { device } = await addDevice(store, 'P3');
        const all = [
          'Device.WiFi.SSID.1.',
          'Device.WiFi.SSID.1.SSID',
          'Device.WiFi.SSID.1.Stats.Bytes',
          'Device.WiFi.SSID.10.SSID',
          'Device.WiFi.SSID.1',
          'Device.WiFi.SSID.2.SSID',
        ];
        await store.parameters.upsert(
          device.id,
          all.map((path) => (path.endsWith('.') ? { path } : { path, value: 'v' })),
        );
        const gone = await store.parameters.deleteSubtree(device.id, 'Device.WiFi.SSID.1.');
        assert.deepEqual(
          gone.map((c) => [c.path, c.kind]),
          [
            ['Device.WiFi.SSID.1.', 'removed'],
            ['Device.WiFi.SSID.1.SSID', 'removed'],
            ['Device.WiFi.SSID.1.Stats.Bytes', 'removed'],
          ],
        );
        assert.deepEqual(
          (await store.parameters.list(device.id, { prefix: 'Device.WiFi.' })).map((p) => p.path),
          ['Device.WiFi.SSID.1', 'Device.WiFi.SSID.10.SSID', 'Device.WiFi.SSID.2.SSID'],
        );
        const one = await store.parameters.deleteSubtree(device.id, 'Device.WiFi.SSID.1');
        assert.deepEqual(
          one.map((c) => c.path),
          ['Device.WiFi.SSID.1'],
        );
        assert.deepEqual(await store.parameters.deleteSubtree(device.id, 'Device.Nothing.'), []);
      }));

    it('prunes what a GetParameterNames answer no longer lists', () =>
      withStore(factory, {}, async ({ store }) => {
        const { device } = await addDevice(store, 'P4');
        const id = device.id;
        const base = [
          'Device.IP.',
          'Device.IP.Interface.1.',
          'Device.IP.Interface.1.Name',
          'Device.IP.Interface.2.',
          'Device.IP.Interface.2.Name',
          'Device.IP.Enable',
        ];
        await store.parameters.upsert(
          id,
          base.map((path) => ({ path, writable: false })),
        );
        // NextLevel=true on Device.IP.Interface.: only instance 1 is left; instance 2's subtree goes.
        const next = await store.parameters.upsert(
          id,
          [{ path: 'Device.IP.Interface.1.', writable: true }],
          {
            prune: { prefix: 'Device.IP.Interface.', nextLevel: true },
          },
        );
        assert.deepEqual(
          next.filter((c) => c.kind === 'removed').map((c) => c.path),
          ['Device.IP.Interface.2.', 'Device.IP.Interface.2.Name'],
        );
        // Full listing of Device.IP.: what it does not name goes.
        const full = await store.parameters.upsert(
          id,
          ['Device.IP.', 'Device.IP.Enable', 'Device.IP.Interface.1.'].map((path) => ({
            path,
            writable: false,
          })),
          { prune: { prefix: 'Device.IP.' } },
        );
        assert.deepEqual(
          full.filter((c) => c.kind === 'removed').map((c) => c.path),
          ['Device.IP.Interface.1.Name'],
        );
        assert.deepEqual(
          (await store.parameters.list(id)).map((p) => p.path),
          ['Device.IP.', 'Device.IP.Enable', 'Device.IP.Interface.1.'],
        );
        await rejectsWith(
          store.parameters.upsert(id, [], { prune: { prefix: 'Device.IP' } }),
          'invalid',
        );
      }));

    it('keeps secret values encrypted, out of listings and out of filters', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        const plaintext = 'conn-req-P@ssw0rd-7f3a9c';
        const { device } = await addDevice(store, 'P5');
        const path = 'Device.ManagementServer.ConnectionRequestPassword';
        const [added] = await store.parameters.upsert(device.id, [
          { path, value: new Secret(plaintext), type: 'string' },
        ]);
        assert.equal(added?.after?.secret, true);
        assert.equal(added?.after?.value, null);
        assert.equal((await store.parameters.get(device.id, path))?.value, null);
        assert.equal((await store.parameters.reveal(device.id, path))?.reveal(), plaintext);
        assert.equal(await store.parameters.reveal(device.id, 'Device.Nope'), null);
        assert.deepEqual(
          await store.parameters.upsert(device.id, [{ path, value: new Secret(plaintext) }]),
          [],
        );
        assert.equal(
          (
            await store.parameters.upsert(device.id, [
              { path, value: new Secret('second-S3cret-e81d') },
            ])
          )[0]?.kind,
          'changed',
        );
        await store.parameters.markIndexed(path);
        assert.equal(
          await store.devices.count([
            { kind: 'parameter', path, op: 'eq', value: 'second-S3cret-e81d' },
          ]),
          0,
          'a secret is never searchable',
        );
        assert.ok(
          !JSON.stringify(await store.parameters.list(device.id)).includes('second-S3cret-e81d'),
        );
        const dump = await harness.rawDump();
        assert.equal(dump.includes(Buffer.from(plaintext)), false);
        assert.equal(dump.includes(Buffer.from('second-S3cret-e81d')), false);
        // A plain value replaces the secret (and is plain from then on).
        const [plain] = await store.parameters.upsert(device.id, [{ path, value: '' }]);
        assert.equal(plain?.after?.secret, false);
        assert.equal(await store.parameters.reveal(device.id, path), null);
      }));

    it('searches marked parameters through the index with the same answers', () =>
      withStore(factory, {}, async ({ store }) => {
        for (let i = 0; i < 6; i++) {
          await addDevice(store, `IX${i}`, {
            parameters: [
              { path: 'Device.X.Mode', value: i % 2 === 0 ? 'on' : 'off', type: 'string' },
            ],
          });
        }
        const filter = [
          { kind: 'parameter', path: 'Device.X.Mode', op: 'eq', value: 'on' },
        ] as const;
        const unindexed = (await store.devices.list({ filter })).map((d) => d.id);
        assert.equal(unindexed.length, 3);
        await store.parameters.markIndexed('Device.X.Mode');
        assert.deepEqual(await store.parameters.listIndexed(), ['Device.X.Mode']);
        assert.deepEqual(
          (await store.devices.list({ filter })).map((d) => d.id),
          unindexed,
        );
        for (const op of ['lt', 'gte'] as const) {
          assert.equal(
            await store.devices.count([{ kind: 'parameter', path: 'Device.X.Mode', op, value: 1 }]),
            0,
            'text that is not a number never compares as one (not as 0)',
          );
        }
        await addDevice(store, 'IX9', {
          parameters: [{ path: 'Device.X.Mode', value: 'on', type: 'string' }],
        });
        assert.equal(await store.devices.count(filter), 4);
        await store.parameters.unmarkIndexed('Device.X.Mode');
        assert.deepEqual(await store.parameters.listIndexed(), []);
        assert.equal(await store.devices.count(filter), 4);
        await rejectsWith(store.parameters.markIndexed('Device.X.'), 'invalid');
      }));
  });
}
