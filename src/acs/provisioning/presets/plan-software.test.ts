import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePlan } from './describe.ts';
import { planProvisioning } from './plan.ts';
import { SOFTWARE_RETRY_MS, type SoftwareTransfer } from './plan-software.ts';
import { validatePreset } from './preset.ts';
import { ctx, NOW, preset } from './testing.ts';

const FILE = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);
const firmware = (version: string, fileId = FILE, weight = 0, name = 'fw') =>
  preset(name, {}, { weight, channel: 'firmware', software: { version, fileId } });
const on = (version: string | null, transfers: SoftwareTransfer[] = []) =>
  ctx([], {
    device: { ...ctx([]).device, softwareVersion: version },
    softwareTransfers: transfers,
  });

test('a device on another version is sent a Download of the preset’s file, last in its channel', () => {
  const plan = planProvisioning(
    [
      firmware('2.0'),
      preset(
        'wifi',
        { values: [{ path: 'Device.WiFi.SSID.1.SSID', value: 'x' }] },
        { channel: 'firmware' },
      ),
    ],
    on('1.0'),
  );
  const types = plan.tasks.map((t) => t.args.type);
  assert.equal(types.at(-1), 'download');
  const download = plan.tasks.at(-1)!.args;
  assert.ok(download.type === 'download');
  assert.equal(download.fileId, FILE);
  assert.equal(download.url, '', 'the file server fills it when the RPC is sent');
  assert.deepEqual(
    plan.diff.filter((d) => d.kind === 'software'),
    [
      {
        kind: 'software',
        current: '1.0',
        desired: '2.0',
        fileId: FILE,
        status: 'download',
        preset: 'fw',
        channel: 'firmware',
      },
    ],
  );
  assert.match(describePlan(plan), /firmware 1\.0 → 2\.0/);
});

test('nothing when the device runs the version; the heaviest preset’s version wins', () => {
  assert.deepEqual(planProvisioning([firmware('2.0')], on('2.0')).tasks, []);
  const plan = planProvisioning(
    [firmware('3.0', OTHER, 10, 'newer'), firmware('2.0', FILE, 0, 'older')],
    on('2.0'),
  );
  const download = plan.tasks[0]?.args;
  assert.ok(download?.type === 'download');
  assert.equal(download.fileId, OTHER);
});

test('never a second Download while one is under way, nor again soon after one was tried', () => {
  for (const state of ['pending', 'running', 'awaiting'] as const) {
    const plan = planProvisioning(
      [firmware('2.0')],
      on('1.0', [{ fileId: FILE, state, at: NOW - 1 }]),
    );
    assert.deepEqual(plan.tasks, [], state);
    assert.equal(plan.diff[0]?.kind === 'software' && plan.diff[0].status, 'under-way');
  }
  // Done (or failed), and the device still reports the old version: not again until the retry time.
  const tried = { fileId: FILE, state: 'done' as const, at: NOW - 1000 };
  const soon = planProvisioning([firmware('2.0')], on('1.0', [tried]));
  assert.deepEqual(soon.tasks, []);
  assert.equal(
    soon.diff[0]?.kind === 'software' && soon.diff[0].retryAt,
    tried.at + SOFTWARE_RETRY_MS,
  );
  const later = planProvisioning(
    [firmware('2.0')],
    on('1.0', [{ ...tried, at: NOW - SOFTWARE_RETRY_MS - 1 }]),
  );
  assert.equal(later.tasks[0]?.args.type, 'download');
  // Another file's history does not count.
  const other = planProvisioning([firmware('2.0')], on('1.0', [{ ...tried, fileId: OTHER }]));
  assert.equal(other.tasks[0]?.args.type, 'download');
});

test('a blocked channel sends no Download', () => {
  const plan = planProvisioning([firmware('2.0')], {
    ...on('1.0'),
    blockedChannels: new Set(['firmware']),
  });
  assert.deepEqual(plan.tasks, []);
  assert.deepEqual(plan.blockedChannels, ['firmware']);
});

test('validation: software is { version, fileId }', () => {
  const base = { name: 'p', weight: 0 };
  assert.ok(validatePreset({ ...base, software: { version: '2.0', fileId: FILE } }).ok);
  for (const [software, field] of [
    [{ version: '', fileId: FILE }, 'software.version'],
    [{ version: '2.0', fileId: '../etc' }, 'software.fileId'],
    [{ version: '2.0', fileId: FILE, url: 'x' }, 'software.url'],
    ['2.0', 'software'],
  ] as const) {
    const r = validatePreset({ ...base, software });
    assert.equal(r.ok === false && r.error.field, field, JSON.stringify(software));
  }
});
