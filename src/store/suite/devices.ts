import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeDeviceId, parseDeviceId } from '../device-id.ts';
import { Secret } from '../secret.ts';
import {
  addDevice,
  HOSTILE_STRINGS,
  identity,
  inform,
  rejectsWith,
  type StoreFactory,
  withStore,
} from './harness.ts';

export function deviceSuite(factory: StoreFactory): void {
  describe('devices', () => {
    it('creates a device on its first Inform and updates it on the next', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const first = await store.devices.recordInform(
          inform(identity('SN1'), {
            events: ['0 BOOTSTRAP', '1 BOOT'],
            remoteAddress: '192.0.2.7',
            parameters: [
              { path: 'Device.DeviceInfo.SoftwareVersion', value: '1.0', type: 'string' },
              { path: 'Device.DeviceInfo.HardwareVersion', value: 'hw-A', type: 'string' },
            ],
          }),
        );
        assert.equal(first.created, true);
        assert.equal(first.bootstrap, true);
        const t0 = clock.now;
        assert.deepEqual(first.device, {
          id: '00D09E-IGD-SN1',
          manufacturer: 'Acme',
          oui: '00D09E',
          productClass: 'IGD',
          serialNumber: 'SN1',
          softwareVersion: '1.0',
          hardwareVersion: 'hw-A',
          remoteAddress: '192.0.2.7',
          firstInformAt: t0,
          lastInformAt: t0,
          lastBootAt: t0,
          lastBootstrapAt: t0,
          tags: [],
        });
        clock.advance(60_000);
        const second = await store.devices.recordInform(
          inform(identity('SN1', { manufacturer: 'Acme Corp' }), {
            parameters: [
              { path: 'Device.DeviceInfo.SoftwareVersion', value: '1.1', type: 'string' },
            ],
          }),
        );
        assert.equal(second.created, false);
        assert.equal(second.bootstrap, false);
        assert.equal(second.device.firstInformAt, t0);
        assert.equal(second.device.lastInformAt, t0 + 60_000);
        assert.equal(second.device.lastBootAt, t0);
        assert.equal(second.device.manufacturer, 'Acme Corp');
        assert.equal(second.device.softwareVersion, '1.1');
        assert.equal(second.device.remoteAddress, '192.0.2.7');
        assert.deepEqual(
          second.changes.map((c) => [c.path, c.kind]),
          [['Device.DeviceInfo.SoftwareVersion', 'changed']],
        );
        assert.deepEqual(await store.devices.get(first.device.id), second.device);
        assert.equal(await store.devices.get('00D09E-IGD-NOPE'), null);
        await rejectsWith(store.devices.delete('00D09E-IGD-NOPE'), 'not-found');
        await rejectsWith(store.devices.addTags('00D09E-IGD-NOPE', ['x']), 'not-found');
      }));

    it('keeps a bounded event history, newest first, with times', () =>
      withStore(factory, { eventHistoryLimit: 5 }, async ({ store, clock }) => {
        const { device } = await addDevice(store, 'EV1');
        for (let i = 0; i < 4; i++) {
          clock.advance(1000);
          await store.devices.recordInform({
            device: identity('EV1'),
            events: [
              { code: '2 PERIODIC', commandKey: '' },
              { code: 'M Reboot', commandKey: `k${i}` },
            ],
            parameters: [],
          });
        }
        const events = await store.devices.events(device.id);
        assert.equal(events.length, 5);
        assert.deepEqual(events[0], { code: 'M Reboot', commandKey: 'k3', at: clock.now });
        assert.deepEqual(events[1], { code: '2 PERIODIC', commandKey: '', at: clock.now });
        assert.deepEqual(events[4], { code: 'M Reboot', commandKey: 'k1', at: clock.now - 2000 });
        assert.equal((await store.devices.events(device.id, { limit: 2 })).length, 2);
      }));

    it('forgets the cached model and provisioning state on 0 BOOTSTRAP, and nothing else', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const { device } = await addDevice(store, 'BS1', {
          parameters: [{ path: 'Device.Old.Param', value: 'x', type: 'string' }],
        });
        await store.devices.setProvisioningState(device.id, { preset: 'gold', step: 3 });
        await store.devices.addTags(device.id, ['keep']);
        const task = await store.tasks.enqueue(device.id, {
          args: { type: 'reboot', commandKey: 'r' },
        });
        assert.deepEqual(await store.devices.getProvisioningState(device.id), {
          preset: 'gold',
          step: 3,
        });
        clock.advance(1000);
        const out = await store.devices.recordInform(
          inform(identity('BS1'), {
            events: ['0 BOOTSTRAP'],
            parameters: [{ path: 'Device.New.Param', value: 'y', type: 'string' }],
          }),
        );
        assert.equal(out.bootstrap, true);
        assert.equal(out.device.lastBootstrapAt, clock.now);
        assert.deepEqual(
          (await store.parameters.list(device.id)).map((p) => p.path),
          ['Device.New.Param'],
        );
        assert.equal(await store.devices.getProvisioningState(device.id), null);
        assert.deepEqual(out.device.tags, ['keep']);
        assert.equal((await store.tasks.get(task.id))?.state, 'pending');
      }));

    it('deletes a device and every row that belongs to it', () =>
      withStore(factory, {}, async ({ harness, store }) => {
        const populate = async (serial: string) => {
          const { device } = await addDevice(store, serial, {
            parameters: [
              { path: 'Device.A.B', value: 'v', type: 'string' },
              { path: 'Device.A.Secret', value: new Secret('pw'), type: 'string' },
            ],
          });
          await store.devices.addTags(device.id, ['t1', 't2']);
          await store.devices.setProvisioningState(device.id, { x: 1 });
          await store.tasks.enqueue(device.id, { args: { type: 'getRPCMethods' } });
          const t = await store.tasks.enqueue(device.id, {
            args: {
              type: 'upload',
              commandKey: `u-${serial}`,
              fileType: '1 Vendor Configuration File',
              url: 'https://files.example/up',
              username: 'u',
              password: new Secret('upload-pw'),
              delaySeconds: 0,
            },
          });
          await store.tasks.claimNext(device.id, 's1');
          await store.tasks.complete((await store.tasks.queue(device.id))[0]!.id, 's1', {
            result: null,
          });
          assert.equal((await store.tasks.claimNext(device.id, 's1')).status, 'claimed');
          await store.tasks.awaitTransfer(t.id, 's1');
          await store.credentials.setCpe(device.id, {
            username: `user-${serial}`,
            password: new Secret('p'),
          });
          await store.credentials.setConnectionRequest(device.id, {
            username: 'cr',
            password: new Secret('c'),
          });
          await store.traces.append(device.id, 'sess-1', {
            direction: 'cpe-to-acs',
            body: '<Inform/>',
          });
          return device.id;
        };
        await populate('KEEP');
        const before = await harness.rowCounts();
        const doomed = await populate('DOOMED');
        assert.notDeepEqual(await harness.rowCounts(), before);
        await store.devices.delete(doomed);
        assert.deepEqual(await harness.rowCounts(), before);
        assert.equal(await store.devices.get(doomed), null);
        assert.equal(await store.credentials.getCpe(doomed), null);
        assert.equal(await store.credentials.getConnectionRequest(doomed), null);
        assert.equal((await store.tasks.list({ deviceId: doomed })).length, 0);
        await rejectsWith(store.parameters.list(doomed), 'not-found');
        assert.equal(await store.traces.read(doomed, 'sess-1'), null);
        assert.deepEqual(await store.devices.listTags(), [
          { tag: 't1', devices: 1 },
          { tag: 't2', devices: 1 },
        ]);
        // The id is free again: a new first Inform creates a new, empty device.
        const again = await addDevice(store, 'DOOMED');
        assert.equal(again.created, true);
        assert.deepEqual(await store.parameters.list(doomed), []);
      }));

    it('adds and removes tags', () =>
      withStore(factory, {}, async ({ store }) => {
        const { device } = await addDevice(store, 'TAG1');
        assert.deepEqual(await store.devices.addTags(device.id, ['b', 'a', 'b']), ['a', 'b']);
        assert.deepEqual(await store.devices.removeTags(device.id, ['b', 'zzz']), ['a']);
        assert.deepEqual((await store.devices.get(device.id))?.tags, ['a']);
        await rejectsWith(store.devices.addTags(device.id, ['']), 'invalid');
      }));

    it('stores hostile device strings inertly and round-trips them', () =>
      withStore(factory, {}, async ({ store }) => {
        const ids = new Set<string>();
        for (const [i, s] of HOSTILE_STRINGS.entries()) {
          const dev = { manufacturer: s, oui: s, productClass: s, serialNumber: `${s}#${i}` };
          const { device } = await store.devices.recordInform({
            device: dev,
            events: [{ code: s.slice(0, 64) || 'X', commandKey: s }],
            parameters: [
              { path: 'Device.DeviceInfo.SoftwareVersion', value: s, type: 'string' },
              { path: `Device.Hostile.X${s.slice(0, 200)}`, value: s, type: 'string' },
            ],
            remoteAddress: s.slice(0, 100),
          });
          assert.match(device.id, /^[A-Za-z0-9._-]+$/);
          assert.equal(device.id, encodeDeviceId(dev));
          assert.deepEqual(parseDeviceId(device.id), {
            oui: s,
            productClass: s,
            serialNumber: `${s}#${i}`,
          });
          ids.add(device.id);
          const back = await store.devices.get(device.id);
          assert.equal(back?.manufacturer, s);
          assert.equal(back?.productClass, s);
          assert.equal(back?.serialNumber, `${s}#${i}`);
          assert.equal(back?.softwareVersion, s);
          assert.equal(
            (await store.parameters.get(device.id, `Device.Hostile.X${s.slice(0, 200)}`))?.value,
            s,
          );
          assert.equal((await store.devices.events(device.id))[0]?.commandKey, s);
          if (s !== '')
            assert.deepEqual(await store.devices.addTags(device.id, [s.slice(0, 256)]), [
              s.slice(0, 256),
            ]);
          const found = await store.devices.list({
            filter: [{ kind: 'field', field: 'serialNumber', op: 'eq', value: `${s}#${i}` }],
          });
          assert.deepEqual(
            found.map((d) => d.id),
            [device.id],
          );
          const byParam = await store.devices.list({
            filter: [
              { kind: 'parameter', path: `Device.Hostile.X${s.slice(0, 200)}`, op: 'eq', value: s },
            ],
          });
          assert.deepEqual(
            byParam.map((d) => d.id),
            [device.id],
          );
        }
        assert.equal(ids.size, HOSTILE_STRINGS.length);
        assert.equal(await store.devices.count(), HOSTILE_STRINGS.length);
        await rejectsWith(store.devices.recordInform(inform(identity('\ud800lone'))), 'invalid');
        // Paths are bounded (the XSD says 256 characters): a 10 kB name is refused whole, not cut.
        const [first] = ids;
        await rejectsWith(
          store.parameters.upsert(first!, [{ path: `Device.${'A'.repeat(10_000)}`, value: 'x' }]),
          'invalid',
        );
        assert.equal(await store.devices.count(), HOSTILE_STRINGS.length);
      }));
  });
}
