/**
 * What a device reports of each session (to its fleet's statistics and to tests), the gate a fleet puts on
 * sessions, and the composition of an Inform's events.
 */
import type { CwmpVersion } from '../../cwmp/index.ts';
import type { SessionError } from '../session/errors.ts';
import type { InformEvent } from '../session/event-queue.ts';
import { eventRank, eventRule, MAX_INFORM_EVENTS } from '../session/event-rules.ts';
import type { OutboxEntry } from './transfer-runner.ts';

export interface SessionRecord {
  serialNumber: string;
  /** Scheduler time the session started. */
  startedAt: number;
  /** Real time it took. */
  durationMs: number;
  ok: boolean;
  informAccepted: boolean;
  /** The Inform's events, `code` or `code:CommandKey`. */
  events: string[];
  retryCount: number;
  acsRequests: string[];
  /** The CPE requests the ACS acknowledged (TransferComplete, …). */
  acknowledged: string[];
  /** ACS requests answered with a SOAP fault. */
  faultsSent: number;
  version?: CwmpVersion;
  error?: SessionError;
}

/** Admission to open a session; resolves with the function that gives the place back. */
export interface SessionGate {
  acquire(): Promise<() => void>;
}

/**
 * The Inform's events: the queued ones, 4 VALUE CHANGE when changes are pending, and the 7/11 + M events of the
 * outbox's unacknowledged requests; in Inform order, at most 64.
 */
export function informEvents(
  queued: readonly InformEvent[],
  outbox: readonly OutboxEntry[],
  valueChanges: boolean,
): InformEvent[] {
  const all = [...queued];
  if (valueChanges) all.push({ code: '4 VALUE CHANGE', commandKey: '' });
  for (const entry of outbox) {
    for (const e of entry.events) {
      const single = !eventRule(e.code).multiple;
      if (!all.some((x) => x.code === e.code && (single || x.commandKey === e.commandKey))) {
        all.push(e);
      }
    }
  }
  all.sort((a, b) => eventRank(a.code) - eventRank(b.code));
  return all.slice(0, MAX_INFORM_EVENTS);
}

export function eventLabel(e: InformEvent): string {
  return e.commandKey === '' ? e.code : `${e.code}:${e.commandKey}`;
}

/** Promises waiting for a session that matches; resolved in order as records come. */
export class SessionWaiters {
  private readonly list: {
    match: (r: SessionRecord) => boolean;
    resolve: (r: SessionRecord) => void;
  }[] = [];

  wait(match: (r: SessionRecord) => boolean): Promise<SessionRecord> {
    return new Promise((resolve) => {
      this.list.push({ match, resolve });
    });
  }

  /** Resolves every waiter the record matches; returns how many still wait. */
  notify(record: SessionRecord): number {
    for (let i = 0; i < this.list.length; ) {
      const w = this.list[i]!;
      if (w.match(record)) {
        this.list.splice(i, 1);
        w.resolve(record);
      } else {
        i++;
      }
    }
    return this.list.length;
  }
}
