/**
 * How each Inform event behaves in the CPE's queue (cwmp-spec.md §3): whether repeats collapse into one
 * ("single") or each occurrence is kept with its CommandKey ("multiple", the `M <method>` events), whether it is
 * retried when a session fails, and whether it survives a reboot. Taken from the spec digest's table (icwmp's flags
 * where TR-069 A6 §3.7.1.5 could not be checked).
 *
 * Events whose delivery is tied to a CPE request — 7 TRANSFER COMPLETE with M Download/Upload/ScheduleDownload,
 * 11 DU STATE CHANGE COMPLETE with M ChangeDUState — are not queued at all: they are derived from the outbox of
 * TransferComplete/DUStateChangeComplete messages, so they stay until the ACS acknowledges the message ("must not
 * discard"), across failed sessions and reboots. 4 VALUE CHANGE is derived from the data model's pending changes.
 */

export interface EventRule {
  /** One EventStruct per occurrence (M events) rather than one for all. */
  multiple: boolean;
  /** Kept for the next attempt when the session fails. */
  retry: boolean;
  /** Kept across a reboot. */
  keepOnReboot: boolean;
}

const SINGLE_RETRY_KEEP: EventRule = { multiple: false, retry: true, keepOnReboot: true };
const SINGLE_RETRY_DROP_ON_REBOOT: EventRule = {
  multiple: false,
  retry: true,
  keepOnReboot: false,
};
const NEVER_RETRIED: EventRule = { multiple: false, retry: false, keepOnReboot: false };
const METHOD_EVENT: EventRule = { multiple: true, retry: true, keepOnReboot: true };

const RULES: ReadonlyMap<string, EventRule> = new Map([
  // Kept until delivered, whatever happens (a newer BOOTSTRAP replaces it).
  ['0 BOOTSTRAP', SINGLE_RETRY_KEEP],
  // A reboot raises a new one anyway.
  ['1 BOOT', SINGLE_RETRY_DROP_ON_REBOOT],
  ['2 PERIODIC', SINGLE_RETRY_KEEP],
  ['3 SCHEDULED', SINGLE_RETRY_KEEP],
  ['4 VALUE CHANGE', SINGLE_RETRY_DROP_ON_REBOOT],
  ['5 KICKED', SINGLE_RETRY_KEEP],
  // A session the ACS asked for and did not get: the ACS asks again (icwmp RETRY=0).
  ['6 CONNECTION REQUEST', NEVER_RETRIED],
  ['7 TRANSFER COMPLETE', SINGLE_RETRY_KEEP],
  ['8 DIAGNOSTICS COMPLETE', SINGLE_RETRY_DROP_ON_REBOOT],
  ['9 REQUEST DOWNLOAD', SINGLE_RETRY_KEEP],
  ['10 AUTONOMOUS TRANSFER COMPLETE', SINGLE_RETRY_KEEP],
  ['11 DU STATE CHANGE COMPLETE', SINGLE_RETRY_KEEP],
  ['12 AUTONOMOUS DU STATE CHANGE COMPLETE', SINGLE_RETRY_KEEP],
  ['13 WAKEUP', SINGLE_RETRY_DROP_ON_REBOOT],
  // Unconfirmed in the spec digest: a heartbeat session is not retried.
  ['14 HEARTBEAT', NEVER_RETRIED],
]);

export function eventRule(code: string): EventRule {
  const rule = RULES.get(code);
  if (rule !== undefined) return rule;
  if (code.startsWith('M ')) return METHOD_EVENT;
  // Vendor events ("X <OUI> <name>"): kept like the standard single events.
  return SINGLE_RETRY_KEEP;
}

/** Inform order: numbered events ascending, then M events, then vendor events, each by arrival. */
export function eventRank(code: string): number {
  const n = /^(\d+) /.exec(code);
  if (n !== null) return Number(n[1]);
  return code.startsWith('M ') ? 1000 : 2000;
}

/** At most 64 EventStructs in one Inform (cwmp-1-2.xsd). */
export const MAX_INFORM_EVENTS = 64;
