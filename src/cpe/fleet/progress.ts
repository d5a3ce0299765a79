/**
 * What `corral sim` shows: a progress bar while devices start, then a live line (sessions per second, completed,
 * failed, faults, errors, latency, memory), and a summary at the end; and the `--json` object, with exactly the
 * keys the issue names.
 */
import type { FleetSnapshot } from './stats.ts';

export function progressBar(done: number, total: number, width = 30): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} devices started (${Math.floor(fraction * 100)}%)`;
}

function errorsText(errors: Record<string, number>): string {
  const parts = Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

export function liveLine(s: FleetSnapshot, sessionsPerSecond: number): string {
  return (
    `${sessionsPerSecond.toFixed(1)} sessions/s | completed ${s.sessionsCompleted} | failed ${s.sessionsFailed} | ` +
    `faults ${s.faults} | errors: ${errorsText(s.errors)} | p50 ${s.p50Ms} ms p99 ${s.p99Ms} ms | rss ${mb(s.rssBytes)}`
  );
}

export function summary(s: FleetSnapshot, elapsedSeconds: number): string {
  const total = s.sessionsCompleted + s.sessionsFailed;
  return [
    `corral sim: ${s.devices} devices (${s.started} started) for ${elapsedSeconds.toFixed(1)} s`,
    `  sessions: ${s.sessionsCompleted} completed, ${s.sessionsFailed} failed` +
      (total > 0
        ? ` (${((s.sessionsCompleted / total) * 100).toFixed(1)} % ok, ${(total / Math.max(elapsedSeconds, 0.001)).toFixed(1)}/s)`
        : ''),
    `  latency: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms`,
    `  faults: ${s.faults}; errors: ${errorsText(s.errors)}`,
    `  memory: rss ${mb(s.rssBytes)} (${s.devices > 0 ? Math.round(s.rssBytes / s.devices) : 0} bytes per device)`,
  ].join('\n');
}

/** The `--json` object: {"devices", "sessionsCompleted", "sessionsFailed", "p50Ms", "p99Ms", "rssBytes"}. */
export function jsonSummary(s: FleetSnapshot): string {
  return JSON.stringify({
    devices: s.devices,
    sessionsCompleted: s.sessionsCompleted,
    sessionsFailed: s.sessionsFailed,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    rssBytes: s.rssBytes,
  });
}
