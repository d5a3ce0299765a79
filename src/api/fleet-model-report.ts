/**
 * The data-model report of a fleet: the devices a filter selects, each checked as GET /devices/{id}/datamodel
 * checks one, aggregated by ProductClass and SoftwareVersion — how many devices of each model and firmware
 * deviate, by which rule, at which schema paths. Devices are checked one at a time, the event loop free between.
 */
import { type DeviceRule, schemaPathOf } from '../datamodel/device-check.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import type { DeviceCondition } from '../store/devices.ts';
import type { Store } from '../store/store.ts';
import { deviceModelReport } from './device-model-report.ts';

/** Paths listed per group, the most common first. */
const PATHS_PER_GROUP = 20;
const PAGE = 500;

export interface FleetModelGroup {
  productClass: string;
  softwareVersion: string | null;
  devices: number;
  /** Devices with at least one finding. */
  deviating: number;
  /** Devices with at least one finding of each rule. */
  rules: Partial<Record<DeviceRule, number>>;
  /** The commonest (rule, schema path) pairs, with how many devices have them. */
  paths: { rule: DeviceRule; schemaPath: string; devices: number }[];
}

export interface FleetModelReport {
  /** Devices the filter selects. */
  total: number;
  /** Devices checked: the first `limit` of them, by id. */
  checked: number;
  groups: FleetModelGroup[];
}

export async function fleetModelReport(
  store: Store,
  definitions: DeviceDefinitions,
  filter: DeviceCondition[],
  limit: number,
): Promise<FleetModelReport> {
  const total = await store.devices.count(filter);
  const groups = new Map<string, FleetModelGroup & { byPath: Map<string, number> }>();
  let checked = 0;
  for (let offset = 0; checked < limit; ) {
    const page = await store.devices.list({
      filter,
      offset,
      limit: Math.min(PAGE, limit - checked),
      projection: { fields: ['productClass', 'softwareVersion'], tags: false },
    });
    if (page.length === 0) break;
    offset += page.length;
    for (const device of page) {
      let report: Awaited<ReturnType<typeof deviceModelReport>>;
      try {
        report = await deviceModelReport(store, definitions, device.id);
      } catch {
        continue; // deleted meanwhile
      }
      checked++;
      const key = JSON.stringify([device.productClass, device.softwareVersion ?? null]);
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          productClass: device.productClass ?? '',
          softwareVersion: device.softwareVersion ?? null,
          devices: 0,
          deviating: 0,
          rules: {},
          paths: [],
          byPath: new Map(),
        };
        groups.set(key, group);
      }
      group.devices++;
      if (report.findings.length > 0) group.deviating++;
      for (const rule of Object.keys(report.counts) as DeviceRule[])
        group.rules[rule] = (group.rules[rule] ?? 0) + 1;
      const seen = new Set(report.findings.map((f) => `${f.rule} ${schemaPathOf(f.path)}`));
      for (const k of seen) group.byPath.set(k, (group.byPath.get(k) ?? 0) + 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return {
    total,
    checked,
    groups: [...groups.values()]
      .sort((a, b) => b.deviating - a.deviating || b.devices - a.devices)
      .map(({ byPath, ...group }) => ({
        ...group,
        paths: [...byPath]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, PATHS_PER_GROUP)
          .map(([k, devices]) => {
            const space = k.indexOf(' ');
            return {
              rule: k.slice(0, space) as DeviceRule,
              schemaPath: k.slice(space + 1),
              devices,
            };
          }),
      })),
  };
}
