import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileInput } from '../files.ts';
import {
  addDevice,
  HOSTILE_STRINGS,
  rejectsWith,
  type StoreFactory,
  withStore,
} from './harness.ts';

const SHA = 'a'.repeat(64);
const OTHER_SHA = '0123456789abcdef'.repeat(4);

function firmware(blobId: string, overrides: Partial<FileInput> = {}): FileInput {
  return {
    name: 'fw-2.1.bin',
    fileType: '1 Firmware Upgrade Image',
    target: { oui: '00D09E', productClass: 'IGD', softwareVersion: '2.0' },
    size: 1234,
    sha256: SHA,
    blobId,
    createdBy: 'key:ops',
    ...overrides,
  };
}

export function fileSuite(factory: StoreFactory): void {
  describe('files', () => {
    it('updates a file’s name and target, leaving out what is not given, and nothing else', () =>
      withStore(factory, {}, async ({ store }) => {
        const fw = await store.files.create(firmware('blob-u'));
        const renamed = await store.files.update(fw.id, {
          name: 'fw-2.1-final.bin',
          target: { productClass: null, softwareVersion: '2.0.1' },
        });
        assert.deepEqual(renamed, {
          ...fw,
          name: 'fw-2.1-final.bin',
          target: { oui: '00D09E', productClass: null, softwareVersion: '2.0.1' },
        });
        assert.deepEqual(await store.files.get(fw.id), renamed);
        assert.deepEqual(await store.files.update(fw.id, {}), renamed);
        assert.equal(await store.files.update('f'.repeat(32), { name: 'x' }), null);
        await rejectsWith(store.files.update(fw.id, { name: '' }), 'invalid');
        await rejectsWith(
          store.files.update(fw.id, { target: { oui: 'x'.repeat(300) } }),
          'invalid',
        );
        for (const hostile of HOSTILE_STRINGS.filter(
          (h) => h.length <= 256 && h.isWellFormed() && h !== '',
        ))
          assert.equal((await store.files.update(fw.id, { name: hostile }))?.name, hostile);
        assert.deepEqual(await store.files.get(fw.id).then((f) => f?.sha256), fw.sha256);
      }));

    it('creates, gets, lists (newest first, filtered by target) and deletes file records', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const fw = await store.files.create(firmware('blob-1'));
        assert.match(fw.id, /^[0-9a-f]{32}$/);
        assert.deepEqual(fw, {
          id: fw.id,
          name: 'fw-2.1.bin',
          fileType: '1 Firmware Upgrade Image',
          target: { oui: '00D09E', productClass: 'IGD', softwareVersion: '2.0' },
          size: 1234,
          sha256: SHA,
          blobId: 'blob-1',
          createdAt: clock.now,
          createdBy: 'key:ops',
        });
        clock.advance(1000);
        const config = await store.files.create({
          name: 'config.xml',
          fileType: '3 Vendor Configuration File',
          size: 0,
          sha256: OTHER_SHA,
          blobId: 'blob-2',
        });
        assert.deepEqual(config.target, { oui: null, productClass: null, softwareVersion: null });
        assert.equal(config.createdBy, null);
        const vendor = await store.files.create(
          firmware('blob-3', {
            name: 'boot.bin',
            fileType: 'X 00D09E Bootloader',
            target: { oui: 'FFFFFF' },
          }),
        );
        assert.deepEqual(await store.files.get(fw.id), fw);
        assert.deepEqual(
          (await store.files.list()).map((f) => f.id),
          [vendor.id, config.id, fw.id],
        );
        assert.deepEqual(
          (await store.files.list({ oui: '00D09E' })).map((f) => f.id),
          [config.id, fw.id],
          'a null target admits every device',
        );
        assert.deepEqual(
          (
            await store.files.list({ fileType: '1 Firmware Upgrade Image', productClass: 'IGD' })
          ).map((f) => f.id),
          [fw.id],
        );
        assert.deepEqual(
          (await store.files.list({ limit: 1, offset: 1 })).map((f) => f.id),
          [config.id],
        );
        await rejectsWith(store.files.list({ limit: -1 }), 'invalid');
        assert.deepEqual(await store.files.delete(fw.id), fw);
        assert.equal(await store.files.delete(fw.id), null);
        assert.equal(await store.files.get(fw.id), null);
        assert.equal(await store.files.get('../../etc/passwd'), null);
      }));

    it('refuses bad FileTypes, sizes, checksums, names and a blob used twice', () =>
      withStore(factory, {}, async ({ store }) => {
        for (const fileType of [
          'Firmware',
          '0 Zero',
          '1',
          '1  double',
          'X',
          'x 1 y',
          'A'.repeat(65),
        ]) {
          await rejectsWith(store.files.create(firmware('b', { fileType })), 'invalid');
        }
        await rejectsWith(
          store.files.create(firmware('b', { fileType: `1 ${'A'.repeat(63)}` })),
          'invalid',
        );
        for (const size of [-1, 1.5, Number.NaN, 2 ** 60]) {
          await rejectsWith(store.files.create(firmware('b', { size })), 'invalid');
        }
        for (const sha256 of ['', 'A'.repeat(64), 'a'.repeat(63), 'g'.repeat(64)]) {
          await rejectsWith(store.files.create(firmware('b', { sha256 })), 'invalid');
        }
        for (const name of ['', 'A'.repeat(257), '\ud800']) {
          await rejectsWith(store.files.create(firmware('b', { name })), 'invalid');
        }
        for (const blobId of ['', 'has space', 'x'.repeat(129)]) {
          await rejectsWith(store.files.create(firmware(blobId)), 'invalid');
        }
        await store.files.create(firmware('same'));
        await rejectsWith(store.files.create(firmware('same')), 'conflict');
        assert.equal((await store.files.list()).length, 1);
      }));

    it('keeps hostile names and targets inert', () =>
      withStore(factory, {}, async ({ store }) => {
        const ids: string[] = [];
        for (const [i, s] of HOSTILE_STRINGS.entries()) {
          if (s === '' || s.length > 256) continue;
          const f = await store.files.create(
            firmware(`h${i}`, { name: s, target: { oui: s, productClass: s, softwareVersion: s } }),
          );
          assert.equal((await store.files.get(f.id))?.name, s);
          assert.equal((await store.files.list({ oui: s, productClass: s })).at(0)?.id, f.id);
          ids.push(f.id);
        }
        assert.equal((await store.files.list()).length, ids.length);
      }));

    it('records uploads per device, newest first, and deletes them with the device', () =>
      withStore(factory, {}, async ({ store, clock, harness }) => {
        const a = (await addDevice(store, 'UP1')).device.id;
        const b = (await addDevice(store, 'UP2')).device.id;
        const first = await store.files.recordUpload(a, {
          fileType: '1 Vendor Configuration File',
          name: 'backup.cfg',
          size: 42,
          sha256: SHA,
          blobId: 'u-1',
        });
        assert.deepEqual(first, {
          id: first.id,
          deviceId: a,
          fileType: '1 Vendor Configuration File',
          name: 'backup.cfg',
          size: 42,
          sha256: SHA,
          blobId: 'u-1',
          receivedAt: clock.now,
        });
        const second = await store.files.recordUpload(a, {
          fileType: '2 Vendor Log File',
          name: 'syslog',
          size: 7,
          sha256: OTHER_SHA,
          blobId: 'u-2',
          at: clock.now + 5,
        });
        await store.files.recordUpload(b, {
          fileType: '4 Vendor Log File 2',
          name: 'log',
          size: 1,
          sha256: SHA,
          blobId: 'u-3',
        });
        assert.deepEqual(
          (await store.files.uploads(a)).map((u) => u.id),
          [second.id, first.id],
        );
        assert.equal((await store.files.uploads(b)).length, 1);
        assert.deepEqual(await store.files.getUpload(second.id), second);
        assert.deepEqual(
          (await store.files.uploads(a, { limit: 1 })).map((u) => u.id),
          [second.id],
        );
        await rejectsWith(
          store.files.recordUpload('00D09E-IGD-NOBODY', {
            fileType: '2 Vendor Log File',
            name: 'x',
            size: 1,
            sha256: SHA,
            blobId: 'u-4',
          }),
          'not-found',
        );
        await rejectsWith(store.files.uploads('00D09E-IGD-NOBODY'), 'not-found');
        await rejectsWith(
          store.files.recordUpload(a, {
            fileType: '9',
            name: 'x',
            size: 1,
            sha256: SHA,
            blobId: 'u-5',
          }),
          'invalid',
        );
        await rejectsWith(
          store.files.recordUpload(a, {
            fileType: '2 Vendor Log File',
            name: 'x',
            size: 1,
            sha256: SHA,
            blobId: 'u-1',
          }),
          'conflict',
        );
        assert.deepEqual(await store.files.deleteUpload(first.id), first);
        assert.equal(await store.files.getUpload(first.id), null);
        assert.equal(await store.files.deleteUpload(first.id), null);
        await store.devices.delete(a);
        assert.equal(await store.files.getUpload(second.id), null);
        assert.equal((await harness.rowCounts()).device_uploads, 1, "only the other device's");
      }));

    it('keeps file names unique, naming the file that has the name', () =>
      withStore(factory, {}, async ({ store }) => {
        const fw = await store.files.create(firmware('n-1'));
        const other = await store.files.create(firmware('n-2', { name: 'fw-2.2.bin' }));
        const dup = await store.files.create(firmware('n-3')).then(
          () => assert.fail('a second file named fw-2.1.bin was accepted'),
          (e: unknown) => e as Error & { code?: string },
        );
        assert.equal(dup.code, 'conflict');
        assert.match(dup.message, new RegExp(fw.id));
        await rejectsWith(store.files.update(other.id, { name: fw.name }), 'conflict');
        assert.equal((await store.files.update(fw.id, { name: fw.name }))?.name, fw.name);
        await store.files.delete(fw.id);
        assert.equal((await store.files.create(firmware('n-4'))).name, 'fw-2.1.bin');
      }));

    it('records one upload per grant (signed upload URL)', () =>
      withStore(factory, {}, async ({ store }) => {
        const id = (await addDevice(store, 'UPG')).device.id;
        const upload = (blobId: string, grantId?: string) =>
          store.files.recordUpload(id, {
            fileType: '1 Vendor Configuration File',
            name: 'c',
            size: 3,
            sha256: SHA,
            blobId,
            ...(grantId === undefined ? {} : { grantId }),
          });
        assert.equal(await store.files.uploadGrantUsed('g-1'), false);
        await upload('g-b1', 'g-1');
        assert.equal(await store.files.uploadGrantUsed('g-1'), true);
        await rejectsWith(upload('g-b2', 'g-1'), 'conflict');
        await upload('g-b3', 'g-2');
        await upload('g-b4');
        await upload('g-b5');
        assert.equal((await store.files.uploads(id)).length, 4);
      }));

    it('keeps files and uploads across a restart', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        const id = (await addDevice(store, 'UP3')).device.id;
        const fw = await store.files.create(firmware('r-1'));
        const up = await store.files.recordUpload(id, {
          fileType: '1 Vendor Configuration File',
          name: 'c',
          size: 3,
          sha256: SHA,
          blobId: 'r-2',
        });
        const reopened = await harness.reopen();
        assert.deepEqual(await reopened.files.get(fw.id), fw);
        assert.deepEqual(await reopened.files.uploads(id), [up]);
      }));
  });
}
