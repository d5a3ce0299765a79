import { isUnder, parentPath } from '../../../cwmp/path.ts';
import type { ParameterRecord } from '../../../store/parameters.ts';
import { Secret } from '../../../store/secret.ts';
import type { TaskArgs } from '../../../store/task-args.ts';
import { isSecretParameter } from '../../secret-parameters.ts';
import type { ScriptScalar } from '../script/types.ts';
import { formatValue, inferType, valuesEqual } from './compare.ts';
import { instanceId, type MergedDeclarations, mergedOf, type Owner } from './merge.ts';
import { planInstances } from './plan-instances.ts';
import { planSoftware, type SoftwareTransfer, softwareDownloadArgs } from './plan-software.ts';
import { type ChannelWork, leavesUnder, type On, own } from './plan-work.ts';
import { type DeviceContext, evaluatePrecondition } from './precondition.ts';
import type { Preset } from './preset.ts';

export interface ProvisioningContext extends DeviceContext {
  /**
   * Instances this planner asked for (addObject) whose keys are not set yet: instance path (`Obj.N.`) → the
   * `instanceId` of the declaration. The engine records it from the AddObjectResponse and keeps it with the
   * device until the plan lists the path in `settledInstances`.
   */
  pendingInstances?: ReadonlyMap<string, string>;
  /** Channels that faulted: their tasks are left out (their declarations still take part in the merge). */
  blockedChannels?: ReadonlySet<string>;
  /** The device's Downloads of firmware files, for presets' `software` (none: it has had none). */
  softwareTransfers?: readonly SoftwareTransfer[];
}

export type ReadReason = 'unknown' | 'stale' | 'instance-unknown';

export type DiffEntry = Owner &
  (
    | { kind: 'read'; path: string; reason: ReadReason }
    | {
        kind: 'value';
        path: string;
        current: string | null;
        desired: string;
        type: string;
        secret: boolean;
      }
    | { kind: 'not-writable'; path: string; current: string; desired: string }
    | { kind: 'unsupported'; path: string }
    | {
        kind: 'attributes';
        path: string;
        current: { notification: number | null; accessList: string[] | null };
        desired: { notification?: number; accessList?: string[] };
      }
    | { kind: 'add-instance'; object: string; keys: Record<string, ScriptScalar> }
    | { kind: 'delete-instance'; path: string; keys: Record<string, ScriptScalar> }
    | { kind: 'add-tag' | 'remove-tag'; tag: string }
    | {
        kind: 'software';
        current: string | null;
        desired: string;
        fileId: string;
        /** download: sent now; under-way: a Download of it is; tried: it was, and is not re-sent until retryAt. */
        status: 'download' | 'under-way' | 'tried';
        retryAt?: number;
      }
  );

export interface PlannedTask {
  channel: string;
  args: TaskArgs;
  /** For an addObject: the `instanceId` to record against the new instance path (`pendingInstances`). */
  instanceId?: string;
}

export interface ProvisioningPlan {
  /** Names of the matching presets, in apply order. */
  matched: string[];
  diff: DiffEntry[];
  /** Per channel (default channel first): reads, deleteObject, addObject, one SetParameterValues, one SetParameterAttributes. */
  tasks: PlannedTask[];
  /** The ParameterKey every write carries; the device reports it once converged. */
  parameterKey: string;
  addTags: string[];
  removeTags: string[];
  /** Pending instances whose keys now match: the engine may forget them. */
  settledInstances: string[];
  /** Channels whose tasks were left out (blocked). */
  blockedChannels: string[];
}

export const PARAMETER_KEY_PATHS = [
  'Device.ManagementServer.ParameterKey',
  'InternetGatewayDevice.ManagementServer.ParameterKey',
];

/**
 * The minimal plan for one device now: read only what is unknown or stale, set only what differs, add only
 * missing instances, delete only unwanted ones, batched per channel. Pure: the same presets and context give
 * the same plan. It is also the dry run (see `describePlan`).
 */
export function planProvisioning(
  presets: readonly Preset[],
  ctx: ProvisioningContext,
): ProvisioningPlan {
  const matching = presets
    .filter((p) => evaluatePrecondition(p.precondition, ctx))
    .sort((a, b) => a.weight - b.weight || (a.name < b.name ? -1 : 1));
  const { merged, parameterKey: key } = mergedOf(matching);
  const params = ctx.parameters;
  const diff: DiffEntry[] = [];
  const work = new Map<string, ChannelWork>();
  const on = (channel: string): ChannelWork => {
    let w = work.get(channel);
    if (!w) {
      w = {
        refresh: new Set(),
        get: new Set(),
        deletes: [],
        adds: [],
        sets: new Map(),
        attributes: new Map(),
        download: null,
      };
      work.set(channel, w);
    }
    return w;
  };
  const deviceKey =
    PARAMETER_KEY_PATHS.map((p) => params.get(p)?.value).find((v) => v != null) ?? null;
  // Only a GetParameterNames listing (which stores the object's own row) says what an object holds: parameters
  // an Inform reported under it say nothing of the ones it did not report.
  const listed = (object: string) => params.get(object)?.object === true;

  // A parameter absent from the tree: known not to exist once its parent is listed, else read the parent.
  const missing = (path: string, owner: Owner): void => {
    const parent = parentPath(path) ?? '';
    if (parent !== '' && listed(parent)) diff.push({ kind: 'unsupported', path, ...own(owner) });
    else {
      on(owner.channel).refresh.add(parent);
      diff.push({ kind: 'read', path: parent, reason: 'unknown', ...own(owner) });
    }
  };

  const planValue = (
    path: string,
    value: ScriptScalar,
    declaredType: string | undefined,
    owner: Owner,
    declaredSecret = false,
  ) => {
    const rec = params.get(path);
    if (!rec) return missing(path, owner);
    const secret = declaredSecret || rec.secret || isSecretParameter(path);
    const type = declaredType ?? rec.type ?? inferType(value);
    const desired = formatValue(type, value);
    if (secret) {
      // A secret cannot be compared; it is in place iff the device reports this declared state's key.
      if (deviceKey === key) return;
    } else if (rec.value === null || rec.type === null) {
      on(owner.channel).get.add(path);
      diff.push({ kind: 'read', path, reason: 'unknown', ...own(owner) });
      return;
    } else if (valuesEqual(rec.value, rec.type, value)) return;
    if (rec.writable === false) {
      diff.push({
        kind: 'not-writable',
        path,
        current: secret ? '(secret)' : (rec.value ?? ''),
        desired,
        ...own(owner),
      });
      return;
    }
    on(owner.channel).sets.set(path, {
      name: path,
      value: secret ? new Secret(desired) : desired,
      type,
    });
    diff.push({
      kind: 'value',
      path,
      current: secret ? null : rec.value,
      desired: secret ? '(secret)' : desired,
      type,
      secret,
      ...own(owner),
    });
  };

  for (const v of merged.values.values()) planValue(v.path, v.value, v.type, v, v.secret === true);
  planFreshness(merged, ctx, on, diff, missing);
  planAttributes(merged, params, on, diff, missing);
  const settled = planInstances(merged, ctx, on, diff, planValue);
  planSoftware(matching, ctx.device, ctx.softwareTransfers ?? [], ctx.now, on, diff);

  const addTags: string[] = [];
  const removeTags: string[] = [];
  for (const [tag, owner] of merged.addTags)
    if (!ctx.tags.includes(tag)) {
      addTags.push(tag);
      diff.push({ kind: 'add-tag', tag, ...own(owner) });
    }
  for (const [tag, owner] of merged.removeTags)
    if (ctx.tags.includes(tag)) {
      removeTags.push(tag);
      diff.push({ kind: 'remove-tag', tag, ...own(owner) });
    }

  const blocked = ctx.blockedChannels ?? new Set<string>();
  const tasks: PlannedTask[] = [];
  for (const channel of [...work.keys()].sort()) {
    if (blocked.has(channel)) continue;
    const w = work.get(channel)!;
    const refresh = [...w.refresh]
      .sort()
      .filter((p, _, all) => !all.some((q) => q !== p && isUnder(p, q)));
    for (const path of refresh) tasks.push({ channel, args: { type: 'refresh', path } });
    const get = [...w.get].filter((p) => !refresh.some((r) => isUnder(p, r))).sort();
    if (get.length > 0)
      tasks.push({ channel, args: { type: 'getParameterValues', parameterNames: get } });
    for (const objectName of w.deletes)
      tasks.push({ channel, args: { type: 'deleteObject', objectName, parameterKey: key } });
    for (const a of w.adds)
      tasks.push({
        channel,
        args: { type: 'addObject', objectName: a.object, parameterKey: key },
        instanceId: a.id,
      });
    if (w.sets.size > 0) {
      const parameters = [...w.sets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      tasks.push({ channel, args: { type: 'setParameterValues', parameters, parameterKey: key } });
    }
    if (w.attributes.size > 0) {
      const parameters = [...w.attributes.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      tasks.push({ channel, args: { type: 'setParameterAttributes', parameters } });
    }
    // Last: the device reboots into the new image.
    if (w.download !== null) tasks.push({ channel, args: softwareDownloadArgs(w.download) });
  }
  return {
    matched: matching.map((p) => p.name),
    diff,
    tasks,
    parameterKey: key,
    addTags,
    removeTags,
    settledInstances: settled,
    blockedChannels: [...work.keys()].filter((c) => blocked.has(c)).sort(),
  };
}

function planFreshness(
  m: MergedDeclarations,
  ctx: ProvisioningContext,
  on: On,
  diff: DiffEntry[],
  missing: (path: string, owner: Owner) => void,
): void {
  for (const f of m.fresh.values()) {
    const stale = (r: ParameterRecord) =>
      r.valueAt === null || ctx.now - r.valueAt > f.maxAgeSeconds * 1000;
    if (f.path.endsWith('.')) {
      const leaves = leavesUnder(ctx.parameters, f.path);
      if (leaves.length === 0 || leaves.some(stale)) {
        on(f.channel).refresh.add(f.path);
        diff.push({
          kind: 'read',
          path: f.path,
          reason: leaves.length === 0 ? 'unknown' : 'stale',
          ...own(f),
        });
      }
      continue;
    }
    const rec = ctx.parameters.get(f.path);
    if (!rec) missing(f.path, f);
    else if (stale(rec)) {
      on(f.channel).get.add(f.path);
      diff.push({
        kind: 'read',
        path: f.path,
        reason: rec.valueAt === null ? 'unknown' : 'stale',
        ...own(f),
      });
    }
  }
}

function sameList(a: readonly string[] | null, b: readonly string[]): boolean {
  if (a === null || a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

function planAttributes(
  m: MergedDeclarations,
  params: ReadonlyMap<string, ParameterRecord>,
  on: On,
  diff: DiffEntry[],
  missing: (path: string, owner: Owner) => void,
): void {
  for (const a of m.attributes.values()) {
    let targets: ParameterRecord[];
    if (a.path.endsWith('.')) {
      targets = leavesUnder(params, a.path);
      if (targets.length === 0) {
        on(a.channel).refresh.add(a.path);
        diff.push({ kind: 'read', path: a.path, reason: 'unknown', ...own(a) });
        continue;
      }
    } else {
      const rec = params.get(a.path);
      if (!rec) {
        missing(a.path, a);
        continue;
      }
      targets = [rec];
    }
    const differs = (r: ParameterRecord) =>
      (a.notification !== undefined && r.notification !== a.notification) ||
      (a.accessList !== undefined && !sameList(r.accessList, a.accessList));
    const first = targets.find(differs);
    if (first === undefined) continue;
    on(a.channel).attributes.set(a.path, {
      name: a.path,
      notificationChange: a.notification !== undefined,
      notification: a.notification ?? 0,
      accessListChange: a.accessList !== undefined,
      accessList: a.accessList ?? [],
    });
    const desired: { notification?: number; accessList?: string[] } = {};
    if (a.notification !== undefined) desired.notification = a.notification;
    if (a.accessList !== undefined) desired.accessList = a.accessList;
    diff.push({
      kind: 'attributes',
      path: a.path,
      current: { notification: first.notification, accessList: first.accessList },
      desired,
      ...own(a),
    });
  }
}

export { instanceId };
