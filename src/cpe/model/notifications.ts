/**
 * A device's notification state where it differs from its template: Notification and AccessList attributes the ACS
 * or the profile changed, and the parameters whose value changed outside the ACS since the last Inform that
 * delivered them (the "4 VALUE CHANGE" candidates, cwmp-spec.md §7.3). A device that has none of this carries no
 * Notifications object at all.
 */
import type { ActiveNotify } from '../../datamodel/definition.ts';

export interface AttributeOverride {
  notification?: number;
  accessList?: readonly string[];
}

export class Notifications {
  readonly attributes = new Map<string, AttributeOverride>();
  /** Parameter paths with a value change not yet delivered in an Inform. */
  readonly pending = new Set<string>();
  /** One of the pending changes is on a parameter with active notification: a session is due now. */
  active = false;

  get empty(): boolean {
    return this.attributes.size === 0 && this.pending.size === 0;
  }

  /** Forgets everything about `prefix` and below (a deleted instance). */
  forgetUnder(prefix: string): void {
    for (const k of this.attributes.keys()) if (k.startsWith(prefix)) this.attributes.delete(k);
    for (const k of this.pending) if (k.startsWith(prefix)) this.pending.delete(k);
  }
}

/** The notification a parameter has before the ACS or a profile says anything (cwmp-spec.md §7.3). */
export function defaultNotification(activeNotify: ActiveNotify | undefined): number {
  return activeNotify === 'forceEnabled' || activeNotify === 'forceDefaultEnabled' ? 2 : 0;
}

/** Notification values of CWMP 1.4: 0 off, 1 passive, 2 active, 3-6 the lightweight variants. */
export const MAX_NOTIFICATION = 6;

/** The ones this simulator acts on; lightweight notification (3-6, UDP) is not implemented. */
export function isSupportedNotification(n: number): boolean {
  return n === 0 || n === 1 || n === 2;
}
