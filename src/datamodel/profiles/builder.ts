/**
 * Shorthand for writing device profiles by hand: syntax makers for the base types and for the TR-106 named types
 * the profiles use (written here from TR-106, so a profile needs no BBF file at run time), parameter and object
 * makers, and composition of per-area parts into one profile.
 */
import type {
  ActiveNotify,
  EnumerationFacet,
  ListFacet,
  ObjectAccess,
  ObjectDefinition,
  ParameterDefinition,
  Syntax,
  UniqueKey,
} from '../definition.ts';
import type { DeviceProfile, ProfileAttributes } from '../profile.ts';

type SyntaxExtras = Omit<Syntax, 'type'>;

// --- Syntax ---

export function string(maxLength?: number, extras: SyntaxExtras = {}): Syntax {
  return {
    type: 'string',
    ...(maxLength === undefined ? {} : { sizes: [{ maxLength }] }),
    ...extras,
  };
}

export function boolean(extras: SyntaxExtras = {}): Syntax {
  return { type: 'boolean', ...extras };
}

export function unsignedInt(min?: number, max?: number, extras: SyntaxExtras = {}): Syntax {
  const range = min === undefined && max === undefined ? {} : { ranges: [{ min, max }] };
  return { type: 'unsignedInt', ...stripUndefined(range), ...extras };
}

export function int(min?: number, max?: number, extras: SyntaxExtras = {}): Syntax {
  const range = min === undefined && max === undefined ? {} : { ranges: [{ min, max }] };
  return { type: 'int', ...stripUndefined(range), ...extras };
}

export function unsignedLong(extras: SyntaxExtras = {}): Syntax {
  return { type: 'unsignedLong', ...extras };
}

export function dateTime(extras: SyntaxExtras = {}): Syntax {
  return { type: 'dateTime', ...extras };
}

export function hexBinary(
  sizes: { minLength?: number; maxLength?: number }[],
  extras: SyntaxExtras = {},
): Syntax {
  return { type: 'hexBinary', sizes, ...extras };
}

/** A string restricted to these values; `readOnly` ones the CPE may report but the ACS may not write. */
export function enumeration(
  values: readonly string[],
  options: { readOnly?: readonly string[]; extras?: SyntaxExtras } = {},
): Syntax {
  const enumerations: EnumerationFacet[] = values.map((value) =>
    options.readOnly?.includes(value) === true ? { value, access: 'readOnly' } : { value },
  );
  return { type: 'string', enumerations, ...options.extras };
}

/** A comma-separated list of `item`. */
export function list(item: Syntax, facet: ListFacet = {}): Syntax {
  return { ...item, list: facet };
}

/** Path references (LowerLayers, Interface, …) are strings on the wire. */
export function reference(maxLength?: number, extras: SyntaxExtras = {}): Syntax {
  return string(maxLength, extras);
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

// TR-106 named types, as TR-106 defines them.
const OCTET = '(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])';

export const named = {
  alias: (): Syntax => ({ type: 'string', dataType: 'Alias', sizes: [{ maxLength: 64 }] }),
  ipAddress: (extras: SyntaxExtras = {}): Syntax => ({
    type: 'string',
    dataType: 'IPAddress',
    sizes: [{ maxLength: 45 }],
    ...extras,
  }),
  ipv4Address: (extras: SyntaxExtras = {}): Syntax => ({
    type: 'string',
    dataType: 'IPv4Address',
    sizes: [{ maxLength: 15 }],
    patterns: ['', `(${OCTET}\\.){3}${OCTET}`],
    ...extras,
  }),
  ipv6Address: (extras: SyntaxExtras = {}): Syntax => ({
    type: 'string',
    dataType: 'IPv6Address',
    sizes: [{ maxLength: 45 }],
    ...extras,
  }),
  ipv6Prefix: (extras: SyntaxExtras = {}): Syntax => ({
    type: 'string',
    dataType: 'IPv6Prefix',
    sizes: [{ maxLength: 49 }],
    ...extras,
  }),
  macAddress: (extras: SyntaxExtras = {}): Syntax => ({
    type: 'string',
    dataType: 'MACAddress',
    sizes: [{ maxLength: 17 }],
    patterns: ['', '([0-9A-Fa-f][0-9A-Fa-f]:){5}([0-9A-Fa-f][0-9A-Fa-f])'],
    ...extras,
  }),
  url: (maxLength = 2048): Syntax => ({ type: 'string', dataType: 'URL', sizes: [{ maxLength }] }),
  statsCounter32: (): Syntax => ({ type: 'unsignedInt', dataType: 'StatsCounter32' }),
  statsCounter64: (): Syntax => ({ type: 'unsignedLong', dataType: 'StatsCounter64' }),
  /** TR-106 DiagnosticsState with the test's own error values (all reported by the CPE only). */
  diagnosticsState: (errors: readonly string[], options: { canceled?: boolean } = {}): Syntax => {
    const values = [
      'None',
      'Requested',
      ...(options.canceled === false ? [] : ['Canceled']),
      'Complete',
      ...errors,
    ];
    return {
      ...enumeration(values, { readOnly: ['None', 'Complete', ...errors] }),
      dataType: 'DiagnosticsState',
    };
  },
};

// --- Parameters ---

interface ParameterExtras {
  forcedInform?: boolean;
  activeNotify?: ActiveNotify;
  rebootRequired?: boolean;
}

function parameter(
  name: string,
  access: ParameterDefinition['access'],
  syntax: Syntax,
  extras: ParameterExtras,
): ParameterDefinition {
  return { name, access, syntax, ...extras };
}

/** Read-only. */
export const R = (name: string, syntax: Syntax, extras: ParameterExtras = {}) =>
  parameter(name, 'readOnly', syntax, extras);
/** Read-write. */
export const W = (name: string, syntax: Syntax, extras: ParameterExtras = {}) =>
  parameter(name, 'readWrite', syntax, extras);
/** Written once by the ACS, read-only after (Alias). */
export const W1 = (name: string, syntax: Syntax, extras: ParameterExtras = {}) =>
  parameter(name, 'writeOnceReadOnly', syntax, extras);
/** For values that change by themselves (counters, uptimes): the CPE may refuse active notification on them. */
export const CAN_DENY: ParameterExtras = Object.freeze({ activeNotify: 'canDeny' });
/** The `…NumberOfEntries` count of a table (computed by the device). */
export const entries = (name: string) => parameter(name, 'readOnly', unsignedInt(), {});

// --- Objects ---

export function object(path: string, parameters: ParameterDefinition[]): ObjectDefinition {
  return { path, access: 'readOnly', minEntries: 1, maxEntries: 1, parameters };
}

export interface TableOptions {
  access?: ObjectAccess;
  minEntries?: number;
  maxEntries?: number | 'unbounded';
  numEntriesParameter?: string;
  enableParameter?: string;
  uniqueKeys?: UniqueKey[];
}

/** A multi-instance object; `path` ends in `{i}.`. Read-only and unbounded unless told otherwise. */
export function table(
  path: string,
  parameters: ParameterDefinition[],
  options: TableOptions = {},
): ObjectDefinition {
  if (!path.endsWith('{i}.')) throw new Error(`table path must end in {i}.: ${path}`);
  return {
    path,
    access: options.access ?? 'readOnly',
    minEntries: options.minEntries ?? 0,
    maxEntries: options.maxEntries ?? 'unbounded',
    parameters,
    ...(options.numEntriesParameter === undefined
      ? {}
      : { numEntriesParameter: options.numEntriesParameter }),
    ...(options.enableParameter === undefined ? {} : { enableParameter: options.enableParameter }),
    ...(options.uniqueKeys === undefined ? {} : { uniqueKeys: options.uniqueKeys }),
  };
}

// --- Values ---

/** `at('Device.DeviceInfo.', { Manufacturer: 'X', UpTime: 5 })` → `{ 'Device.DeviceInfo.Manufacturer': 'X', … }`. */
export function at(
  prefix: string,
  values: Record<string, string | number | boolean>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[prefix + k] = String(v);
  return out;
}

// --- Composition ---

/** One area of a profile (DeviceInfo, WiFi, …): its definitions and its first-boot state. */
export interface ProfilePart {
  objects: ObjectDefinition[];
  instances?: Record<string, number[]>;
  values?: Record<string, string>;
  attributes?: Record<string, ProfileAttributes>;
}

function depth(path: string): number {
  return path.split('.').length;
}

/** The parts as one profile; objects are ordered parents first, siblings in the order given. */
export function composeProfile(
  meta: Pick<DeviceProfile, 'id' | 'description' | 'rpcMethods' | 'strictXsiTypes'> & {
    modelName: string;
  },
  parts: ProfilePart[],
): DeviceProfile {
  const objects = parts.flatMap((p) => p.objects);
  const ordered = objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => depth(a.o.path) - depth(b.o.path) || a.i - b.i);
  return {
    id: meta.id,
    description: meta.description,
    ...(meta.rpcMethods === undefined ? {} : { rpcMethods: meta.rpcMethods }),
    ...(meta.strictXsiTypes === undefined ? {} : { strictXsiTypes: meta.strictXsiTypes }),
    model: { name: meta.modelName, objects: ordered.map((x) => x.o) },
    instances: Object.assign({}, ...parts.map((p) => p.instances ?? {})),
    values: Object.assign({}, ...parts.map((p) => p.values ?? {})),
    attributes: Object.assign({}, ...parts.map((p) => p.attributes ?? {})),
  };
}
