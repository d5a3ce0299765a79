import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParameterRecord } from '../store/parameters.ts';
import { Secret } from '../store/secret.ts';
import { TASK_TYPES } from '../store/task-args.ts';
import type { TaskInput } from './schemas/task-input.ts';
import { generateCommandKey, toTaskArgs } from './task-input.ts';

const none = async () => null;

/** One minimal body per task type: each must convert to store-valid TaskArgs. */
const EXAMPLES: TaskInput[] = [
  { type: 'getParameterValues', parameterNames: ['Device.'] },
  { type: 'setParameterValues', parameters: [{ name: 'Device.X', value: '1' }] },
  { type: 'getParameterNames', parameterPath: 'Device.' },
  { type: 'getParameterAttributes', parameterNames: ['Device.X'] },
  { type: 'setParameterAttributes', parameters: [{ name: 'Device.X', notification: 2 }] },
  { type: 'addObject', objectName: 'Device.IP.Interface.' },
  { type: 'deleteObject', objectName: 'Device.IP.Interface.2.' },
  { type: 'reboot' },
  { type: 'factoryReset' },
  { type: 'download', fileType: '1 Firmware Upgrade Image', url: 'http://a/fw' },
  { type: 'upload', fileType: '3 Vendor Configuration File', url: 'http://a/up', password: 'p' },
  { type: 'scheduleInform', delaySeconds: 60 },
  {
    type: 'scheduleDownload',
    fileType: '1 Firmware Upgrade Image',
    url: 'http://a/fw',
    timeWindows: [{ windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time' }],
  },
  { type: 'cancelTransfer', commandKey: 'k' },
  {
    type: 'changeDUState',
    operations: [
      { operation: 'install', url: 'http://a/du', password: 'du-pass' },
      { operation: 'update', uuid: 'u' },
      { operation: 'uninstall', uuid: 'u' },
    ],
  },
  { type: 'getQueuedTransfers' },
  { type: 'getAllQueuedTransfers' },
  { type: 'getRPCMethods' },
  { type: 'getOptions', optionName: 'x' },
  { type: 'setVouchers', voucherList: ['AAAA'] },
  { type: 'refresh', path: 'Device.WiFi.' },
];

describe('task input', () => {
  it('has an example for every task type, and each converts to valid store arguments', async () => {
    assert.deepEqual(EXAMPLES.map((e) => e.type).sort(), [...TASK_TYPES].sort());
    for (const example of EXAMPLES) {
      const args = await toTaskArgs(example, none);
      assert.equal(args.type, example.type);
    }
  });

  it('generates distinct CommandKeys within TR-069’s 32 characters', () => {
    const keys = new Set(Array.from({ length: 100 }, generateCommandKey));
    assert.equal(keys.size, 100);
    for (const k of keys) assert.ok(k.length <= 32 && /^[A-Za-z0-9_-]+$/.test(k), k);
  });

  it('turns every password into a Secret', async () => {
    const upload = await toTaskArgs(EXAMPLES[10]!, none);
    assert.ok(upload.type === 'upload' && upload.password instanceof Secret);
    assert.equal(upload.type === 'upload' && upload.password.reveal(), 'p');
    const download = await toTaskArgs(EXAMPLES[9]!, none);
    assert.ok(download.type === 'download' && download.password.reveal() === '');
    const du = await toTaskArgs(EXAMPLES[14]!, none);
    assert.ok(du.type === 'changeDUState');
    const install = du.operations[0];
    assert.ok(install?.operation === 'install' && install.password instanceof Secret);
    assert.ok(!JSON.stringify(du).includes('du-pass'));
  });

  it('makes a SetParameterValues value secret when flagged, named so, or stored as secret', async () => {
    const stored = { secret: true, type: 'string' } as ParameterRecord;
    const lookup = async (path: string) => (path === 'Device.Stored' ? stored : null);
    const args = await toTaskArgs(
      {
        type: 'setParameterValues',
        parameters: [
          { name: 'Device.A', value: 'a', secret: true },
          { name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase', value: 'b' },
          { name: 'Device.Stored', value: 'c' },
          { name: 'Device.Plain', value: 'd' },
        ],
      },
      lookup,
    );
    assert.ok(args.type === 'setParameterValues');
    assert.deepEqual(
      args.parameters.map((p) => p.value instanceof Secret),
      [true, true, true, false],
    );
  });

  it('defaults a SetParameterValues type to the stored one, else string; strips xsd:', async () => {
    const lookup = async () => ({ type: 'unsignedInt', secret: false }) as ParameterRecord;
    const args = await toTaskArgs(
      {
        type: 'setParameterValues',
        parameters: [
          { name: 'Device.A', value: '1' },
          { name: 'Device.B', value: '1', type: 'xsd:int' },
        ],
      },
      lookup,
    );
    assert.ok(args.type === 'setParameterValues');
    assert.deepEqual(
      args.parameters.map((p) => p.type),
      ['unsignedInt', 'int'],
    );
  });

  it('sets the SetParameterAttributes change flags from what is given', async () => {
    const args = await toTaskArgs(
      {
        type: 'setParameterAttributes',
        parameters: [{ name: 'Device.X', accessList: ['Subscriber'] }],
      },
      none,
    );
    assert.ok(args.type === 'setParameterAttributes');
    assert.deepEqual(args.parameters[0], {
      name: 'Device.X',
      notificationChange: false,
      notification: 0,
      accessListChange: true,
      accessList: ['Subscriber'],
    });
  });
});
