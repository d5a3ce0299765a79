import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignDeviceRecord } from '../../store/campaigns.ts';
import type { DeviceRecord } from '../../store/devices.ts';
import type { TaskFault, TaskRecord, TaskState } from '../../store/tasks.ts';
import { type CampaignDefinition, validateCampaignDefinition } from './definition.ts';
import { judge } from './outcome.ts';

const T0 = Date.UTC(2026, 0, 1, 2);
const checked = validateCampaignDefinition({
  fileId: 'a'.repeat(32),
  softwareVersion: '2.0',
  devices: { filter: [] },
  timeoutSeconds: 600,
});
assert.ok(checked.ok);
const DEF: CampaignDefinition = checked.value;

const row: CampaignDeviceRecord = {
  deviceId: 'dev',
  position: 0,
  stage: 0,
  state: 'in-progress',
  taskId: 1,
  transfer: 'scheduleDownload',
  cancelTaskId: null,
  startedAt: T0,
  finishedAt: null,
  reason: null,
  detail: null,
};

function task(state: TaskState, extra: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: 1,
    type: 'scheduleDownload',
    state,
    createdAt: T0,
    fault: null,
    ...extra,
  } as TaskRecord;
}

function device(softwareVersion: string, lastBootAt: number | null = T0 - 1000): DeviceRecord {
  return { id: 'dev', softwareVersion, lastBootAt } as DeviceRecord;
}

const fault = (source: TaskFault['source'], code: number): TaskFault => ({
  source,
  code,
  message: 'm',
  detail: null,
  at: T0,
  permanent: true,
});

const ctx = (now = T0 + 1000, windowOpen = true) => ({ definition: DEF, now, windowOpen });

describe('device outcome', () => {
  it('succeeds when the transfer is done and the device runs the version', () => {
    assert.equal(judge(row, task('done'), device('2.0', T0 + 10), ctx()).kind, 'succeeded');
  });

  it('succeeds when the device rebooted into the version before its TransferComplete', () => {
    assert.equal(judge(row, task('awaiting'), device('2.0', T0 + 10), ctx()).kind, 'succeeded');
  });

  it('fails with wrong-version when the transfer is done and it booted into another version', () => {
    const v = judge(row, task('done'), device('9.9', T0 + 10), ctx());
    assert.deepEqual(v, {
      kind: 'failed',
      reason: 'wrong-version',
      detail: { expected: '2.0', softwareVersion: '9.9' },
      cancelTask: false,
    });
  });

  it('waits when done without a reboot yet (Download Status 0), or rebooted with the transfer pending', () => {
    assert.equal(judge(row, task('done'), device('1.0', T0 - 5), ctx()).kind, 'wait');
    assert.equal(judge(row, task('awaiting'), device('1.0', T0 + 10), ctx()).kind, 'wait');
  });

  it('fails with the fault source as reason, and the code and message as detail', () => {
    const v = judge(row, task('failed', { fault: fault('transfer', 9018) }), device('1.0'), ctx());
    assert.deepEqual(v, {
      kind: 'failed',
      reason: 'transfer-fault',
      detail: { code: 9018, message: 'm' },
      cancelTask: false,
    });
    assert.equal(
      (
        judge(row, task('failed', { fault: fault('cpe', 9010) }), device('1.0'), ctx()) as {
          reason: string;
        }
      ).reason,
      'cpe-fault',
    );
  });

  it('falls back to Download when ScheduleDownload is not supported (9000), in auto mode only', () => {
    const refused = task('failed', { fault: fault('cpe', 9000) });
    assert.equal(judge(row, refused, device('1.0'), ctx()).kind, 'fallback');
    const forced = { ...ctx(), definition: { ...DEF, transfer: 'scheduleDownload' as const } };
    assert.equal(judge(row, refused, device('1.0'), forced).kind, 'failed');
    const dl = task('failed', { type: 'download', fault: fault('cpe', 9000) });
    assert.equal(judge(row, dl, device('1.0'), ctx()).kind, 'failed');
  });

  it('times out from the start, withdrawing the task', () => {
    assert.equal(judge(row, task('awaiting'), device('1.0'), ctx(T0 + 599_999)).kind, 'wait');
    const v = judge(row, task('awaiting'), device('1.0'), ctx(T0 + 600_000));
    assert.equal(v.kind, 'failed');
    assert.equal((v as { reason: string }).reason, 'timeout');
    assert.equal((v as { cancelTask: boolean }).cancelTask, true);
  });

  it('withdraws a task not yet sent when the window has closed', () => {
    assert.equal(
      judge(row, task('pending'), device('1.0'), ctx(T0 + 1000, false)).kind,
      'withdraw',
    );
    assert.equal(judge(row, task('awaiting'), device('1.0'), ctx(T0 + 1000, false)).kind, 'wait');
  });

  it('a task cancelled by hand, purged, or a device deleted', () => {
    assert.equal(
      (judge(row, task('cancelled'), device('1.0'), ctx()) as { reason: string }).reason,
      'task-cancelled',
    );
    assert.equal(judge(row, null, device('2.0'), ctx()).kind, 'succeeded');
    assert.equal(
      (judge(row, null, device('1.0'), ctx()) as { reason: string }).reason,
      'task-missing',
    );
    assert.equal(
      (judge(row, task('done'), null, ctx()) as { reason: string }).reason,
      'device-deleted',
    );
  });

  describe('once the campaign has stopped', () => {
    const stopped = (now = T0 + 1000, cancelTask: TaskRecord | null = null) => ({
      ...ctx(now),
      stopped: true,
      cancelTask,
    });
    const cancelling = { ...row, cancelTaskId: 2 };
    const cancel = (state: TaskState, extra: Partial<TaskRecord> = {}) =>
      task(state, { id: 2, type: 'cancelTransfer', ...extra });

    it('sends a CancelTransfer for a ScheduleDownload the device holds, once', () => {
      assert.equal(judge(row, task('awaiting'), device('1.0'), stopped()).kind, 'cancel-transfer');
      // Even past the timeout: the device must hear of it before anything is judged.
      assert.equal(
        judge(row, task('awaiting'), device('1.0'), stopped(T0 + 600_000)).kind,
        'cancel-transfer',
      );
      assert.equal(judge(row, task('awaiting'), device('1.0'), ctx()).kind, 'wait', 'running');
      const pending = cancel('pending');
      assert.equal(
        judge(cancelling, task('awaiting'), device('1.0'), stopped(T0 + 1000, pending)).kind,
        'wait',
      );
      const dl = task('awaiting', { type: 'download' });
      assert.equal(judge(row, dl, device('1.0'), stopped()).kind, 'wait', 'a Download has started');
    });

    it('is cancelled once the CancelTransfer is done, even after the transfer deadline', () => {
      const done = cancel('done');
      assert.deepEqual(
        judge(cancelling, task('awaiting'), device('1.0'), stopped(T0 + 1000, done)),
        { kind: 'cancelled' },
      );
      const timedOut = task('failed', { fault: fault('timeout', 0) });
      assert.equal(
        judge(cancelling, timedOut, device('1.0'), stopped(T0 + 600_000, done)).kind,
        'cancelled',
      );
    });

    it('is judged as before when the CancelTransfer faulted (9021) or is still under way', () => {
      const refused = cancel('failed', { fault: fault('cpe', 9021) });
      const at = (now: number, c: TaskRecord) => stopped(now, c);
      assert.equal(
        judge(cancelling, task('awaiting'), device('1.0'), at(T0 + 1000, refused)).kind,
        'wait',
      );
      assert.equal(
        judge(cancelling, task('done'), device('2.0', T0 + 10), at(T0 + 1000, refused)).kind,
        'succeeded',
      );
      const late = judge(cancelling, task('awaiting'), device('1.0'), at(T0 + 600_000, refused));
      assert.equal((late as { reason: string }).reason, 'timeout');
      const failed = task('failed', { fault: fault('transfer', 9010) });
      const sending = cancel('running');
      assert.equal(
        (judge(cancelling, failed, device('1.0'), at(T0 + 1000, sending)) as { reason: string })
          .reason,
        'transfer-fault',
      );
    });
  });
});
