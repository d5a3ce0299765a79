import type { XsdType } from '../../../cwmp/parameter-value.ts';

/** A primitive a script may read or declare. Numbers are finite. */
export type ScriptScalar = string | number | boolean;

/** One cached parameter as a script sees it. */
export interface ScriptParameter {
  value: ScriptScalar;
  /** xsi:type local name (`string`, `unsignedInt`, …). */
  type: string;
  writable?: boolean;
  /** When the value was last read from the device, ms since the epoch. */
  valueAt?: number;
  /** The value is a secret: such a parameter is never given to a script. */
  secret?: boolean;
}

/** Everything a preset script may know. Copied into the sandbox as JSON; nothing here is shared with it. */
export interface ScriptInput {
  /** path → parameter. Secret parameters (flagged, or secret-named) are dropped before the script runs. */
  parameters: Readonly<Record<string, ScriptParameter>> | ReadonlyMap<string, ScriptParameter>;
  deviceId: {
    manufacturer: string;
    oui: string;
    productClass: string;
    serialNumber: string;
  };
  tags: readonly string[];
  /** The Inform's events (`1 BOOT`, `M Reboot`, …). */
  events: readonly { code: string; commandKey: string }[];
  /** The session's time, ms since the epoch: `now()`, `Date.now()` and `new Date()` all give it. */
  sessionTime: number;
  /** Seeds `random()` / `Math.random()`: an unsigned 32-bit integer, or any string (hashed). */
  seed: number | string;
}

/** Bounds on one run. Every field has a default (`DEFAULT_SCRIPT_LIMITS`). */
export interface ScriptLimits {
  /** CPU-time budget of the whole run (input load, script, promise jobs, output), ms. */
  timeoutMs: number;
  /** Wall-clock cap of the run, ms, however busy the machine is. */
  wallTimeoutMs: number;
  /** The script's heap, bytes. Enforced by the engine and, as a hard cap, by the sandbox's wasm memory. */
  memoryBytes: number;
  /** QuickJS stack, bytes (64 KiB ≈ 330 nested plain calls). */
  maxStackBytes: number;
  /** Declaration calls, all kinds together. */
  maxDeclarations: number;
  /** `log()` lines kept; later ones are counted, not kept. */
  maxLogLines: number;
  /** Characters kept of one log line (longer ones are cut). */
  maxLogLineLength: number;
  /** Characters of one declared string value. */
  maxValueLength: number;
  /** Characters of the whole serialised output handed back to the host. */
  maxOutputLength: number;
}

export const DEFAULT_SCRIPT_LIMITS: Readonly<ScriptLimits> = Object.freeze({
  timeoutMs: 50,
  wallTimeoutMs: 500,
  memoryBytes: 16 * 1024 * 1024,
  maxStackBytes: 64 * 1024,
  maxDeclarations: 1000,
  maxLogLines: 100,
  maxLogLineLength: 1000,
  maxValueLength: 16 * 1024,
  maxOutputLength: 4 * 1024 * 1024,
});

/** `declare.value`: the parameter should hold this value. */
export interface DeclaredValue {
  path: string;
  value: ScriptScalar;
  /** The xsi:type to send; absent: the engine uses the parameter's known type. */
  type?: XsdType;
  /**
   * The value is a secret (set by the validator for secret-named paths, or declared so): sent as a Secret,
   * never compared, shown or logged.
   */
  secret?: boolean;
}

/** `declare.attributes`: the parameter (or every parameter under a partial path) should have these attributes. */
export interface DeclaredAttributes {
  path: string;
  /** 0 off, 1 passive, 2 active, 3-6 as TR-069 Amendment 6. */
  notification?: number;
  accessList?: string[];
}

/** `declare.instance`: an instance of `object` whose key parameters equal `keys` should exist, with `values` set. */
export interface DeclaredInstance {
  /** A multi-instance object's path, ending in `.` (`Device.NAT.PortMapping.`). */
  object: string;
  /** Parameter names relative to the instance → values; at least one. */
  keys: Record<string, ScriptScalar>;
  /** Further parameters of the instance, relative names → values. */
  values: Record<string, ScriptScalar>;
  /** Which of `values` are secrets (secret-named, or declared `{ value, secret: true }`). */
  secret?: string[];
}

/** `declare.noInstance`: no instance of `object` whose key parameters equal `keys` should exist. */
export interface DeclaredAbsentInstance {
  object: string;
  keys: Record<string, ScriptScalar>;
}

/** `declare.fresh`: the parameter (or every parameter under a partial path) should be read if older than this. */
export interface DeclaredFreshness {
  path: string;
  maxAgeSeconds: number;
}

/**
 * What a script declared, as plain data, merged: a later declaration of the same path (or the same instance
 * key) replaces an earlier one, except freshness, where the strictest (smallest) age wins. Order is the order
 * of first declaration, so the same script on the same input gives the same output.
 */
export interface ScriptDeclarations {
  values: DeclaredValue[];
  attributes: DeclaredAttributes[];
  instances: DeclaredInstance[];
  absentInstances: DeclaredAbsentInstance[];
  fresh: DeclaredFreshness[];
  addTags: string[];
  removeTags: string[];
}

export type ScriptFailureReason =
  | 'timeout'
  | 'out-of-memory'
  | 'threw'
  | 'invalid-output'
  | 'syntax';

export type ScriptOutcome =
  | {
      ok: true;
      declarations: ScriptDeclarations;
      logs: string[];
      /** CPU time the run took (the process's, measured around the synchronous run). */
      cpuMs: number;
    }
  | {
      ok: false;
      reason: ScriptFailureReason;
      /** Bounded; names no host path and carries no secret (scripts are never given any). */
      message: string;
      /** What the script logged before it failed, when that could still be read. */
      logs: string[];
    };

/** `runPresetScript` was called with input it cannot run on: a bug in the caller, not in the script. */
export class ScriptInputError extends Error {
  override readonly name = 'ScriptInputError';
}
