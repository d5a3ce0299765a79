/**
 * One simulated device's data-model instance, copy-on-write over its profile's shared template: the device keeps
 * only the values, instances and attributes that differ, so an idle device costs a few hundred bytes however large
 * its profile. Instance numbers are never reused. Changes come from the ACS (RPCs: no value-change notification)
 * or from the device itself and its subscriber (recorded for "4 VALUE CHANGE").
 *
 * Methods that an RPC drives throw CwmpFault with the fault code the RPC should answer.
 */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type { ParameterValue } from '../../cwmp/parameter-value.ts';
import type { ObjectNode, ParameterNode } from '../../datamodel/data-model.ts';
import { nullValue, readsAsNull, wireType } from '../../datamodel/definition.ts';
import { startingValue } from '../../datamodel/initial-value.ts';
import { type ResolvedPath, resolvePath } from '../../datamodel/resolve.ts';
import { type ValueFaultCode, validateValue } from '../../datamodel/validate.ts';
import {
  type AttributeOverride,
  defaultNotification,
  isSupportedNotification,
  Notifications,
} from './notifications.ts';
import type { DeviceTemplate } from './template.ts';

/** Who changed a value: the ACS (by RPC), the device itself (counters, status), or its subscriber (LAN side). */
export type ChangeSource = 'acs' | 'device' | 'subscriber';

export type WriteCheck =
  | { ok: true; path: string; node: ParameterNode; value: string }
  | {
      ok: false;
      faultCode:
        | ValueFaultCode
        | typeof FaultCode.InvalidParameterName
        | typeof FaultCode.NonWritableParameter;
      reason: string;
    };

const EMPTY: readonly number[] = Object.freeze([]);
const NO_ACCESS: readonly string[] = Object.freeze([]);

function fault(code: number, detail: string): CwmpFault {
  return new CwmpFault(code, undefined, { cause: detail });
}

export class DeviceModel {
  readonly template: DeviceTemplate;
  // The overlay. Each part is created on first need, so an idle device holds five undefined fields.
  private values: Map<string, string> | undefined;
  private tables: Map<string, number[]> | undefined;
  private nextInstances: Map<string, number> | undefined;
  private writtenOnce: Set<string> | undefined;
  private notifications: Notifications | undefined;

  /**
   * `initialValues`: what sets this device apart from its siblings (serial number, MAC addresses, URLs). A path
   * that is not a parameter, or a value that does not fit it, is a programming error and throws.
   */
  constructor(template: DeviceTemplate, initialValues: Readonly<Record<string, string>> = {}) {
    this.template = template;
    for (const [path, value] of Object.entries(initialValues)) {
      const r = this.resolve(path);
      if (r?.kind !== 'parameter') throw new Error(`initial value for ${path}: no such parameter`);
      const check = validateValue(r.node.definition.syntax, value);
      if (!check.ok) throw new Error(`initial value for ${path}: ${check.reason}`);
      this.store(path, r.node, check.value);
    }
  }

  get root(): string {
    return this.template.model.root;
  }

  /** How much this device differs from its template: the entries of its overlay, by kind. */
  get overlaySize(): { values: number; tables: number; attributes: number; pending: number } {
    return {
      values: this.values?.size ?? 0,
      tables:
        (this.tables?.size ?? 0) + (this.nextInstances?.size ?? 0) + (this.writtenOnce?.size ?? 0),
      attributes: this.notifications?.attributes.size ?? 0,
      pending: this.notifications?.pending.size ?? 0,
    };
  }

  // --- Instances and paths ---

  /** The instance numbers of a concrete table (`Device.IP.Interface.`), ascending. */
  instances(table: string): readonly number[] {
    return this.tables?.get(table) ?? this.template.instances(table) ?? EMPTY;
  }

  hasInstance(table: string, instance: number): boolean {
    const own = this.tables?.get(table);
    return own === undefined ? this.template.hasInstance(table, instance) : own.includes(instance);
  }

  /** What a concrete path names on this device, or undefined if nothing (including alias and wildcard paths). */
  resolve(path: string): ResolvedPath | undefined {
    return resolvePath(this.template.model, path, (t, n) => this.hasInstance(t, n));
  }

  // The overlay's parts, created on first write.
  private ownValues(): Map<string, string> {
    if (this.values === undefined) this.values = new Map();
    return this.values;
  }

  private ownTables(): Map<string, number[]> {
    if (this.tables === undefined) this.tables = new Map();
    return this.tables;
  }

  private ownNextInstances(): Map<string, number> {
    if (this.nextInstances === undefined) this.nextInstances = new Map();
    return this.nextInstances;
  }

  private ownWrittenOnce(): Set<string> {
    if (this.writtenOnce === undefined) this.writtenOnce = new Set();
    return this.writtenOnce;
  }

  private ownNotifications(): Notifications {
    if (this.notifications === undefined) this.notifications = new Notifications();
    return this.notifications;
  }

  // --- Values ---

  /** The stored value, hidden ones included (the device itself needs its passwords). 9005 if not a parameter. */
  getValue(path: string): string {
    const r = this.resolve(path);
    if (r?.kind !== 'parameter')
      throw fault(FaultCode.InvalidParameterName, `${path} is not a parameter`);
    return this.valueOf(path, r.node);
  }

  /** The value of a resolved parameter. Counters of table entries are computed, never stored. */
  valueOf(path: string, node: ParameterNode): string {
    if (node.counts !== undefined) {
      const parent = path.slice(0, path.length - node.definition.name.length);
      return String(this.instances(`${parent}${node.counts.segment}.`).length);
    }
    return this.values?.get(path) ?? this.baseline(path, node);
  }

  /** What the ACS reads: hidden, secured and command parameters read as their type's null value. */
  readForAcs(path: string, node: ParameterNode): ParameterValue {
    const syntax = node.definition.syntax;
    const value = readsAsNull(syntax) ? nullValue(syntax) : this.valueOf(path, node);
    return { name: path, value, type: wireType(syntax) };
  }

  private baseline(path: string, node: ParameterNode): string {
    return this.template.value(path) ?? startingValue(node.definition.syntax);
  }

  private store(path: string, node: ParameterNode, value: string): void {
    if (value === this.baseline(path, node)) {
      this.values?.delete(path);
      if (this.values?.size === 0) this.values = undefined;
    } else {
      this.ownValues().set(path, value);
    }
  }

  /** Can the ACS set this parameter to this value? The checks of SetParameterValues, one parameter. */
  checkAcsWrite(path: string, value: string, xsiType?: string): WriteCheck {
    const r = this.resolve(path);
    if (r?.kind !== 'parameter') {
      return {
        ok: false,
        faultCode: FaultCode.InvalidParameterName,
        reason: `${path} is not a parameter`,
      };
    }
    if (!this.isWritable(path, r.node)) {
      return {
        ok: false,
        faultCode: FaultCode.NonWritableParameter,
        reason: `${path} is read-only`,
      };
    }
    const check = validateValue(r.node.definition.syntax, value, {
      ...(xsiType === undefined ? {} : { xsiType }),
      lenientXsiType: this.template.lenientXsiTypes,
      write: true,
    });
    if (!check.ok) return { ok: false, faultCode: check.faultCode, reason: check.reason };
    return { ok: true, path, node: r.node, value: check.value };
  }

  /** Whether SetParameterValues may change it: readWrite, or writeOnceReadOnly not yet written. */
  isWritable(path: string, node: ParameterNode): boolean {
    const access = node.definition.access;
    if (access === 'readWrite') return true;
    return access === 'writeOnceReadOnly' && this.writtenOnce?.has(path) !== true;
  }

  /**
   * Applies values the ACS set (already checked with checkAcsWrite). ACS changes raise no value-change
   * notification, and a pending one for the same parameter is dropped: its value is now the ACS's own.
   */
  applyAcsValues(changes: readonly { path: string; node: ParameterNode; value: string }[]): void {
    for (const c of changes) {
      this.store(c.path, c.node, c.value);
      if (c.node.definition.access === 'writeOnceReadOnly') this.ownWrittenOnce().add(c.path);
      this.notifications?.pending.delete(c.path);
    }
    this.trimNotifications();
  }

  /**
   * A change made by the device itself (an uptime, a counter, a new lease) or by its subscriber through LAN-side
   * management, which the AccessList governs. Records a pending value change if the parameter has notification.
   * Returns whether the value changed. Throws CwmpFault: 9005 unknown, 9008 not writable by the subscriber or a
   * computed counter, 9001 AccessList without Subscriber, 9006/9007 a value that does not fit.
   */
  setLocalValue(path: string, value: string, source: 'device' | 'subscriber' = 'device'): boolean {
    const r = this.resolve(path);
    if (r?.kind !== 'parameter')
      throw fault(FaultCode.InvalidParameterName, `${path} is not a parameter`);
    const node = r.node;
    if (node.counts !== undefined) {
      throw fault(FaultCode.NonWritableParameter, `${path} counts table entries and cannot be set`);
    }
    if (source === 'subscriber') {
      if (node.definition.access === 'readOnly') {
        throw fault(FaultCode.NonWritableParameter, `${path} is read-only`);
      }
      if (!this.accessList(path).includes('Subscriber')) {
        throw fault(
          FaultCode.RequestDenied,
          `${path}: its AccessList does not allow the subscriber`,
        );
      }
    }
    const check = validateValue(node.definition.syntax, value, { write: source === 'subscriber' });
    if (!check.ok) throw fault(check.faultCode, `${path}: ${check.reason}`);
    if (check.value === this.valueOf(path, node)) return false;
    this.store(path, node, check.value);
    this.noteLocalChange(path, node);
    return true;
  }

  /** Records a change of `path` as if the device made it (a deviation the simulator can play: see DeviceBehaviour). */
  noteValueChange(path: string): void {
    const r = this.resolve(path);
    if (r?.kind === 'parameter') this.noteLocalChange(path, r.node);
  }

  private noteLocalChange(path: string, node: ParameterNode): void {
    const n = this.notification(path, node);
    if (n !== 1 && n !== 2) return;
    const state = this.ownNotifications();
    state.pending.add(path);
    if (n === 2) state.active = true;
  }

  /** Sets ManagementServer.ParameterKey (read-only to the ACS) after a successful SPV, AddObject or DeleteObject. */
  setParameterKey(key: string): void {
    const path = this.template.parameterKeyPath;
    if (path === undefined) return;
    this.store(path, this.template.model.parameter(path)!, key);
  }

  // --- AddObject / DeleteObject ---

  /**
   * Creates the next instance of a table and returns its number; its parameters start at their defaults. The ACS
   * may add only to a readWrite table; the device (a new LAN host) to any. Throws CwmpFault 9005 (not a table, or
   * not one the ACS may add to) or 9004 (maxEntries reached).
   */
  addInstance(table: string, source: ChangeSource = 'acs'): number {
    const r = this.resolve(table);
    if (r?.kind !== 'table') {
      throw fault(FaultCode.InvalidParameterName, `${table} is not a multi-instance object`);
    }
    const def = r.node.definition;
    if (source === 'acs' && def.access !== 'readWrite') {
      throw fault(FaultCode.InvalidParameterName, `${table} does not allow AddObject`);
    }
    const current = this.instances(table);
    if (def.maxEntries !== 'unbounded' && current.length >= def.maxEntries) {
      throw fault(
        FaultCode.ResourcesExceeded,
        `${table} already holds its maximum of ${def.maxEntries}`,
      );
    }
    const n = this.nextInstances?.get(table) ?? this.template.firstFreeInstance(table);
    this.ownTables().set(table, [...current, n]);
    this.ownNextInstances().set(table, n + 1);
    // TR-069 §3.6.1: an Alias the CPE assigns starts with "cpe-" and is unique in its table.
    const alias = this.template.model.parameter(`${r.node.path}Alias`);
    if (alias !== undefined && alias.definition.syntax.default === undefined) {
      this.store(`${table}${n}.Alias`, alias, `cpe-${n}`);
    }
    if (source !== 'acs') this.noteCounterChange(table, r.node);
    return n;
  }

  /**
   * Deletes an instance and everything below it. Throws CwmpFault 9005 (not an existing instance, or of a table
   * the ACS may not delete from) or 9001 (minEntries would be broken).
   */
  deleteInstance(instancePath: string, source: ChangeSource = 'acs'): void {
    const r = this.resolve(instancePath);
    if (r?.kind !== 'instance') {
      throw fault(FaultCode.InvalidParameterName, `${instancePath} is not an existing instance`);
    }
    const def = r.node.definition;
    if (source === 'acs' && def.access !== 'readWrite') {
      throw fault(FaultCode.InvalidParameterName, `${r.table} does not allow DeleteObject`);
    }
    const current = this.instances(r.table);
    if (current.length - 1 < def.minEntries) {
      throw fault(
        FaultCode.RequestDenied,
        `${r.table} must keep at least ${def.minEntries} entries`,
      );
    }
    const tables = this.ownTables();
    tables.set(
      r.table,
      current.filter((n) => n !== r.instance),
    );
    // Nothing below a deleted instance can be reached again (numbers are never reused): drop it.
    for (const k of this.values?.keys() ?? [])
      if (k.startsWith(instancePath)) this.values!.delete(k);
    for (const k of tables.keys()) if (k.startsWith(instancePath)) tables.delete(k);
    for (const k of this.nextInstances?.keys() ?? []) {
      if (k.startsWith(instancePath)) this.nextInstances!.delete(k);
    }
    for (const k of this.writtenOnce ?? [])
      if (k.startsWith(instancePath)) this.writtenOnce!.delete(k);
    this.notifications?.forgetUnder(instancePath);
    if (source !== 'acs') this.noteCounterChange(r.table, r.node);
    this.trimNotifications();
  }

  // A table changed by the device: its NumberOfEntries counter changed with it.
  private noteCounterChange(table: string, tableNode: ObjectNode): void {
    const parent = tableNode.parent;
    if (parent === undefined) return;
    const counter = parent.parameters.find((p) => p.counts === tableNode);
    if (counter === undefined) return;
    const parentPath = table.slice(0, table.length - tableNode.segment.length - 1);
    this.noteLocalChange(parentPath + counter.definition.name, counter);
  }

  // --- Attributes ---

  /** The Notification attribute in force: forceEnabled parameters are always active (2). */
  notification(path: string, node: ParameterNode): number {
    const activeNotify = node.definition.activeNotify;
    if (activeNotify === 'forceEnabled') return 2;
    return (
      this.notifications?.attributes.get(path)?.notification ??
      this.template.attributesOf(path)?.notification ??
      defaultNotification(activeNotify)
    );
  }

  accessList(path: string): readonly string[] {
    return (
      this.notifications?.attributes.get(path)?.accessList ??
      this.template.attributesOf(path)?.accessList ??
      NO_ACCESS
    );
  }

  /**
   * Sets attributes (already checked by SetParameterAttributes). A forceEnabled parameter stays active whatever is
   * asked: the request is accepted and has no effect (cwmp-spec.md §7.3).
   */
  setAttributes(path: string, node: ParameterNode, change: AttributeOverride): void {
    const state = this.ownNotifications();
    const next: AttributeOverride = { ...state.attributes.get(path) };
    if (change.notification !== undefined && node.definition.activeNotify !== 'forceEnabled') {
      if (!isSupportedNotification(change.notification)) {
        throw fault(FaultCode.NotificationRequestRejected, `notification ${change.notification}`);
      }
      next.notification = change.notification;
    }
    if (change.accessList !== undefined) next.accessList = [...change.accessList];
    state.attributes.set(path, next);
  }

  // --- Value changes (for the Inform) ---

  /** Parameters changed outside the ACS since last delivered, with their current values. */
  pendingValueChanges(): ParameterValue[] {
    const out: ParameterValue[] = [];
    for (const path of this.notifications?.pending ?? []) {
      const r = this.resolve(path);
      if (r?.kind === 'parameter') out.push(this.readForAcs(path, r.node));
    }
    return out;
  }

  /** A change on an actively notified parameter waits: the device should open a session now. */
  get activeValueChangePending(): boolean {
    return this.notifications?.active === true && this.notifications.pending.size > 0;
  }

  /** The Inform that carried these changes was delivered (all of them when `names` is not given). */
  clearValueChanges(names?: Iterable<string>): void {
    const state = this.notifications;
    if (state === undefined) return;
    if (names === undefined) state.pending.clear();
    else for (const n of names) state.pending.delete(n);
    state.active = [...state.pending].some((path) => {
      const r = this.resolve(path);
      return r?.kind === 'parameter' && this.notification(path, r.node) === 2;
    });
    this.trimNotifications();
  }

  private trimNotifications(): void {
    if (this.notifications?.empty === true) this.notifications = undefined;
  }
}
