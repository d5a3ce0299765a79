/**
 * A preset's `software` over real CWMP: a simulated device on 1.x is sent a Download of the stored image by a URL
 * signed for it, fetches it from the ACS's file server, reboots into it and reports TransferComplete; the next
 * session on the new version sends nothing. A device whose image comes back with another version is not sent it
 * again at once.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { provisioningDryRun } from '../../acs/provisioning/dry-run.ts';
import { Lab } from '../testing/lab.ts';

const VERSION = 'Device.DeviceInfo.SoftwareVersion';
let lab: Lab;

async function firmware(name: string, content: string): Promise<string> {
  const put = await lab.blobs!.put(Readable.from([Buffer.from(content)]), { maxBytes: 1 << 20 });
  const file = await lab.store.files.create({
    name,
    fileType: '1 Firmware Upgrade Image',
    size: put.size,
    sha256: put.sha256,
    blobId: put.id,
  });
  return file.id;
}

before(async () => {
  lab = await Lab.start({ servedFiles: true });
  const good = await firmware('hg-7.1.0.bin', 'CORRAL-FIRMWARE version=7.1.0\nimage');
  const odd = await firmware('hg-7.2.0.bin', 'CORRAL-FIRMWARE version=7.2.0-beta\nimage');
  for (const [name, prefix, fileId, version] of [
    ['firmware-good', 'FW-', good, '7.1.0'],
    ['firmware-odd', 'ODD-', odd, '7.2.0'],
  ] as const) {
    await lab.store.presets.put(name, {
      weight: 0,
      channel: 'firmware',
      precondition: { field: 'serialNumber', op: 'prefix', value: prefix },
      software: { version, fileId },
    });
  }
});
after(() => lab.close());

describe('presets: the software a device must run', { timeout: 60_000 }, () => {
  it('sends the image, the device reboots into it, and the next session sends nothing', async () => {
    const d = await lab.device('FW-0001');
    const before = d.model.getValue(VERSION);
    assert.notEqual(before, '7.1.0');
    const flashed = d.waitForSession((r) => r.acknowledged.includes('TransferComplete'));
    const first = d.waitForSession();
    d.start();
    assert.ok((await first).acsRequests.includes('Download'));
    const report = await flashed;
    assert.ok(report.events.includes('1 BOOT'), report.events.join());
    assert.equal(d.model.getValue(VERSION), '7.1.0');
    const id = lab.idOf(d);
    assert.equal((await lab.store.devices.get(id))?.softwareVersion, '7.1.0');

    const next = d.waitForSession();
    d.connectionRequest();
    const again = await next;
    assert.equal(again.ok, true, again.error);
    assert.ok(!again.acsRequests.includes('Download'), again.acsRequests.join());
    const dry = await provisioningDryRun(lab.store, id, Date.now());
    assert.deepEqual(dry?.plan.diff, []);
  });

  it('an image that brings another version is not sent again at once, and the dry run says so', async () => {
    const d = await lab.device('ODD-0001');
    const flashed = d.waitForSession((r) => r.acknowledged.includes('TransferComplete'));
    d.start();
    await flashed;
    assert.equal(d.model.getValue(VERSION), '7.2.0-beta');

    const next = d.waitForSession();
    d.connectionRequest();
    const again = await next;
    assert.ok(!again.acsRequests.includes('Download'), again.acsRequests.join());
    const dry = await provisioningDryRun(lab.store, lab.idOf(d), Date.now());
    const software = dry?.plan.diff.find((e) => e.kind === 'software');
    assert.equal(software?.kind === 'software' && software.status, 'tried');
    assert.match(dry?.summary ?? '', /firmware 7\.2\.0-beta → 7\.2\.0 .*tried, again after/);
  });
});
