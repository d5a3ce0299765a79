/**
 * What a device gets wrong of its data model, from what the ACS has stored of its tree (values and types from
 * Informs and GetParameterValues, writability from GetParameterNames): checkDeviceModel over the stored rows.
 * A device the ACS has not refreshed yet is reported on what it has; the report says how much that was.
 */
import {
  checkDeviceModel,
  type DeviceFinding,
  type DeviceRule,
  type ReportedItem,
} from '../datamodel/device-check.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import type { ParameterRecord } from '../store/parameters.ts';
import type { Store } from '../store/store.ts';

/** Findings listed per device; the counts cover them all. */
export const MAX_FINDINGS = 1000;

const ROOTS = ['Device.', 'InternetGatewayDevice.'] as const;

export interface DeviceModelReport {
  deviceId: string;
  /** The root object of its stored tree; null when nothing of it is stored. */
  root: string | null;
  /** The model the definitions have for that root (`Device:2.17`). */
  model: string | null;
  /** Stored paths checked. */
  items: number;
  /** Findings per rule, all of them. */
  counts: Partial<Record<DeviceRule, number>>;
  findings: DeviceFinding[];
  /** More findings than MAX_FINDINGS: the first ones are listed. */
  truncated: boolean;
}

/** The root most of the stored paths are under (a device has one; stray rows do not decide). */
function rootOf(rows: readonly ParameterRecord[]): string | null {
  let best: string | null = null;
  let most = 0;
  for (const root of ROOTS) {
    const n = rows.filter((r) => r.path.startsWith(root)).length;
    if (n > most) [best, most] = [root, n];
  }
  return best;
}

function itemOf(r: ParameterRecord): ReportedItem {
  return {
    path: r.path,
    object: r.object,
    ...(r.writable !== null ? { writable: r.writable } : {}),
    ...(r.type !== null ? { type: r.type } : {}),
    // A secret's value is not the ACS's to read back here: its type and name are still checked.
    ...(r.value !== null && !r.secret ? { value: r.value } : {}),
    ...(r.notification !== null ? { notification: r.notification } : {}),
  };
}

export async function deviceModelReport(
  store: Store,
  definitions: DeviceDefinitions,
  deviceId: string,
): Promise<DeviceModelReport> {
  const rows = await store.parameters.list(deviceId);
  const root = rootOf(rows);
  const report: DeviceModelReport = {
    deviceId,
    root,
    model: root === null ? null : (definitions.modelName(root) ?? null),
    items: 0,
    counts: {},
    findings: [],
    truncated: false,
  };
  if (root === null) return report;
  const items = rows.filter((r) => r.path.startsWith(root)).map(itemOf);
  // An Inform reports leaves only: the objects above them exist, whether or not a GetParameterNames stored them.
  const stored = new Set(items.map((i) => i.path));
  for (const path of [...stored]) {
    for (
      let dot = path.indexOf('.');
      dot !== -1 && dot < path.length - 1;
      dot = path.indexOf('.', dot + 1)
    ) {
      const object = path.slice(0, dot + 1);
      if (!stored.has(object)) {
        stored.add(object);
        items.push({ path: object, object: true });
      }
    }
  }
  report.items = items.length;
  const findings = checkDeviceModel(definitions, { root, items });
  for (const f of findings) report.counts[f.rule] = (report.counts[f.rule] ?? 0) + 1;
  report.findings = findings.slice(0, MAX_FINDINGS);
  report.truncated = findings.length > MAX_FINDINGS;
  return report;
}
