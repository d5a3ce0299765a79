import type { Secret } from './secret.ts';

/**
 * The cached parameter tree of a device: one row per (device, path). A path ending in `.` is an object
 * (from GetParameterNames), any other a parameter. Each aspect is written only by the RPC that reads it:
 * value and type by Inform / GetParameterValues (or a successful SetParameterValues), writable by
 * GetParameterNames, notification and access list by GetParameterAttributes / SetParameterAttributes.
 */
export interface ParameterRecord {
  path: string;
  /** True for an object (partial path, ends with `.`). */
  object: boolean;
  /** The raw value as the device sent it; null when never read, or when the value is a secret. */
  value: string | null;
  /** xsi:type local name (`string`, `unsignedInt`, …); null when never read. */
  type: string | null;
  /** The value is a secret, encrypted at rest; read it with `ParameterStore.reveal`. */
  secret: boolean;
  writable: boolean | null;
  /** Notification attribute, 0-6; null when never read. */
  notification: number | null;
  accessList: string[] | null;
  /** When value/type were last read from (or set on) the device, ms since the epoch. */
  valueAt: number | null;
  /** When notification/access list were last read or set. */
  attributesAt: number | null;
}

/**
 * What one RPC learnt about one path. Only the aspects given are compared and written; the others keep
 * their stored state. A `Secret` value is stored encrypted and never indexed.
 */
export interface ParameterUpdate {
  path: string;
  value?: string | Secret;
  /** Defaults to the stored type, or `string` for a new value. */
  type?: string;
  writable?: boolean;
  notification?: number;
  accessList?: readonly string[];
}

export type ParameterAspect = 'value' | 'type' | 'writable' | 'notification' | 'accessList';

/** One row that an update changed. Unchanged rows are not reported (and not rewritten). */
export interface ParameterChange {
  path: string;
  kind: 'added' | 'changed' | 'removed';
  /** The aspects that differ ('added': those given; 'removed': empty). */
  aspects: ParameterAspect[];
  before: ParameterRecord | null;
  after: ParameterRecord | null;
}

export interface UpsertOptions {
  /** When the device reported this; defaults to the store's clock. */
  at?: number;
  /**
   * Make the rows under a partial path equal to this batch: rows under `prefix` that the batch does not
   * name are removed (reported as 'removed'). For a GetParameterNames answer: `nextLevel` true prunes
   * only the direct children the answer no longer lists (with their subtrees).
   */
  prune?: { prefix: string; nextLevel?: boolean };
}

export interface ParameterListOptions {
  /** A path or partial path: that row and, for a partial path, everything under it. */
  prefix?: string;
  /** Exact paths or partial paths (each as `prefix`); the union is returned. */
  paths?: readonly string[];
  /** Rows by their exact path: for an object (`Device.WiFi.`) its own row, not what is under it. */
  rows?: readonly string[];
}

/** A direct child of an object in a device's stored tree. */
export interface ParameterChild {
  /** The full path; an object's ends with `.`. */
  path: string;
  /** Its own row; null for an object known only from paths under it (an Inform reports leaves only). */
  record: ParameterRecord | null;
}

export interface ParameterStore {
  get(deviceId: string, path: string): Promise<ParameterRecord | null>;
  /** Rows sorted by path (code-point order). */
  list(deviceId: string, options?: ParameterListOptions): Promise<ParameterRecord[]>;
  /**
   * The direct children of an object path (`Device.WiFi.`), in code-point order, at most `limit` (default and
   * most MAX_PAGE), without reading their subtrees. Rejects with not-found for an unknown device, invalid for
   * a path that is not an object's.
   */
  children(deviceId: string, objectPath: string, limit?: number): Promise<ParameterChild[]>;
  /**
   * Write what changed and say what it was. Rows whose given aspects are unchanged are not rewritten,
   * except that their read time is refreshed once it is older than the store's `readTimeResolutionMs`.
   * Rejects with not-found for an unknown device.
   */
  upsert(
    deviceId: string,
    updates: readonly ParameterUpdate[],
    options?: UpsertOptions,
  ): Promise<ParameterChange[]>;
  /** Remove a parameter, or an object and everything under it (DeleteObject). Returns what went. */
  deleteSubtree(deviceId: string, path: string): Promise<ParameterChange[]>;
  /** The plaintext of a secret parameter; null when the path is absent or not a secret. */
  reveal(deviceId: string, path: string): Promise<Secret | null>;
  /**
   * Operator-marked searchable parameters: an exact path, or a path with `*` for instance numbers
   * (`Device.WiFi.SSID.*.SSID`). Marked rows go into the value index, which device filters use. The rows
   * already stored are flagged in batches, other work running between them (a million devices take
   * seconds); filters use the index only once all are. Marking again finishes a marking cut short.
   */
  markIndexed(pattern: string): Promise<void>;
  unmarkIndexed(pattern: string): Promise<void>;
  listIndexed(): Promise<string[]>;
}
