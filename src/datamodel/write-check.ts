/**
 * What is wrong with a write before it reaches a device, from what is known of its model: the standard definition
 * of the path (standard/standard-definitions.ts) and what the device itself reported of it (its xsi:type, its
 * writability from GetParameterNames). The device's own report wins where the two disagree — it is the device
 * that will answer — and a name neither knows is refused unless it is a vendor extension (`X_…`), which is let
 * through with a warning: the ACS cannot know every vendor's model.
 */
import type { ParameterNode } from './data-model.ts';
import { isWritableAccess } from './definition.ts';
import type { ResolvedPath } from './resolve.ts';
import { describeSyntax, validateValue } from './validate.ts';

/** What the device reported of a path (the stored row), when it has. */
export interface ReportedPath {
  object: boolean;
  type: string | null;
  writable: boolean | null;
}

export type WriteRule =
  | 'unknown-parameter'
  | 'not-a-parameter'
  | 'not-writable'
  | 'invalid-value'
  | 'not-a-table'
  | 'not-an-instance'
  | 'notification-not-allowed';

export type WriteCheck =
  | { ok: true; warning?: string }
  | { ok: false; rule: WriteRule; message: string };

const OK: WriteCheck = { ok: true };

/** A vendor extension: a segment `X_<OUI or CID>_…` (TR-106 §3.3). */
export function isVendorExtension(path: string): boolean {
  return path.split('.').some((segment) => segment.startsWith('X_'));
}

function unknown(path: string, what: string): WriteCheck {
  if (isVendorExtension(path)) {
    return { ok: true, warning: `${path} is a vendor extension the ACS has no definition of` };
  }
  return {
    ok: false,
    rule: 'unknown-parameter',
    message: `${path} is not a ${what} of the standard model, nor one the device reported`,
  };
}

/** A SetParameterValues entry. */
export function checkParameterWrite(
  path: string,
  value: string,
  standard: ResolvedPath | undefined,
  reported: ReportedPath | null,
  /** A password: the message then says what the value is not, never what it is. */
  secret = false,
): WriteCheck {
  const node = standard?.kind === 'parameter' ? standard.node : undefined;
  if (reported?.object === true || (standard !== undefined && node === undefined)) {
    return { ok: false, rule: 'not-a-parameter', message: `${path} is an object, not a parameter` };
  }
  if (node === undefined && reported === null) return unknown(path, 'parameter');
  const writable =
    reported?.writable ?? (node === undefined ? null : isWritableAccess(node.definition.access));
  if (writable === false) {
    return { ok: false, rule: 'not-writable', message: `${path} is read-only` };
  }
  if (node !== undefined) return checkValue(path, value, node, secret);
  return OK;
}

function checkValue(path: string, value: string, node: ParameterNode, secret: boolean): WriteCheck {
  const checked = validateValue(node.definition.syntax, value, { write: true });
  if (checked.ok) return OK;
  const why = secret ? 'the value given (not shown: a secret) does not fit' : checked.reason;
  return {
    ok: false,
    rule: 'invalid-value',
    message: `${path} takes ${describeSyntax(node.definition.syntax)}: ${why}`,
  };
}

/** AddObject: the name must be a table (`Device.IP.Interface.`) the ACS can add to. */
export function checkAddObject(
  path: string,
  standard: ResolvedPath | undefined,
  reported: ReportedPath | null,
): WriteCheck {
  if (standard === undefined) return reported === null ? unknown(path, 'table') : OK;
  if (standard.kind !== 'table') {
    return {
      ok: false,
      rule: 'not-a-table',
      message: `${path} is not a multi-instance object: AddObject takes a table such as Device.IP.Interface.`,
    };
  }
  if (standard.node.definition.access !== 'readWrite' && reported?.writable !== true) {
    return {
      ok: false,
      rule: 'not-writable',
      message: `${path}: the ACS cannot add instances to it`,
    };
  }
  return OK;
}

/** DeleteObject: the name must be one instance (`Device.IP.Interface.3.`). */
export function checkDeleteObject(
  path: string,
  standard: ResolvedPath | undefined,
  reported: ReportedPath | null,
): WriteCheck {
  if (standard === undefined) return reported === null ? unknown(path, 'object instance') : OK;
  if (standard.kind !== 'instance') {
    return {
      ok: false,
      rule: 'not-an-instance',
      message: `${path} is not an instance: DeleteObject takes one such as Device.IP.Interface.3.`,
    };
  }
  if (standard.node.definition.access !== 'readWrite' && reported?.writable !== true) {
    return {
      ok: false,
      rule: 'not-writable',
      message: `${path}: the ACS cannot delete its instances`,
    };
  }
  return OK;
}

/** SetParameterAttributes' notification: 0 to 2, and none but active where the standard forces it. */
export function checkNotification(
  path: string,
  notification: number,
  standard: ResolvedPath | undefined,
): WriteCheck {
  if (!Number.isInteger(notification) || notification < 0 || notification > 6) {
    return {
      ok: false,
      rule: 'notification-not-allowed',
      message: `${path}: notification ${notification} is not one of 0 (off), 1 (passive), 2 (active) or 3 to 6 (lightweight)`,
    };
  }
  const forced =
    standard?.kind === 'parameter' && standard.node.definition.activeNotify === 'forceEnabled';
  if (forced && notification !== 2) {
    return {
      ok: false,
      rule: 'notification-not-allowed',
      message: `${path} always notifies actively (the standard forces it): the device answers 9009`,
    };
  }
  return OK;
}
