import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCampaignDefinition } from './definition.ts';
import { isWindowOpen, nextOpening, openWindowRemaining, scheduleTimeWindows } from './windows.ts';

const at = (hhmm: string, day = 1) => Date.parse(`2026-01-0${day}T${hhmm}:00Z`);
const NIGHT = [{ start: '01:00', end: '05:00' }];

function definition(extra: Record<string, unknown>) {
  const checked = validateCampaignDefinition({
    fileId: 'a'.repeat(32),
    softwareVersion: '2.0',
    devices: { filter: [] },
    ...extra,
  });
  assert.ok(checked.ok);
  return checked.value;
}

describe('maintenance windows', () => {
  it('is open from start (inclusive) to end (exclusive), in UTC by default', () => {
    assert.equal(isWindowOpen(at('00:59'), NIGHT, 0), false);
    assert.equal(isWindowOpen(at('01:00'), NIGHT, 0), true);
    assert.equal(openWindowRemaining(at('04:30'), NIGHT, 0), 1800);
    assert.equal(isWindowOpen(at('05:00'), NIGHT, 0), false);
  });

  it('no windows means any time', () => {
    assert.equal(isWindowOpen(at('13:37'), [], 0), true);
  });

  it('honours the UTC offset', () => {
    // 01:00-05:00 at UTC+2 is 23:00-03:00 UTC.
    assert.equal(isWindowOpen(at('23:30'), NIGHT, 120), true);
    assert.equal(isWindowOpen(at('03:30'), NIGHT, 120), false);
    // and at UTC-3, 04:00-08:00 UTC.
    assert.equal(isWindowOpen(at('04:30'), NIGHT, -180), true);
    assert.equal(isWindowOpen(at('02:30'), NIGHT, -180), false);
  });

  it('a window ending before it starts spans midnight', () => {
    const late = [{ start: '22:00', end: '02:00' }];
    assert.equal(openWindowRemaining(at('23:00'), late, 0), 3 * 3600);
    assert.equal(openWindowRemaining(at('01:00'), late, 0), 3600);
    assert.equal(isWindowOpen(at('12:00'), late, 0), false);
  });

  it('finds the next opening, tomorrow when today’s has passed', () => {
    assert.deepEqual(nextOpening(at('00:00'), NIGHT, 0), { inSeconds: 3600, length: 4 * 3600 });
    assert.deepEqual(nextOpening(at('06:00'), NIGHT, 0), {
      inSeconds: 19 * 3600,
      length: 4 * 3600,
    });
    assert.equal(nextOpening(at('06:00'), [], 0), null);
  });

  it('ScheduleDownload: the rest of tonight’s window, and tomorrow’s within the timeout', () => {
    const d = definition({ maintenanceWindows: NIGHT, timeoutSeconds: 2 * 86_400 });
    const windows = scheduleTimeWindows(at('04:00'), d);
    assert.deepEqual(
      windows.map((w) => [w.windowStart, w.windowEnd, w.windowMode, w.maxRetries]),
      [
        [0, 3600, '1 At Any Time', -1],
        [21 * 3600, 25 * 3600, '1 At Any Time', -1],
      ],
    );
  });

  it('ScheduleDownload: tomorrow’s window is left out past the timeout; no windows is one any-time window', () => {
    const short = definition({ maintenanceWindows: NIGHT, timeoutSeconds: 7200 });
    assert.deepEqual(
      scheduleTimeWindows(at('04:00'), short).map((w) => [w.windowStart, w.windowEnd]),
      [[0, 3600]],
    );
    const tight = definition({ maintenanceWindows: NIGHT, timeoutSeconds: 600 });
    assert.deepEqual(
      scheduleTimeWindows(at('04:00'), tight).map((w) => [w.windowStart, w.windowEnd]),
      [[0, 600]],
    );
    const any = definition({ timeoutSeconds: 900 });
    assert.deepEqual(
      scheduleTimeWindows(at('12:00'), any).map((w) => [w.windowStart, w.windowEnd]),
      [[0, 900]],
    );
  });
});
