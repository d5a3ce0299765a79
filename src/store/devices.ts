import type { JsonValue } from './json.ts';
import type { ParameterChange, ParameterRecord, ParameterUpdate } from './parameters.ts';

/** The DeviceId struct of an Inform. Every field is untrusted device input, stored verbatim. */
export interface DeviceIdentity {
  manufacturer: string;
  oui: string;
  productClass: string;
  serialNumber: string;
}

export interface DeviceRecord extends DeviceIdentity {
  /** `encodeDeviceId(oui, productClass, serialNumber)`: URL-safe, unambiguous. */
  id: string;
  /** From `{Device,InternetGatewayDevice}.DeviceInfo.SoftwareVersion` whenever that parameter is written. */
  softwareVersion: string | null;
  hardwareVersion: string | null;
  /** The address the last Inform came from. */
  remoteAddress: string | null;
  /** ms since the epoch. */
  firstInformAt: number;
  lastInformAt: number;
  /** Last Inform carrying `1 BOOT`. */
  lastBootAt: number | null;
  /** Last Inform carrying `0 BOOTSTRAP`. */
  lastBootstrapAt: number | null;
  tags: string[];
}

export interface InformEvent {
  code: string;
  commandKey: string;
}

export interface DeviceEvent extends InformEvent {
  at: number;
}

export interface InformInput {
  device: DeviceIdentity;
  events: readonly InformEvent[];
  /** The Inform's ParameterList (values and types). */
  parameters: readonly ParameterUpdate[];
  remoteAddress?: string | null;
  /** Defaults to the store's clock. */
  at?: number;
}

export interface InformOutcome {
  device: DeviceRecord;
  /** This Inform created the device. */
  created: boolean;
  /** It carried `0 BOOTSTRAP`: the cached model and provisioning state were forgotten first. */
  bootstrap: boolean;
  /** What the Inform's parameters changed in the cached model. */
  changes: ParameterChange[];
}

/** Device columns that can be filtered and sorted on (each a real, indexed column where it matters). */
export type DeviceField =
  | 'id'
  | 'manufacturer'
  | 'oui'
  | 'productClass'
  | 'serialNumber'
  | 'softwareVersion'
  | 'hardwareVersion'
  | 'remoteAddress'
  | 'firstInformAt'
  | 'lastInformAt'
  | 'lastBootAt'
  | 'lastBootstrapAt';

export const DEVICE_FIELDS: readonly DeviceField[] = [
  'id',
  'manufacturer',
  'oui',
  'productClass',
  'serialNumber',
  'softwareVersion',
  'hardwareVersion',
  'remoteAddress',
  'firstInformAt',
  'lastInformAt',
  'lastBootAt',
  'lastBootstrapAt',
];

export type Comparison = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

/**
 * One condition of a device filter; a filter is the AND of its conditions. String comparisons are by code
 * point; `ne` matches a missing value too. A parameter condition compares numerically when `value` is a
 * number. Parameters marked indexed are searched through the value index; others are checked per device.
 */
export type DeviceCondition =
  | { kind: 'field'; field: DeviceField; op: Comparison; value: string | number }
  | { kind: 'field'; field: DeviceField; op: 'in'; values: readonly (string | number)[] }
  | { kind: 'field'; field: DeviceField; op: 'prefix'; value: string }
  | { kind: 'field'; field: DeviceField; op: 'null' | 'notNull' }
  | { kind: 'tag'; tag: string; op: 'has' | 'lacks' }
  | { kind: 'parameter'; path: string; op: Comparison; value: string | number }
  | { kind: 'parameter'; path: string; op: 'prefix'; value: string }
  | { kind: 'parameter'; path: string; op: 'exists' | 'missing' };

export interface DeviceListQuery {
  filter?: readonly DeviceCondition[];
  /** Defaults to `id` ascending; ties are always broken by creation order. */
  sort?: { field: DeviceField; direction?: 'asc' | 'desc' };
  /** Default 100, at most 10,000. */
  limit?: number;
  offset?: number;
  projection?: DeviceProjection;
}

export interface DeviceProjection {
  /** Device fields to return (id is always returned). Default: all. */
  fields?: readonly DeviceField[];
  /** Return tags (default true). */
  tags?: boolean;
  /** Parameters to return with each device: exact paths or partial paths (subtrees). Default: none. */
  parameters?: readonly string[];
}

export type DeviceView = { id: string } & Partial<Omit<DeviceRecord, 'id'>> & {
    parameters?: ParameterRecord[];
  };

export interface DeviceStore {
  /**
   * The Inform hot path, one transaction touching only this device's rows: create the device on first
   * contact; update identity, times and address; append the events (history bounded per device);
   * on `0 BOOTSTRAP` forget the cached model and provisioning state; then write the Inform's parameters
   * (only what changed).
   */
  recordInform(input: InformInput): Promise<InformOutcome>;
  get(id: string): Promise<DeviceRecord | null>;
  list(query?: DeviceListQuery): Promise<DeviceView[]>;
  count(filter?: readonly DeviceCondition[]): Promise<number>;
  /** Remove the device and every row that belongs to it (parameters, events, tasks, traces, credentials). */
  delete(id: string): Promise<void>;
  /** Newest first; bounded by the store's `eventHistoryLimit`. */
  events(id: string, options?: { limit?: number }): Promise<DeviceEvent[]>;
  addTags(id: string, tags: readonly string[]): Promise<string[]>;
  removeTags(id: string, tags: readonly string[]): Promise<string[]>;
  /** Every tag in use with its device count, by tag. */
  listTags(): Promise<{ tag: string; devices: number }[]>;
  /** Opaque per-device state of the provisioning layer; cleared by `0 BOOTSTRAP`. */
  getProvisioningState(id: string): Promise<JsonValue | null>;
  setProvisioningState(id: string, state: JsonValue | null): Promise<void>;
}
