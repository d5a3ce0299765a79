/**
 * The events a CPE has raised and not yet delivered, under the rules of event-rules.ts: single events collapse,
 * M events keep one entry per CommandKey, a failed session drops what is never retried, a reboot drops what does
 * not survive one, a BOOTSTRAP (factory reset, new ACS URL) drops everything meant for the old ACS.
 *
 * An idle device has an empty queue and holds no array.
 */
import { eventRank, eventRule } from './event-rules.ts';

export interface InformEvent {
  readonly code: string;
  readonly commandKey: string;
}

export class EventQueue {
  private events: InformEvent[] | undefined;

  get size(): number {
    return this.events?.length ?? 0;
  }

  has(code: string): boolean {
    return this.events?.some((e) => e.code === code) === true;
  }

  /** Raises an event. A single event already queued is not added again (its CommandKey is the latest). */
  add(code: string, commandKey = ''): void {
    const list = this.events ?? [];
    const rule = eventRule(code);
    const same = list.findIndex(
      (e) => e.code === code && (!rule.multiple || e.commandKey === commandKey),
    );
    if (same >= 0) list[same] = { code, commandKey };
    else list.push({ code, commandKey });
    this.events = list;
  }

  /** The queued events in Inform order. */
  list(): InformEvent[] {
    if (this.events === undefined) return [];
    return this.events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => eventRank(a.e.code) - eventRank(b.e.code) || a.i - b.i)
      .map((x) => x.e);
  }

  /** The InformResponse arrived: the events that Inform carried are delivered. */
  delivered(sent: readonly InformEvent[]): void {
    if (this.events === undefined) return;
    this.events = this.events.filter(
      (e) => !sent.some((s) => s.code === e.code && s.commandKey === e.commandKey),
    );
    this.trim();
  }

  /** The session failed before the InformResponse: keep only what is retried. */
  sessionFailed(): void {
    this.filter((e) => eventRule(e.code).retry);
  }

  /** The device rebooted: keep only what survives a reboot. */
  rebooted(): void {
    this.filter((e) => eventRule(e.code).keepOnReboot);
  }

  /** Drops every event (a BOOTSTRAP is about to be raised). */
  clear(): void {
    this.events = undefined;
  }

  private filter(keep: (e: InformEvent) => boolean): void {
    if (this.events === undefined) return;
    this.events = this.events.filter(keep);
    this.trim();
  }

  private trim(): void {
    if (this.events?.length === 0) this.events = undefined;
  }
}
