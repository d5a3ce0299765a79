import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import type { SessionRecord } from '../device/session-record.ts';
import { Fleet } from '../fleet/fleet.ts';
import { informResponse, ScriptedAcs } from './scripted-acs.ts';

export interface IdleFleet {
  fleet: Fleet;
  close(): Promise<void>;
}

/**
 * N Device:2 devices that have each booted and run one real session against a minimal loopback ACS, then sit
 * idle on a simulated clock: what the memory test and `npm run bench:sim` measure. `beforeFleet` runs once the
 * ACS is up and the shared template built (it belongs to the profile, not the devices): take the floor there.
 */
export async function startIdleFleet(
  devices: number,
  options: { beforeFleet?: () => void; onSession?: (record: SessionRecord) => void } = {},
): Promise<IdleFleet> {
  const acs = await new ScriptedAcs((r) => (r.body === '' ? { status: 204 } : informResponse()), {
    record: false,
  }).start();
  const clock = new SimulatedClock();
  const common = { acsUrl: acs.url, profile: DEVICE2_GATEWAY, scheduler: clock };
  await (await Fleet.start({ ...common, devices: 1, connectionRequest: false })).stop();
  options.beforeFleet?.();
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const fleet = await Fleet.start({
    ...common,
    devices,
    rate: Number.POSITIVE_INFINITY,
    maxConcurrentSessions: 64,
    onSession: (result) => {
      options.onSession?.(result);
      if (++done === devices) finished();
    },
  });
  await all;
  return {
    fleet,
    async close() {
      await fleet.stop();
      await acs.close();
    },
  };
}
