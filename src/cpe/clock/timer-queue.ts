/**
 * Pending timers in due order: a binary min-heap on (due, insertion order), so timers due at the same moment fire
 * in the order they were set. Cancelling marks an entry; marked entries are dropped when they reach the top, and
 * the heap is rebuilt when they make up most of it.
 */
import type { Timer } from './scheduler.ts';

class Entry implements Timer {
  cancelled = false;
  constructor(
    readonly due: number,
    readonly seq: number,
    public callback: (() => void) | undefined,
    private readonly owner: TimerQueue,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.callback = undefined;
    this.owner.noteCancelled();
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

export class TimerQueue {
  private heap: Entry[] = [];
  private seq = 0;
  private cancelled = 0;

  /** Live entries. */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  add(due: number, callback: () => void): Timer {
    const entry = new Entry(due, this.seq++, callback, this);
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return entry;
  }

  /** When the earliest live timer is due, if any. */
  nextDue(): number | undefined {
    this.dropCancelledTop();
    return this.heap[0]?.due;
  }

  /**
   * Runs every timer due at or before `now`, earliest first, including timers that callbacks add for times up to
   * `now`. Returns how many ran.
   */
  runDue(now: number, onError: (error: unknown) => void): number {
    let ran = 0;
    for (;;) {
      this.dropCancelledTop();
      const top = this.heap[0];
      if (top === undefined || top.due > now) return ran;
      this.pop();
      const callback = top.callback!;
      top.cancelled = true;
      top.callback = undefined;
      ran++;
      try {
        callback();
      } catch (error) {
        onError(error);
      }
    }
  }

  clear(): void {
    for (const e of this.heap) {
      e.cancelled = true;
      e.callback = undefined;
    }
    this.heap = [];
    this.cancelled = 0;
  }

  noteCancelled(): void {
    this.cancelled++;
    if (this.cancelled > 64 && this.cancelled * 2 > this.heap.length) this.rebuild();
  }

  private rebuild(): void {
    this.heap = this.heap.filter((e) => !e.cancelled);
    this.cancelled = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) {
      this.pop();
      this.cancelled--;
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) return;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
