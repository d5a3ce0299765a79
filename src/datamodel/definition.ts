/**
 * A data-model definition as the BBF data-model schema (cwmp-datamodel-1-15.xsd) describes one: objects named in
 * `{i}` form, their parameters, each parameter's syntax (base type, facets, default) and the CWMP attributes that
 * govern notification and Inform. Plain readonly data, so a definition can be written by hand (the profiles in
 * ./profiles/), loaded from BBF XML (./bbf/) or inferred from a parameter dump (./dump/) and compared between them.
 * DataModel (data-model.ts) indexes one for lookups.
 */
import type { XsdType } from '../cwmp/parameter-value.ts';

/** The XSD base types a parameter can have (TR-106 §3.2; the DM schema's built-in syntax elements). */
export type BaseType = XsdType;

/** `writeOnceReadOnly`: the ACS may set it once (an Alias after AddObject), then it is read-only. */
export type ParameterAccess = 'readOnly' | 'readWrite' | 'writeOnceReadOnly';

/** On a table: readWrite means AddObject and DeleteObject work on it. Meaningless on a single object. */
export type ObjectAccess = 'readOnly' | 'readWrite';

/**
 * How the CPE treats active notification on the parameter (cwmp-spec.md §7.3):
 * `canDeny` may refuse active notification (9009); `forceEnabled` is always active; `forceDefaultEnabled` is active
 * until the ACS says otherwise.
 */
export type ActiveNotify = 'normal' | 'canDeny' | 'forceEnabled' | 'forceDefaultEnabled';

export type ItemStatus = 'current' | 'deprecated' | 'obsoleted' | 'deleted';

/** String length (characters) or base64/hexBinary length (bytes). Several facets are alternatives. */
export interface SizeFacet {
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** Numeric range, inclusive. Several facets are alternatives. */
export interface RangeFacet {
  readonly min?: number;
  readonly max?: number;
  /** Allowed values are min, min + step, …; counted from 0 when there is no min. */
  readonly step?: number;
}

export interface EnumerationFacet {
  readonly value: string;
  /** `readOnly`: the CPE may report the value but the ACS may not write it (DiagnosticsState `Complete`). */
  readonly access?: 'readOnly';
  /** The CPE need not support the value. */
  readonly optional?: boolean;
}

/** A list-valued parameter is a comma-separated string; the other facets then apply to each item. */
export interface ListFacet {
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Length of the whole comma-separated string. */
  readonly sizes?: readonly SizeFacet[];
}

export interface Syntax {
  readonly type: BaseType;
  /** The named data type it was declared with (`IPAddress`, `Alias`, …), already resolved into the facets here. */
  readonly dataType?: string;
  readonly list?: ListFacet;
  readonly sizes?: readonly SizeFacet[];
  readonly ranges?: readonly RangeFacet[];
  readonly enumerations?: readonly EnumerationFacet[];
  /** XSD regular expressions; the value must match one of them (an empty pattern allows the empty string). */
  readonly patterns?: readonly string[];
  readonly units?: string;
  /** The value a new instance (object default) or a factory-fresh device (factory default) starts with. */
  readonly default?: string;
  /** Reads back as the null value of its type (passwords). */
  readonly hidden?: boolean;
  /** Like hidden unless the protocol lets the ACS read it; CWMP does not, so it reads back as null too. */
  readonly secured?: boolean;
  /** Writing it triggers an action; it always reads back as the null value. */
  readonly command?: boolean;
}

export interface ParameterDefinition {
  /** The name within its object: `SoftwareVersion`. */
  readonly name: string;
  readonly access: ParameterAccess;
  readonly syntax: Syntax;
  /** Sent in every Inform (cwmp-spec.md §7.4). */
  readonly forcedInform?: boolean;
  readonly activeNotify?: ActiveNotify;
  readonly status?: ItemStatus;
  /**
   * Corral's own (not in BBF XML): a change takes effect only after a reboot, so SetParameterValues answers
   * Status 1. Profiles set it where a real device would.
   */
  readonly rebootRequired?: boolean;
}

export interface UniqueKey {
  readonly functional: boolean;
  readonly parameters: readonly string[];
}

export interface ObjectDefinition {
  /** The schema path: `Device.IP.Interface.{i}.`; a table's ends in `{i}.`. */
  readonly path: string;
  readonly access: ObjectAccess;
  readonly minEntries: number;
  readonly maxEntries: number | 'unbounded';
  /** The parameter of the parent object that counts this table's instances. */
  readonly numEntriesParameter?: string;
  readonly enableParameter?: string;
  readonly uniqueKeys?: readonly UniqueKey[];
  readonly parameters: readonly ParameterDefinition[];
  readonly status?: ItemStatus;
}

export interface DataModelDefinition {
  /** `Device:2.17`, `InternetGatewayDevice:1.14`. */
  readonly name: string;
  /** Every object, the root (`Device.`) first; a parent comes before its children. */
  readonly objects: readonly ObjectDefinition[];
}

export const TABLE_SUFFIX = '{i}.';

export function isTablePath(schemaPath: string): boolean {
  return schemaPath.endsWith(TABLE_SUFFIX);
}

export function isWritableAccess(access: ParameterAccess): boolean {
  return access !== 'readOnly';
}

const UNKNOWN_TIME = '0001-01-01T00:00:00Z';

/**
 * The "null value" of a base type (TR-106 A.2.3.5): what hidden, secured and command parameters read back as, and
 * what a parameter with no default starts with.
 */
export function nullValue(syntax: Pick<Syntax, 'type' | 'list'>): string {
  if (syntax.list !== undefined) return '';
  switch (syntax.type) {
    case 'int':
    case 'unsignedInt':
    case 'long':
    case 'unsignedLong':
    case 'decimal':
      return '0';
    case 'boolean':
      return 'false';
    case 'dateTime':
      return UNKNOWN_TIME;
    default:
      return '';
  }
}

/** The xsi:type a value of this syntax travels with: a list is always a string on the wire. */
export function wireType(syntax: Pick<Syntax, 'type' | 'list'>): BaseType {
  return syntax.list === undefined ? syntax.type : 'string';
}

/** What a parameter of this syntax starts with: its default, else the null value. */
export function initialValue(syntax: Syntax): string {
  return syntax.default ?? nullValue(syntax);
}

/** Hidden, secured and command parameters never reveal their value to a reader. */
export function readsAsNull(syntax: Syntax): boolean {
  return syntax.hidden === true || syntax.secured === true || syntax.command === true;
}
