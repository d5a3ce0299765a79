/**
 * Holds what a device reports of its own tree (GetParameterNames, GetParameterValues) against data-model
 * definitions, in the spirit of BBF IR-181: names it should not have, names it lacks, types, writability and values
 * unlike their definition, badly named vendor extensions and names newer than the version it claims. Pure: the
 * conformance lab and the ACS's per-device report both call it on what they read. Device strings are untrusted:
 * every one in a message is quoted and capped.
 */
import type { ObjectNode } from './data-model.ts';
import { isWritableAccess, readsAsNull, wireType } from './definition.ts';
import {
  type ClaimProblem,
  claimsOf,
  compareVersions,
  type DeviceClaims,
  quote,
} from './device-claims.ts';
import type { DeviceDefinitions } from './device-definitions.ts';
import { requiredItems } from './device-requirements.ts';
import { instanceNumber } from './resolve.ts';
import { describeSyntax, validateValue } from './validate.ts';
import { badVendorSegment, isVendorPath } from './vendor-extension.ts';

/** One path as the device reported it. */
export interface ReportedItem {
  /** Concrete path; an object's ends in `.`. */
  readonly path: string;
  readonly object: boolean;
  /** Writable, from GetParameterNames. */
  readonly writable?: boolean;
  /** The local name of the xsi:type GetParameterValues gave (`unsignedInt`). */
  readonly type?: string;
  readonly value?: string;
  /** Notification (0 off, 1 passive, 2 active), from GetParameterAttributes. */
  readonly notification?: number;
}

export interface DeviceReport {
  /** `Device.` or `InternetGatewayDevice.`. */
  readonly root: string;
  readonly items: readonly ReportedItem[];
}

export type DeviceRule =
  | 'incoherent-claim'
  | 'unknown-root'
  | 'unknown-profile'
  | 'unknown-object'
  | 'unknown-parameter'
  | 'bad-vendor-extension-name'
  | 'missing-required'
  | 'type-mismatch'
  | 'writability-mismatch'
  | 'not-an-object'
  | 'not-a-parameter'
  | 'invalid-value'
  | 'newer-than-claimed-version'
  | 'wrong-number-of-entries'
  | 'notification-not-forced';

export interface DeviceFinding {
  /** The concrete path concerned (or the parameter holding a claim). */
  path: string;
  rule: DeviceRule;
  /** One line. */
  message: string;
}

export interface DeviceCheckOptions {
  /** What the device claims; by default read from its reported values (claimsOf). */
  claims?: DeviceClaims;
}

/** The schema path of a concrete one: instance numbers become `{i}`. */
export function schemaPathOf(path: string): string {
  return path
    .split('.')
    .map((s, i) => (i > 0 && instanceNumber(s) !== undefined ? '{i}' : s))
    .join('.');
}

const MAX_PATH = 256;
/** A path as the device sent it: as is when it is a plain name, else quoted (control characters escaped) and capped. */
const shown = (path: string) =>
  path.length <= MAX_PATH && /^[A-Za-z0-9_.{}-]*$/.test(path) ? path : quote(path, MAX_PATH);

/** Every way the device's report departs from the definitions; empty for a faithful tree. */
export function checkDeviceModel(
  definitions: DeviceDefinitions,
  report: DeviceReport,
  options: DeviceCheckOptions = {},
): DeviceFinding[] {
  const findings: DeviceFinding[] = [];
  const say = (path: string, rule: DeviceRule, message: string) =>
    findings.push({ path, rule, message });
  const values = new Map<string, string>();
  for (const item of report.items) if (item.value !== undefined) values.set(item.path, item.value);
  let claims = options.claims;
  if (claims === undefined) {
    const read = claimsOf(report.root, values);
    claims = read.claims;
    for (const p of read.problems as ClaimProblem[]) say(p.path, 'incoherent-claim', p.message);
  }
  if (definitions.modelName(report.root) === undefined) {
    say(
      report.root,
      'unknown-root',
      `${shown(report.root)} is not a root object the definitions know`,
    );
    return findings;
  }
  const flaggedVendor = new Set<string>();
  const flaggedNewer: string[] = [];
  for (const item of report.items) {
    checkVendorName(item.path, flaggedVendor, say);
    if (isVendorPath(item.path)) continue;
    checkItem(definitions, claims, item, flaggedNewer, say);
  }
  checkRequired(definitions, claims, report, say);
  checkEntryCounts(definitions, report, say);
  return findings;
}

type Say = (path: string, rule: DeviceRule, message: string) => void;

function checkVendorName(path: string, flagged: Set<string>, say: Say): void {
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const bad = badVendorSegment(segments[i]!);
    if (bad === undefined) continue;
    const prefix = segments.slice(0, i + 1).join('.');
    if (flagged.has(prefix)) return;
    flagged.add(prefix);
    say(path, 'bad-vendor-extension-name', `${shown(prefix)}: ${bad}`);
    return;
  }
}

function checkItem(
  definitions: DeviceDefinitions,
  claims: DeviceClaims,
  item: ReportedItem,
  flaggedNewer: string[],
  say: Say,
): void {
  const { path } = item;
  const r = definitions.resolve(path);
  if (r === undefined) {
    if (item.object && definitions.resolve(path.slice(0, -1))?.kind === 'parameter')
      say(
        path,
        'not-an-object',
        `${shown(path)} is reported as an object; the definitions have a parameter`,
      );
    else if (!item.object && definitions.resolve(`${path}.`) !== undefined)
      say(
        path,
        'not-a-parameter',
        `${shown(path)} is reported as a parameter; the definitions have an object`,
      );
    else if (item.object)
      say(
        path,
        'unknown-object',
        `${shown(path)} is not an object of the definitions nor a vendor extension`,
      );
    else
      say(
        path,
        'unknown-parameter',
        `${shown(path)} is not a parameter of the definitions nor a vendor extension`,
      );
    return;
  }
  checkVersion(definitions, claims, path, r.node.path, flaggedNewer, say);
  if (r.kind !== 'parameter') {
    if (!item.object) {
      say(
        path,
        'not-a-parameter',
        `${shown(path)} is reported as a parameter; the definitions have an object`,
      );
      return;
    }
    if (item.writable !== true) return;
    const access = (r.node as ObjectNode).definition.access;
    if (r.kind === 'object')
      say(
        path,
        'writability-mismatch',
        `${shown(path)} is a single-instance object but reported writable`,
      );
    else if (access !== 'readWrite')
      say(
        path,
        'writability-mismatch',
        `${shown(path)} is reported writable but the definitions let no instance be ${r.kind === 'table' ? 'added' : 'deleted'}`,
      );
    return;
  }
  const def = r.node.definition;
  if (item.object) {
    say(
      path,
      'not-an-object',
      `${shown(path)} is reported as an object; the definitions have a parameter`,
    );
    return;
  }
  if (item.writable !== undefined && def.access !== 'writeOnceReadOnly') {
    const defined = isWritableAccess(def.access);
    if (item.writable !== defined)
      say(
        path,
        'writability-mismatch',
        `${shown(path)} is reported ${item.writable ? 'writable' : 'read-only'} but defined ${def.access}`,
      );
  }
  const expected = wireType(def.syntax);
  const got = item.type === 'base64Binary' ? 'base64' : item.type;
  if (got !== undefined && got !== expected) {
    say(
      path,
      'type-mismatch',
      `${shown(path)} is reported as xsd:${quote(got, 32).slice(1, -1)}, defined ${describeSyntax(def.syntax)}`,
    );
    return;
  }
  if (
    def.activeNotify === 'forceEnabled' &&
    item.notification !== undefined &&
    item.notification !== 2
  )
    say(
      path,
      'notification-not-forced',
      `${shown(path)} reports Notification ${item.notification}; the definitions force active notification (2)`,
    );
  if (item.value !== undefined && !readsAsNull(def.syntax)) {
    const checked = validateValue(def.syntax, item.value);
    if (!checked.ok)
      say(
        path,
        'invalid-value',
        `${shown(path)} = ${quote(item.value)} does not fit ${describeSyntax(def.syntax)}: ${capped(checked.reason)}`,
      );
  }
}

function capped(reason: string): string {
  return reason.length > 160 ? `${reason.slice(0, 160)}…` : reason.replace(/[\r\n]+/g, ' ');
}

function checkVersion(
  definitions: DeviceDefinitions,
  claims: DeviceClaims,
  path: string,
  schemaPath: string,
  flagged: string[],
  say: Say,
): void {
  if (claims.version === undefined || definitions.versionOf === undefined) return;
  const since = definitions.versionOf(schemaPath);
  if (since === undefined || compareVersions(since, claims.version) <= 0) return;
  // Everything below a newer object is newer too: only the topmost is named.
  if (flagged.some((f) => schemaPath.startsWith(f))) return;
  flagged.push(schemaPath);
  say(
    path,
    'newer-than-claimed-version',
    `${shown(path)} appeared in ${since}, after the ${claims.version} the device claims`,
  );
}

function checkRequired(
  definitions: DeviceDefinitions,
  claims: DeviceClaims,
  report: DeviceReport,
  say: Say,
): void {
  const { items, unknownProfiles } = requiredItems(definitions, claims);
  for (const name of unknownProfiles)
    say(
      report.root,
      'unknown-profile',
      `the device claims ${quote(name)}, a profile the definitions lack`,
    );
  const reported = new Map<string, ReportedItem>();
  // Concrete objects by schema path: a table (`Device.IP.Interface.`) stands for itself, an instance for `{i}`.
  const objects = new Map<string, string[]>();
  for (const item of report.items) {
    reported.set(item.path, item);
    if (!item.object) continue;
    const schema = schemaPathOf(item.path);
    const list = objects.get(schema);
    if (list === undefined) objects.set(schema, [item.path]);
    else list.push(item.path);
  }
  const missing = (what: string[], why: string) => {
    if (what.length === 0) return;
    const more = what.length > 1 ? ` (and ${what.length - 1} more)` : '';
    say(
      what[0]!,
      'missing-required',
      `${shown(what[0]!)} is not reported${more}; ${why} requires it`,
    );
  };
  for (const req of items) {
    const holder = req.object.endsWith('{i}.') ? req.object.slice(0, -'{i}.'.length) : req.object;
    // Inside a table, the object is required in every instance the device has.
    const at = holder.lastIndexOf('{i}.');
    const expected =
      at === -1
        ? [holder]
        : (objects.get(holder.slice(0, at + 4)) ?? []).map((i) => i + holder.slice(at + 4));
    const absent = req.objectRequired ? expected.filter((p) => !reported.has(p)) : [];
    missing(absent, req.why);
    if (absent.length > 0) continue;
    const instances = objects.get(req.object) ?? [];
    for (const [name, requirement] of req.parameters) {
      missing(
        instances.map((o) => o + name).filter((p) => !reported.has(p)),
        req.why,
      );
      if (requirement !== 'readWrite') continue;
      const ro = instances.map((o) => reported.get(o + name)).find((i) => i?.writable === false);
      if (ro !== undefined)
        say(
          ro.path,
          'writability-mismatch',
          `${shown(ro.path)} is reported read-only; ${req.why} requires it writable`,
        );
    }
  }
}

/** Each `…NumberOfEntries` the definitions tie to a table equals the instances the device reports of it. */
function checkEntryCounts(definitions: DeviceDefinitions, report: DeviceReport, say: Say): void {
  const instances = new Map<string, number>();
  for (const item of report.items) {
    const m = /^(.*\.)\d+\.$/.exec(item.path);
    if (item.object && m !== null) instances.set(m[1]!, (instances.get(m[1]!) ?? 0) + 1);
  }
  for (const item of report.items) {
    if (item.object || item.value === undefined || !item.path.endsWith('NumberOfEntries')) continue;
    if (isVendorPath(item.path)) continue;
    const r = definitions.resolve(item.path);
    if (r?.kind !== 'parameter' || r.node.counts === undefined) continue;
    const table = `${item.path.slice(0, item.path.lastIndexOf('.') + 1)}${r.node.counts.segment}.`;
    const have = instances.get(table) ?? 0;
    if (item.value.trim() !== String(have))
      say(
        item.path,
        'wrong-number-of-entries',
        `${shown(item.path)} = ${quote(item.value, 16)} but ${have} instances of ${shown(table)} are reported`,
      );
  }
}
