/**
 * When the next periodic Inform is due (cwmp-spec.md §4.2): at PeriodicInformTime + n·PeriodicInformInterval, the
 * first such time after now. PeriodicInformTime only sets the phase; when it is the Unknown Time the device picks
 * the phase itself (`ownPhase`: a point in time the device chose, e.g. boot time plus a random fraction of the
 * interval, so that a fleet does not inform all at once).
 */
import { readDateTime } from '../../cwmp/index.ts';

export interface PeriodicSettings {
  enabled: boolean;
  /** Seconds, ≥ 1. */
  interval: number;
  /** PeriodicInformTime as the data model holds it. */
  time: string;
}

/** The next due time (ms since the epoch) strictly after `now`, or undefined when periodic informs are off. */
export function nextPeriodicInform(
  settings: PeriodicSettings,
  now: number,
  ownPhase: number,
): number | undefined {
  if (!settings.enabled || !Number.isFinite(settings.interval) || settings.interval < 1)
    return undefined;
  const period = settings.interval * 1000;
  const parsed = readDateTime(settings.time);
  const anchor =
    parsed.ok && parsed.value.kind === 'absolute' ? parsed.value.date.getTime() : ownPhase;
  const n = Math.floor((now - anchor) / period) + 1;
  return anchor + n * period;
}
