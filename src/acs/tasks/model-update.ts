import type { ParameterValue } from '../../cwmp/index.ts';

/**
 * What a task learnt about the device, for the store to apply to its copy of the parameter tree. Produced by the
 * task handlers (pure), applied by the session (which owns the store transaction).
 */
export type ModelUpdate =
  /** Values read from, or written to, the device. */
  | { kind: 'values'; values: ParameterValue[] }
  /** Names (and writability) found under `path`; with `complete`, anything else stored under it is gone. */
  | {
      kind: 'names';
      path: string;
      entries: Array<{ name: string; writable: boolean }>;
      complete: boolean;
    }
  | {
      kind: 'attributes';
      attributes: Array<{ name: string; notification?: number; accessList?: string[] }>;
    }
  /** AddObject created `objectName` + instance. */
  | { kind: 'instance-added'; objectName: string; instanceNumber: number }
  /** DeleteObject removed the subtree. */
  | { kind: 'object-deleted'; objectName: string }
  /** The ParameterKey the device now reports (TR-069: set only by a successful SPV/AddObject/DeleteObject). */
  | { kind: 'parameter-key'; value: string };
