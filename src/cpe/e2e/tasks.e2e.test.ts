/**
 * Every task type the ACS can send, run by a simulated device that authenticates with HTTP Digest: each task is
 * queued in the store, a Connection Request (a real Digest-authenticated GET) starts the session, and the outcome
 * the ACS stored is checked — for transfers and DU changes, across sessions until TransferComplete or
 * DUStateChangeComplete arrives.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../store/secret.ts';
import type { TaskArgs } from '../../store/task-args.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { SimulatedDevice } from '../device/simulated-device.ts';
import { findTool } from '../diagnostics/system-tool.ts';
import { Lab } from '../testing/lab.ts';
import { CONFIG_FILE_HEADER } from '../transfers/config-file.ts';

let lab: Lab;
let d: SimulatedDevice;
let id: string;

before(async () => {
  lab = await Lab.start({ auth: 'digest' });
  // No periodic informs: every session here is one a test asked for.
  d = await lab.device('TASKS-1', {
    extra: { 'Device.ManagementServer.PeriodicInformEnable': 'false' },
  });
  id = lab.idOf(d);
  const boot = d.waitForSession();
  d.start();
  const r = await boot;
  assert.equal(r.ok, true, r.error?.message);
});
after(() => lab.close());

/** Queue tasks, knock, and wait for the session that runs them. */
async function run(...tasks: TaskArgs[]): Promise<TaskRecord[]> {
  const session = d.waitForSession((r) => r.acsRequests.length > 0);
  const queued = [];
  for (const args of tasks) queued.push(await lab.store.tasks.enqueue(id, { args }));
  assert.equal(await lab.connectionRequest(d), 200);
  const r = await session;
  assert.equal(r.ok, true, r.error?.message);
  return Promise.all(queued.map(async (t) => (await lab.store.tasks.get(t.id))!));
}

const transfer = (url: string) => ({ username: '', password: new Secret(''), url });

describe('every ACS task against a simulated device', { timeout: 30_000 }, () => {
  it('reads and writes parameters: GPV, SPV, GPN, GPA, SPA, refresh', async () => {
    const [gpv, spv, gpn, gpa, spa, refresh] = await run(
      { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] },
      {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.WiFi.SSID.1.SSID', value: 'corral-lab', type: 'string' }],
        parameterKey: 'pk-tasks',
      },
      { type: 'getParameterNames', parameterPath: 'Device.WiFi.', nextLevel: true },
      { type: 'getParameterAttributes', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] },
      {
        type: 'setParameterAttributes',
        parameters: [
          {
            name: 'Device.WiFi.SSID.1.SSID',
            notificationChange: true,
            notification: 1,
            accessListChange: false,
            accessList: [],
          },
        ],
      },
      { type: 'refresh', path: 'Device.Time.' },
    );
    for (const t of [gpv, spv, gpn, gpa, spa, refresh])
      assert.equal(t!.state, 'done', `${t!.type}: ${JSON.stringify(t!.fault)}`);
    assert.equal(
      (await lab.store.parameters.get(id, 'Device.DeviceInfo.ModelName'))?.value,
      'Corral HG-2100',
    );
    assert.equal(d.model.getValue('Device.WiFi.SSID.1.SSID'), 'corral-lab');
    assert.equal(d.model.getValue('Device.ManagementServer.ParameterKey'), 'pk-tasks');
    assert.ok(
      (gpn!.result as { parameters: { name: string }[] }).parameters.some(
        (p) => p.name === 'Device.WiFi.SSID.',
      ),
    );
    assert.deepEqual((gpa!.result as { attributes: unknown[] }).attributes, [
      { name: 'Device.DeviceInfo.SoftwareVersion', notification: 2, accessList: [] },
    ]);
    assert.ok(await lab.store.parameters.get(id, 'Device.Time.NTPServer1'));
  });

  it('faults what it cannot do: an unknown parameter, GetOptions, SetVouchers', async () => {
    const [bad, options, vouchers] = await run(
      {
        type: 'setParameterValues',
        parameters: [{ name: 'Device.No.Such', value: 'x', type: 'string' }],
        parameterKey: 'k',
      },
      { type: 'getOptions', optionName: '' },
      { type: 'setVouchers', voucherList: ['AAAA'] },
    );
    assert.equal(bad!.state, 'failed');
    assert.equal(bad!.fault?.code, 9003);
    assert.equal(options!.fault?.code, 9000);
    assert.equal(vouchers!.fault?.code, 9000);
  });

  it('adds and deletes objects, and lists its RPC methods', async () => {
    const [add, methods] = await run(
      { type: 'addObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'pk-add' },
      { type: 'getRPCMethods' },
    );
    const n = (add!.result as { instanceNumber: number }).instanceNumber;
    assert.equal(n, 3);
    assert.deepEqual(d.model.instances('Device.NAT.PortMapping.'), [1, 2, 3]);
    assert.ok((methods!.result as { methods: string[] }).methods.includes('ChangeDUState'));
    const [del] = await run({
      type: 'deleteObject',
      objectName: 'Device.NAT.PortMapping.3.',
      parameterKey: 'pk-del',
    });
    assert.equal(del!.state, 'done');
    assert.deepEqual(d.model.instances('Device.NAT.PortMapping.'), [1, 2]);
  });

  it('downloads a firmware image over HTTP, reboots into it, and reports TransferComplete next session', async () => {
    const url = lab.files.put('hg2100-fw-4.3.0.bin', Buffer.alloc(4096, 7));
    const completed = d.waitForSession((r) => r.events.includes('7 TRANSFER COMPLETE'));
    const [task] = await run({
      type: 'download',
      commandKey: 'fw-430',
      fileType: '1 Firmware Upgrade Image',
      ...transfer(url),
      fileSize: 4096,
      targetFileName: '',
      delaySeconds: 0,
      successUrl: '',
      failureUrl: '',
    });
    assert.equal(task!.state, 'awaiting');
    const r = await completed;
    assert.deepEqual(r.events, ['1 BOOT', '7 TRANSFER COMPLETE', 'M Download:fw-430']);
    assert.deepEqual(r.acknowledged, ['TransferComplete']);
    assert.equal((await lab.store.tasks.get(task!.id))?.state, 'done');
    assert.equal(
      (await lab.store.parameters.get(id, 'Device.DeviceInfo.SoftwareVersion'))?.value,
      '4.3.0',
    );
    assert.equal(d.pendingRequests, 0);
    assert.equal(lab.files.requests.filter((q) => q.method === 'GET').length, 1);
  });

  it('reports a failed download (FileSize mismatch) with its fault code in TransferComplete', async () => {
    const url = lab.files.put('short.bin', 'tiny');
    const completed = d.waitForSession((r) => r.events.includes('7 TRANSFER COMPLETE'));
    const [task] = await run({
      type: 'download',
      commandKey: 'fw-bad',
      fileType: '1 Firmware Upgrade Image',
      ...transfer(url),
      fileSize: 9999,
      targetFileName: '',
      delaySeconds: 5,
      successUrl: '',
      failureUrl: '',
    });
    lab.clock.advance(5000);
    const r = await completed;
    assert.deepEqual(r.events, ['7 TRANSFER COMPLETE', 'M Download:fw-bad']);
    const stored = await lab.store.tasks.get(task!.id);
    assert.equal(stored?.state, 'failed');
    assert.equal(stored?.fault?.code, 9018);
    assert.equal(d.model.getValue('Device.DeviceInfo.SoftwareVersion'), '4.3.0');
  });

  it('uploads its configuration file with an HTTP PUT', async () => {
    const completed = d.waitForSession((r) => r.events.includes('M Upload:up-1'));
    const [task] = await run({
      type: 'upload',
      commandKey: 'up-1',
      fileType: '1 Vendor Configuration File',
      ...transfer(lab.files.uploadUrl('TASKS-1.cfg')),
      delaySeconds: 0,
    });
    const r = await completed;
    assert.deepEqual(r.acknowledged, ['TransferComplete']);
    assert.equal((await lab.store.tasks.get(task!.id))?.state, 'done');
    const file = lab.files.uploads.get('TASKS-1.cfg');
    assert.ok(file);
    const text = file.body.toString();
    assert.ok(text.startsWith(CONFIG_FILE_HEADER));
    assert.match(text, /\nDevice\.WiFi\.SSID\.1\.SSID\tstring\tcorral-lab\n/);
  });

  it('queues transfers: GetQueuedTransfers, GetAllQueuedTransfers, CancelTransfer', async () => {
    const url = lab.files.put('later.bin', 'x'.repeat(10));
    const [dl, queued, all] = await run(
      {
        type: 'download',
        commandKey: 'later',
        fileType: '3 Vendor Configuration File',
        ...transfer(url),
        fileSize: 10,
        targetFileName: 'later.cfg',
        delaySeconds: 3600,
        successUrl: '',
        failureUrl: '',
      },
      { type: 'getQueuedTransfers' },
      { type: 'getAllQueuedTransfers' },
    );
    assert.equal(dl!.state, 'awaiting');
    assert.deepEqual((queued!.result as { transfers: unknown[] }).transfers, [
      { CommandKey: 'later', State: 1 },
    ]);
    assert.deepEqual((all!.result as { transfers: unknown[] }).transfers, [
      {
        CommandKey: 'later',
        State: 1,
        IsDownload: true,
        FileType: '3 Vendor Configuration File',
        FileSize: 10,
        TargetFileName: 'later.cfg',
      },
    ]);
    const [cancel, again] = await run(
      { type: 'cancelTransfer', commandKey: 'later' },
      { type: 'cancelTransfer', commandKey: 'later' },
    );
    assert.equal(cancel!.state, 'done');
    assert.equal(again!.fault?.code, 9021);
    // 9021 is permanent: the second cancel fails at once instead of holding the queue.
    assert.equal(again!.state, 'failed');
    assert.equal(d.transfers.size, 0);
    lab.clock.advance(3_600_000);
    assert.equal(lab.files.requests.filter((q) => q.url.includes('later.bin')).length, 0);
  });

  it('ScheduleInform: 3 SCHEDULED + M ScheduleInform after its delay', async () => {
    const [task] = await run({ type: 'scheduleInform', delaySeconds: 120, commandKey: 'si-1' });
    assert.equal(task!.state, 'done');
    const scheduled = d.waitForSession((r) => r.events.includes('3 SCHEDULED'));
    lab.clock.advance(119_000);
    assert.equal(d.inSession, false);
    lab.clock.advance(1000);
    assert.deepEqual((await scheduled).events, ['3 SCHEDULED', 'M ScheduleInform:si-1']);
  });

  it('ScheduleDownload: downloads inside its time window and completes with M ScheduleDownload', async () => {
    const url = lab.files.put('hg2100-fw-4.4.0.bin', Buffer.alloc(100, 1));
    const completed = d.waitForSession((r) => r.events.includes('M ScheduleDownload:sd-1'));
    const [task] = await run({
      type: 'scheduleDownload',
      commandKey: 'sd-1',
      fileType: '1 Firmware Upgrade Image',
      ...transfer(url),
      fileSize: 100,
      targetFileName: '',
      timeWindows: [
        {
          windowStart: 60,
          windowEnd: 120,
          windowMode: '4 Confirmation Needed',
          userMessage: 'ok?',
          maxRetries: 0,
        },
        {
          windowStart: 600,
          windowEnd: 3600,
          windowMode: '1 At Any Time',
          userMessage: '',
          maxRetries: -1,
        },
      ],
    });
    assert.equal(task!.state, 'awaiting');
    lab.clock.advance(599_000);
    assert.equal(d.transfers.all()[0]?.state, 1);
    lab.clock.advance(1000);
    const r = await completed;
    assert.deepEqual(r.events, ['1 BOOT', '7 TRANSFER COMPLETE', 'M ScheduleDownload:sd-1']);
    assert.equal((await lab.store.tasks.get(task!.id))?.state, 'done');
    assert.equal(d.model.getValue('Device.DeviceInfo.SoftwareVersion'), '4.4.0');
  });

  it('ChangeDUState: installs from a URL into SoftwareModules, then uninstalls', async () => {
    const url = lab.files.put(
      'sensor-agent-1.2.0.ipk',
      'CORRAL-DU name=sensor-agent version=1.2.0\npayload',
    );
    const installed = d.waitForSession((r) => r.events.includes('M ChangeDUState:du-1'));
    const [task] = await run({
      type: 'changeDUState',
      operations: [{ operation: 'install', url }],
      commandKey: 'du-1',
    });
    assert.equal(task!.state, 'awaiting');
    const r = await installed;
    assert.deepEqual(r.events, ['11 DU STATE CHANGE COMPLETE', 'M ChangeDUState:du-1']);
    assert.equal((await lab.store.tasks.get(task!.id))?.state, 'done');
    const du = 'Device.SoftwareModules.DeploymentUnit.1.';
    assert.equal(d.model.getValue(`${du}Name`), 'sensor-agent');
    assert.equal(d.model.getValue(`${du}Version`), '1.2.0');
    assert.equal(d.model.getValue(`${du}Status`), 'Installed');
    const uuid = d.model.getValue(`${du}UUID`);

    const removed = d.waitForSession((r2) => r2.events.includes('M ChangeDUState:du-2'));
    const [uninstall] = await run({
      type: 'changeDUState',
      operations: [
        { operation: 'uninstall', uuid },
        { operation: 'uninstall', uuid },
      ],
      commandKey: 'du-2',
    });
    await removed;
    const stored = await lab.store.tasks.get(uninstall!.id);
    // The second uninstall fails (already gone): the ACS records the DU fault.
    assert.equal(stored?.fault?.code, 9028);
    assert.deepEqual(d.model.instances('Device.SoftwareModules.DeploymentUnit.'), []);
  });

  it('TR-143 diagnostics: IPPing, TraceRoute, DownloadDiagnostics and UploadDiagnostics end in 8 DIAGNOSTICS COMPLETE', {
    skip:
      findTool(['ping']) === undefined || findTool(['traceroute']) === undefined
        ? 'no ping or traceroute binary (Debian: apt-get install iputils-ping traceroute)'
        : false,
  }, async () => {
    const D = 'Device.IP.Diagnostics.';
    const url = lab.files.put('speedtest.bin', Buffer.alloc(200_000, 3));
    const spv = (parameters: [string, string, string][]) => ({
      type: 'setParameterValues' as const,
      parameters: parameters.map(([name, value, type]) => ({ name: D + name, value, type })),
      parameterKey: 'diag',
    });
    const complete = d.waitForSession((r) => r.events.includes('8 DIAGNOSTICS COMPLETE'));
    const [set] = await run(
      spv([
        ['IPPing.Host', 'localhost', 'string'],
        ['IPPing.NumberOfRepetitions', '3', 'unsignedInt'],
        ['IPPing.DiagnosticsState', 'Requested', 'string'],
        ['TraceRoute.Host', '127.0.0.1', 'string'],
        ['TraceRoute.MaxHopCount', '3', 'unsignedInt'],
        ['TraceRoute.DiagnosticsState', 'Requested', 'string'],
        ['DownloadDiagnostics.DownloadURL', url, 'string'],
        ['DownloadDiagnostics.DiagnosticsState', 'Requested', 'string'],
        ['UploadDiagnostics.UploadURL', lab.files.uploadUrl('speedtest-up'), 'string'],
        ['UploadDiagnostics.TestFileLength', '100000', 'unsignedLong'],
        ['UploadDiagnostics.DiagnosticsState', 'Requested', 'string'],
      ]),
    );
    assert.equal(set!.state, 'done', JSON.stringify(set!.fault));
    await complete;
    // All three ran (one event may cover several).
    for (let i = 0; i < 250; i++) {
      const states = ['IPPing', 'TraceRoute', 'DownloadDiagnostics', 'UploadDiagnostics'].map((o) =>
        d.model.getValue(`${D}${o}.DiagnosticsState`),
      );
      if (states.every((st) => st === 'Complete')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [read] = await run({ type: 'getParameterValues', parameterNames: [D] });
    assert.equal(read!.state, 'done');
    const value = async (name: string) => (await lab.store.parameters.get(id, D + name))?.value;
    assert.equal(await value('IPPing.DiagnosticsState'), 'Complete');
    assert.equal(await value('IPPing.SuccessCount'), '3');
    assert.equal(await value('TraceRoute.DiagnosticsState'), 'Complete');
    assert.equal(await value('TraceRoute.RouteHops.1.HostAddress'), '127.0.0.1');
    assert.equal(await value('DownloadDiagnostics.DiagnosticsState'), 'Complete');
    assert.equal(await value('DownloadDiagnostics.TestBytesReceived'), '200000');
    assert.match(String(await value('DownloadDiagnostics.EOMTime')), /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    assert.equal(await value('UploadDiagnostics.DiagnosticsState'), 'Complete');
    assert.equal(await value('UploadDiagnostics.TestBytesSent'), '100000');
    assert.equal(lab.files.uploads.get('speedtest-up')?.body.length, 100_000);
  });
});
