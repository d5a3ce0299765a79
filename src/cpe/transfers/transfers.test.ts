import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CwmpFault } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { applyConfigFile, CONFIG_FILE_HEADER, generateConfigFile } from './config-file.ts';
import { applyDownloadedFile, checkDownloadFileType, firmwareVersion } from './firmware.ts';
import { checkTimeWindows, type QueuedTransfer, TransferQueue } from './transfer-queue.ts';

const template = templateFor(DEVICE2_GATEWAY);
const file = (text: string) => ({
  size: text.length,
  sha256: 'ab'.repeat(32),
  head: Buffer.from(text),
});
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as CwmpFault).code;
  }
  return 0;
};

describe('configuration files', () => {
  it('round-trip every writable value, odd characters included, and refuse a foreign file', () => {
    const a = new DeviceModel(template);
    a.setLocalValue('Device.DeviceInfo.HostName', 'tab\there\\and\nnewline');
    const cfg = generateConfigFile(a, { serialNumber: 'A', time: '2026-01-01T00:00:00Z' });
    assert.ok(cfg.toString().startsWith(CONFIG_FILE_HEADER));
    const b = new DeviceModel(template);
    assert.ok(applyConfigFile(b, cfg) > 10);
    assert.equal(b.getValue('Device.DeviceInfo.HostName'), 'tab\there\\and\nnewline');
    assert.equal(b.pendingValueChanges().length, 0);
    assert.equal(
      codeOf(() => applyConfigFile(b, Buffer.from('hello'))),
      9018,
    );
    const bad = Buffer.from(
      `${CONFIG_FILE_HEADER}\nDevice.DeviceInfo.HostName\tstring\tok\nDevice.DeviceInfo.UpTime\tunsignedInt\t5\n`,
    );
    assert.equal(
      codeOf(() => applyConfigFile(b, bad)),
      9018,
    );
    // Atomic: the valid line before the bad one was not applied.
    assert.equal(b.getValue('Device.DeviceInfo.HostName'), 'tab\there\\and\nnewline');
  });
});

describe('firmware images', () => {
  it('take their version from a header line, the target name, the URL, or the digest', () => {
    const names = { targetFileName: '', url: 'http://h/fw/hg2100-v4.3.1-rc2.bin' };
    assert.equal(
      firmwareVersion(file('CORRAL-FIRMWARE version=9.9.9\n...'), names, '4.2.7'),
      '9.9.9',
    );
    assert.equal(
      firmwareVersion(file('bin'), { ...names, targetFileName: 'img-5.0.0.bin' }, '4.2.7'),
      '5.0.0',
    );
    assert.equal(firmwareVersion(file('bin'), names, '4.2.7'), '4.3.1-rc2');
    assert.equal(
      firmwareVersion(file('bin'), { targetFileName: '', url: 'http://h/image' }, '4.2.7'),
      '4.2.7+abababab',
    );
  });

  it('a firmware image sets SoftwareVersion and asks for a reboot; web content does not', () => {
    const m = new DeviceModel(template);
    const names = { targetFileName: '', url: 'http://h/fw-4.4.0.bin' };
    assert.deepEqual(applyDownloadedFile(m, '1 Firmware Upgrade Image', file('x'), names), {
      reboot: true,
    });
    assert.equal(m.getValue('Device.DeviceInfo.SoftwareVersion'), '4.4.0');
    assert.deepEqual(applyDownloadedFile(m, '2 Web Content', file('x'), names), { reboot: false });
    assert.equal(
      codeOf(() => applyDownloadedFile(m, '1 Firmware Upgrade Image', file(''), names)),
      9018,
    );
  });

  it('FileType must be a TR-069 or vendor type', () => {
    assert.equal(
      codeOf(() => checkDownloadFileType('1 Firmware Upgrade Image')),
      0,
    );
    assert.equal(
      codeOf(() => checkDownloadFileType('X 00D09E Bootloader')),
      0,
    );
    assert.equal(
      codeOf(() => checkDownloadFileType('firmware')),
      9003,
    );
  });
});

describe('TransferQueue', () => {
  const t = (commandKey: string, state: 1 | 2 | 3 = 1): QueuedTransfer => ({
    kind: 'download',
    commandKey,
    fileType: '1 Firmware Upgrade Image',
    url: 'http://h/f',
    username: '',
    password: '',
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    state,
  });

  it('holds 16 transfers, then answers 9004', () => {
    const q = new TransferQueue();
    for (let i = 0; i < 16; i++) q.add(t(`k${i}`));
    assert.equal(
      codeOf(() => q.add(t('k16'))),
      9004,
    );
  });

  it('cancels only transfers not yet started: 9021 otherwise', () => {
    const q = new TransferQueue();
    q.add(t('a'));
    q.add(t('b', 2));
    assert.equal(q.cancel('a'), 1);
    assert.equal(
      codeOf(() => q.cancel('b')),
      9021,
    );
    assert.equal(
      codeOf(() => q.cancel('zzz')),
      9021,
    );
    assert.deepEqual(q.queuedTransfers().TransferList, [{ CommandKey: 'b', State: 2 }]);
  });

  it('checks TimeWindowList: one or two ordered windows, each well formed', () => {
    const w = (start: number, end: number, mode = '1 At Any Time') => ({
      start,
      end,
      mode,
      userMessage: '',
      maxRetries: 0,
    });
    assert.equal(
      codeOf(() => checkTimeWindows([w(0, 10), w(20, 30)])),
      0,
    );
    assert.equal(
      codeOf(() => checkTimeWindows([])),
      9003,
    );
    assert.equal(
      codeOf(() => checkTimeWindows([w(10, 5)])),
      9003,
    );
    assert.equal(
      codeOf(() => checkTimeWindows([w(0, 10), w(5, 30)])),
      9003,
    );
    assert.equal(
      codeOf(() => checkTimeWindows([w(0, 10, 'whenever')])),
      9003,
    );
    assert.equal(
      codeOf(() => checkTimeWindows([w(0, 1), w(2, 3), w(4, 5)])),
      9003,
    );
  });
});
