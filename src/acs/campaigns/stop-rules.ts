import type { StopRules } from './definition.ts';

/**
 * Stop rules (security.md item 12): a campaign halts as soon as its failures exceed a count or a ratio. The ratio
 * is over finished devices (succeeded + failed), counted from the canary on — a failed canary of one is a ratio
 * of 1. Skipped and cancelled devices count for neither.
 *
 * Returns why the campaign must halt, or null.
 */
export function stopReason(
  counts: { succeeded: number; failed: number },
  rules: StopRules,
): string | null {
  const { succeeded, failed } = counts;
  if (rules.maxFailures !== undefined && failed > rules.maxFailures) {
    return `${failed} device(s) failed, more than maxFailures ${rules.maxFailures}`;
  }
  const finished = succeeded + failed;
  if (rules.maxFailureRatio !== undefined && finished > 0) {
    const ratio = failed / finished;
    if (ratio > rules.maxFailureRatio) {
      return `${failed} of ${finished} finished device(s) failed (${round(ratio)}), more than maxFailureRatio ${rules.maxFailureRatio}`;
    }
  }
  return null;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
