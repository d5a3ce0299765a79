import type { CampaignStage } from './definition.ts';

/**
 * Stage planning: how many of the eligible devices each stage takes. `{ devices: n }` adds n devices to what
 * the stages before it cover (a canary of n); `{ percent: p }` brings the coverage up to p % of the eligible
 * set, rounded up (so `[{ devices: 1 }, { percent: 20 }, { percent: 100 }]` is a canary of one, then up to a
 * fifth, then the rest). The last stage always takes every device left: a campaign updates its whole set.
 * A stage that adds nothing is empty (its devices are in no stage and it is never waited on).
 *
 * Returns the cumulative end (exclusive) of each stage over the eligible devices in campaign order.
 */
export function stageBoundaries(eligible: number, stages: readonly CampaignStage[]): number[] {
  const ends: number[] = [];
  let covered = 0;
  for (const [i, stage] of stages.entries()) {
    const target =
      i === stages.length - 1
        ? eligible
        : 'devices' in stage
          ? covered + stage.devices
          : Math.ceil((eligible * stage.percent) / 100);
    covered = Math.min(eligible, Math.max(covered, target));
    ends.push(covered);
  }
  return ends;
}

/** The stage of the eligible device at `index` (0-based, in campaign order). */
export function stageOf(index: number, boundaries: readonly number[]): number {
  const stage = boundaries.findIndex((end) => index < end);
  if (stage < 0) throw new RangeError(`device ${index} is past the last stage`);
  return stage;
}
