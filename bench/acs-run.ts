import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeDeviceId } from '../src/store/device-id.ts';
import { BenchFleet, type RoundFigures } from './acs-fleet.ts';
import {
  BENCH_SSID,
  BENCH_ZERO_TOUCH,
  putConvergedPresets,
  type RealTarget,
  startFloorTarget,
  startRealTarget,
  type Target,
} from './acs-targets.ts';
import { median } from './measure.ts';

/**
 * The machinery of `npm run bench:acs`: N simulated devices run Inform sessions against the floor (a minimal
 * loopback responder) and against the real ACS over SQLite, in three scenarios, floor and ACS rounds interleaved
 * so that machine noise hits both alike. Everything runs in this process; the temp directory is removed at the end.
 */

export type ScenarioName = 'first-contact' | 'periodic' | 'periodic-presets';

export const SCENARIO_TITLES: Record<ScenarioName, string> = {
  'first-contact': '1. first contact (0 BOOTSTRAP, zero-touch SPV)',
  periodic: '2. periodic, no presets',
  'periodic-presets': '3. periodic, 3 converged presets',
};

export interface AcsBenchOptions {
  devices: number;
  rounds: number;
  concurrency: number;
  /** A small unmeasured fleet through both targets first, so round 1 is not the JIT's. Default true. */
  warmup?: boolean;
  roundTimeoutMs?: number;
  /** The SQLite store's durability (default 'full', the store's default): 'normal' shows what the fsyncs cost. */
  synchronous?: 'full' | 'normal';
  /** The ACS counts (its Prometheus metrics and the timed store, as `corral serve` runs it). Default false. */
  metrics?: boolean;
  progress?: (line: string) => void;
}

/** Medians over rounds; totals over all rounds. */
export interface Summary {
  sessionsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerSession: number;
  sessions: number;
  failed: number;
  /** RPCs the ACS sent per session, by method, over all rounds. */
  rpcsPerSession: Record<string, number>;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  real: Summary;
  floor: Summary;
  /** Sessions/s of the ACS over the floor's. */
  ratio: number;
  /** CPU per session above the floor's: the ACS's own cost (the devices' is in both). */
  acsCpuMsPerSession: number;
  rounds: { real: RoundFigures[]; floor: RoundFigures[] };
}

export interface AcsBenchResult {
  devices: number;
  rounds: number;
  concurrency: number;
  synchronous: 'full' | 'normal';
  node: string;
  scenarios: ScenarioResult[];
  /** The unmeasured periodic rounds after the presets were stored, until the ACS had nothing to send. */
  convergence: { rounds: RoundFigures[]; devicesTagged: number; devicesWithSsid: number };
  /** The last real ACS's log events, counted by name (the last first-contact store, then periodic). */
  acsLog: Record<string, number>;
  wallSeconds: number;
}

function summarize(rounds: RoundFigures[]): Summary {
  const sessions = rounds.reduce((n, r) => n + r.sessions, 0);
  const rpcs: Record<string, number> = {};
  for (const r of rounds)
    for (const [method, n] of Object.entries(r.acsRequests)) rpcs[method] = (rpcs[method] ?? 0) + n;
  for (const method of Object.keys(rpcs)) rpcs[method] = rpcs[method]! / sessions;
  return {
    sessionsPerSec: median(rounds.map((r) => r.sessionsPerSec)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    cpuMsPerSession: median(rounds.map((r) => r.cpuMsPerSession)),
    sessions,
    failed: rounds.reduce((n, r) => n + r.failed, 0),
    rpcsPerSession: rpcs,
  };
}

function scenario(name: ScenarioName, real: RoundFigures[], floor: RoundFigures[]): ScenarioResult {
  const r = summarize(real);
  const f = summarize(floor);
  return {
    scenario: name,
    real: r,
    floor: f,
    ratio: r.sessionsPerSec / f.sessionsPerSec,
    acsCpuMsPerSession: r.cpuMsPerSession - f.cpuMsPerSession,
    rounds: { real, floor },
  };
}

function describeRound(label: string, r: RoundFigures): string {
  return `${label}: ${r.sessions} sessions (${r.failed} failed) in ${(r.wallMs / 1000).toFixed(2)} s, ${r.sessionsPerSec.toFixed(0)}/s`;
}

export async function runAcsBench(options: AcsBenchOptions): Promise<AcsBenchResult> {
  const started = performance.now();
  const { devices, rounds, concurrency } = options;
  const acsOptions = {
    concurrency,
    zeroTouch: BENCH_ZERO_TOUCH,
    synchronous: options.synchronous ?? 'full',
    metrics: options.metrics ?? false,
  } as const;
  const progress = options.progress ?? (() => {});
  const fleetOptions = {
    devices,
    concurrency,
    ...(options.roundTimeoutMs === undefined ? {} : { roundTimeoutMs: options.roundTimeoutMs }),
  };
  const dir = mkdtempSync(join(tmpdir(), 'corral-bench-acs-'));
  const open: { close(): Promise<void> }[] = [];
  /** Closes `x` (a fleet before its target) and forgets it. */
  const close = async (x: { close(): Promise<void> } | undefined) => {
    if (x === undefined) return;
    open.splice(open.indexOf(x), 1);
    await x.close();
  };
  const track = <T extends { close(): Promise<void> }>(x: T): T => {
    open.push(x);
    return x;
  };
  try {
    const floor: Target = track(await startFloorTarget());
    if (options.warmup !== false) {
      const few = { ...fleetOptions, devices: Math.min(devices, 100), serialPrefix: 'WARM' };
      const warmAcs = track(await startRealTarget(dir, acsOptions));
      for (const url of [floor.url, warmAcs.url]) {
        const { fleet } = await BenchFleet.boot({ ...few, acsUrl: url });
        await fleet.periodic();
        await fleet.close();
      }
      await close(warmAcs);
      progress('warm-up done');
    }

    // 1. First contact: a fresh fleet per round; for the ACS a fresh store too, so each is its first contact.
    const first = { real: [] as RoundFigures[], floor: [] as RoundFigures[] };
    let floorFleet: BenchFleet | undefined;
    let realFleet: BenchFleet | undefined;
    let real: RealTarget | undefined;
    for (let i = 0; i < rounds; i++) {
      await close(floorFleet);
      const f = await BenchFleet.boot({ ...fleetOptions, acsUrl: floor.url });
      floorFleet = track(f.fleet);
      first.floor.push(f.round);
      progress(describeRound(`first contact, floor, round ${i + 1}`, f.round));
      await close(realFleet);
      await close(real);
      real = track(await startRealTarget(dir, acsOptions));
      const r = await BenchFleet.boot({ ...fleetOptions, acsUrl: real.url });
      realFleet = track(r.fleet);
      first.real.push(r.round);
      progress(describeRound(`first contact, ACS, round ${i + 1}`, r.round));
    }
    if (floorFleet === undefined || realFleet === undefined || real === undefined)
      throw new RangeError('rounds must be at least 1');

    // 2. Periodic on unchanged devices, no presets.
    const periodic = { real: [] as RoundFigures[], floor: [] as RoundFigures[] };
    for (let i = 0; i < rounds; i++) {
      periodic.floor.push(await floorFleet.periodic());
      progress(describeRound(`periodic, floor, round ${i + 1}`, periodic.floor.at(-1)!));
      periodic.real.push(await realFleet.periodic());
      progress(describeRound(`periodic, ACS, round ${i + 1}`, periodic.real.at(-1)!));
    }

    // 3. Presets: stored, then applied in unmeasured rounds until the ACS has nothing more to send.
    await putConvergedPresets(real.store);
    const convergence: RoundFigures[] = [];
    for (let i = 0; i < 4; i++) {
      const round = await realFleet.periodic();
      convergence.push(round);
      progress(describeRound(`presets converging, ACS, round ${i + 1}`, round));
      if (round.failed === 0 && Object.keys(round.acsRequests).length === 0) break;
    }
    let devicesTagged = 0;
    let devicesWithSsid = 0;
    for (const device of realFleet.devices) {
      if (device.model.getValue('Device.WiFi.SSID.1.SSID') === BENCH_SSID) devicesWithSsid++;
      const id = encodeDeviceId({
        oui: device.model.getValue('Device.DeviceInfo.ManufacturerOUI'),
        productClass: device.model.getValue('Device.DeviceInfo.ProductClass'),
        serialNumber: device.serialNumber,
      });
      if ((await real.store.devices.get(id))?.tags.includes('bench')) devicesTagged++;
    }
    const presets = { real: [] as RoundFigures[], floor: [] as RoundFigures[] };
    for (let i = 0; i < rounds; i++) {
      presets.floor.push(await floorFleet.periodic());
      progress(describeRound(`presets, floor, round ${i + 1}`, presets.floor.at(-1)!));
      presets.real.push(await realFleet.periodic());
      progress(describeRound(`presets, ACS, round ${i + 1}`, presets.real.at(-1)!));
    }

    return {
      devices,
      rounds,
      concurrency,
      synchronous: acsOptions.synchronous,
      node: process.version,
      scenarios: [
        scenario('first-contact', first.real, first.floor),
        scenario('periodic', periodic.real, periodic.floor),
        scenario('periodic-presets', presets.real, presets.floor),
      ],
      convergence: { rounds: convergence, devicesTagged, devicesWithSsid },
      acsLog: Object.fromEntries(real.logCounts),
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    // Fleets before the servers they talk to.
    for (const x of open.reverse()) await x.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
