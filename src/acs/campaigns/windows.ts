import type { TimeWindow } from '../../store/task-args.ts';
import { type CampaignDefinition, type MaintenanceWindow, minutesOf } from './definition.ts';

/**
 * Maintenance windows: times of day in the campaign's UTC offset, during which devices may be started. A window
 * whose end is before its start spans midnight (22:00-02:00). No windows means any time.
 */
const DAY = 86_400;

function secondOfDay(now: number, utcOffsetMinutes: number): number {
  const local = Math.floor(now / 1000) + utcOffsetMinutes * 60;
  return ((local % DAY) + DAY) % DAY;
}

function bounds(w: MaintenanceWindow): { start: number; length: number } {
  const start = minutesOf(w.start) * 60;
  const end = minutesOf(w.end) * 60;
  return { start, length: (end - start + DAY) % DAY };
}

/** Seconds left in the window open at `now` (the longest, if several are), or null when none is open. */
export function openWindowRemaining(
  now: number,
  windows: readonly MaintenanceWindow[],
  utcOffsetMinutes: number,
): number | null {
  const t = secondOfDay(now, utcOffsetMinutes);
  let best: number | null = null;
  for (const w of windows) {
    const { start, length } = bounds(w);
    const into = (t - start + DAY) % DAY;
    if (into < length) best = Math.max(best ?? 0, length - into);
  }
  return best;
}

/** May devices be started at `now`? */
export function isWindowOpen(
  now: number,
  windows: readonly MaintenanceWindow[],
  utcOffsetMinutes: number,
): boolean {
  return windows.length === 0 || openWindowRemaining(now, windows, utcOffsetMinutes) !== null;
}

/** The first window opening at or after `now + afterSeconds`: seconds from `now` to it, and its length. */
export function nextOpening(
  now: number,
  windows: readonly MaintenanceWindow[],
  utcOffsetMinutes: number,
  afterSeconds = 0,
): { inSeconds: number; length: number } | null {
  const t = secondOfDay(now, utcOffsetMinutes) + afterSeconds;
  let best: { inSeconds: number; length: number } | null = null;
  for (const w of windows) {
    const { start, length } = bounds(w);
    const inSeconds = afterSeconds + ((((start - t) % DAY) + DAY) % DAY);
    if (best === null || inSeconds < best.inSeconds) best = { inSeconds, length };
  }
  return best;
}

/**
 * The TimeWindowList of a ScheduleDownload sent at `now` (cwmp-spec.md §8.4: seconds from receipt, 1 or 2
 * windows, ascending, not overlapping): the rest of the maintenance window open now, and the next opening if it
 * starts within the campaign's timeout — so a device that misses tonight's window may still use tomorrow's.
 * With no maintenance windows, one window from now to the timeout. Mode `1 At Any Time`, MaxRetries -1 (the CPE
 * decides). The times count from when the task is queued, which is close to when it is sent since the campaign
 * asks each device it starts for a session (and withdraws a task not sent before its window closes).
 */
export function scheduleTimeWindows(now: number, definition: CampaignDefinition): TimeWindow[] {
  const { maintenanceWindows: windows, utcOffsetMinutes, timeoutSeconds } = definition;
  const anyTime = (windowStart: number, windowEnd: number): TimeWindow => ({
    windowStart,
    windowEnd,
    windowMode: '1 At Any Time',
    userMessage: '',
    maxRetries: -1,
  });
  if (windows.length === 0) return [anyTime(0, timeoutSeconds)];
  const remaining = openWindowRemaining(now, windows, utcOffsetMinutes) ?? 0;
  const first = anyTime(0, Math.min(remaining, timeoutSeconds));
  const next = nextOpening(now, windows, utcOffsetMinutes, remaining + 1);
  if (next === null || next.inSeconds >= timeoutSeconds) return [first];
  return [first, anyTime(next.inSeconds, Math.min(next.inSeconds + next.length, timeoutSeconds))];
}
