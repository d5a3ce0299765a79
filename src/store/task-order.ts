import type { TaskType } from './task-args.ts';

/**
 * Which queued task a session may run next (issue 11 item 23: a task backing off after a retryable fault held
 * up every task behind it). The queue stays ordered where order matters, and only there:
 *
 * - A task touches parameter paths (its names, its object, its subtree) or, for the RPCs that act on the whole
 *   device (Reboot, FactoryReset, transfers, ChangeDUState, ScheduleInform, SetVouchers, …), everything.
 *   GetRPCMethods, GetOptions and the queued-transfer reads touch nothing.
 * - A task not yet due (backing off, or queued with a later `notBefore`) holds back every later task whose
 *   paths overlap its own (the same path, or one under the other), and a whole-device task holds back all
 *   later tasks — as does any earlier task it would have to follow. A task held back holds back in turn, so
 *   two tasks on the same paths never swap.
 * - The first task in queue order that is due and held back by nothing runs.
 *
 * Pure, on rows as any store keeps them: the SQLite store uses it, a PostgreSQL store will too.
 */
export interface QueuedTask {
  type: TaskType;
  /** The task's arguments as stored (JSON; secrets sealed, names in clear). */
  args: string;
  notBefore: number;
}

type Footprint = { all: true } | { all: false; paths: string[] };

const NOTHING: ReadonlySet<TaskType> = new Set<TaskType>([
  'getRPCMethods',
  'getOptions',
  'getQueuedTransfers',
  'getAllQueuedTransfers',
]);

/** What a task touches, from its stored arguments; anything unreadable counts as the whole device. */
export function footprint(type: TaskType, args: string): Footprint {
  if (NOTHING.has(type)) return { all: false, paths: [] };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(args) as Record<string, unknown>;
  } catch {
    return { all: true };
  }
  const text = (v: unknown): string[] | null => (typeof v === 'string' ? [v] : null);
  const names = (v: unknown): string[] | null =>
    Array.isArray(v) && v.every((n) => typeof n === 'string') ? (v as string[]) : null;
  const named = (v: unknown): string[] | null =>
    Array.isArray(v) ? names(v.map((p) => (p as { name?: unknown } | null)?.name)) : null;
  let paths: string[] | null = null;
  switch (type) {
    case 'getParameterValues':
    case 'getParameterAttributes':
      paths = names(parsed.parameterNames);
      // An empty list asks for the whole tree.
      if (paths !== null && paths.length === 0) paths = [''];
      break;
    case 'setParameterValues':
    case 'setParameterAttributes':
      paths = named(parsed.parameters);
      break;
    case 'getParameterNames':
      paths = text(parsed.parameterPath);
      break;
    case 'addObject':
    case 'deleteObject':
      paths = text(parsed.objectName);
      break;
    case 'refresh':
      paths = text(parsed.path);
      break;
    default:
      return { all: true };
  }
  return paths === null ? { all: true } : { all: false, paths };
}

/** The same path, or one under the other (`Device.WiFi.` covers `Device.WiFi.SSID.1.SSID`; `''` covers all). */
function pathsOverlap(a: string, b: string): boolean {
  if (a === b || a === '' || b === '') return true;
  return (a.endsWith('.') && b.startsWith(a)) || (b.endsWith('.') && a.startsWith(b));
}

function overlaps(a: Footprint, b: Footprint): boolean {
  if (a.all || b.all) return true;
  return a.paths.some((p) => b.paths.some((q) => pathsOverlap(p, q)));
}

export type NextTask<T> =
  | { status: 'next'; task: T }
  /** Nothing may run before `until` (the earliest time a task held back becomes due); `first` is the head. */
  | { status: 'waiting'; first: T; until: number }
  | { status: 'empty' };

/** The task to run now among `queue` (pending tasks in queue order), per the rules above. */
export function nextTask<T extends QueuedTask>(queue: readonly T[], now: number): NextTask<T> {
  const first = queue[0];
  if (first === undefined) return { status: 'empty' };
  const held: Footprint[] = [];
  let until = Number.POSITIVE_INFINITY;
  for (const task of queue) {
    const touches = footprint(task.type, task.args);
    const blocked = held.some((h) => overlaps(h, touches));
    if (!blocked && task.notBefore <= now) return { status: 'next', task };
    if (!blocked) until = Math.min(until, task.notBefore);
    held.push(touches);
    if (touches.all) break; // nothing after a whole-device task may pass it
  }
  return { status: 'waiting', first, until: Number.isFinite(until) ? until : first.notBefore };
}
