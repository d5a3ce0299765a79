import type { ParameterUpdate } from '../../store/parameters.ts';
import type { TaskArgs } from '../../store/task-args.ts';
import { reportedValue } from '../secret-parameters.ts';
import type { CpeFault, TaskHandler, TaskState, TaskStep } from './handler.ts';

type RefreshArgs = Extract<TaskArgs, { type: 'refresh' }>;

/** Leaf values read per GetParameterValues: small enough for any CPE, large enough to keep sessions short. */
export const REFRESH_BATCH_SIZE = 64;

/** Between RPCs: the names still to read, the batch in flight, and names the CPE refused to read. */
interface ValuesState extends TaskState {
  phase: 'values';
  /** The GetParameterNames answer: every name under the path (objects too) and whether it is writable. */
  listed: ReadonlyMap<string, boolean>;
  batch: string[];
  remaining: string[];
  skipped: string[];
  read: number;
  /** Batch size now: halved on a fault, doubled back after a success, so one bad name costs few round trips. */
  size: number;
}

/**
 * Rediscover a subtree: GetParameterNames (NextLevel false) for the names and their writability, then batched
 * GetParameterValues of the leaves. That works on CPEs without partial-path GetParameterValues (quirk 17: 9002 for
 * `Device.`); a batch that faults is split in halves, and a single name the CPE refuses to read — though it listed
 * it (genieacs#230) — is skipped and reported rather than failing the whole refresh.
 *
 * Each leaf's row is written once, with its value and its writability together, as its batch's answer arrives;
 * the objects' rows, the leaves the CPE would not read, and the removal of what the CPE no longer lists come with
 * the last batch. A refresh cut short by a lost session leaves the rows of the batches answered so far, and stale
 * rows the next refresh removes.
 */
export const refresh: TaskHandler<RefreshArgs> = {
  start: (args) => ({
    kind: 'request',
    request: { method: 'GetParameterNames', ParameterPath: args.path, NextLevel: false },
    state: { phase: 'names' },
  }),

  onResponse(args, state, response) {
    if (state.phase === 'names' && response.method === 'GetParameterNamesResponse') {
      const listed = new Map(response.ParameterList.map((p) => [p.Name, p.Writable]));
      const first: ValuesState = {
        phase: 'values',
        listed,
        batch: [],
        remaining: [...listed.keys()].filter((name) => !name.endsWith('.')),
        skipped: [],
        read: 0,
        size: REFRESH_BATCH_SIZE,
      };
      return nextBatch(args, first, []);
    }
    if (state.phase === 'values' && response.method === 'GetParameterValuesResponse') {
      const current = state as ValuesState;
      const size = Math.min(REFRESH_BATCH_SIZE, current.size * 2);
      const values = response.ParameterList.map((p) => {
        const update: ParameterUpdate = reportedValue(p.name, p.value, p.type);
        const writable = current.listed.get(p.name);
        return writable === undefined ? update : { ...update, writable };
      });
      const next = { ...current, batch: [], read: current.read + values.length, size };
      return nextBatch(args, next, values);
    }
    throw new Error(`refresh got ${response.method} in phase ${String(state.phase)}`);
  },

  onFault(args, state, fault: CpeFault) {
    if (state.phase !== 'values') return undefined;
    const current = state as ValuesState;
    if (current.batch.length > 1) {
      const half = Math.ceil(current.batch.length / 2);
      return request({
        ...current,
        batch: current.batch.slice(0, half),
        remaining: [...current.batch.slice(half), ...current.remaining],
        size: half,
      });
    }
    // One name the CPE will not read: note it (with why) and go on.
    const skipped = [...current.skipped, `${current.batch[0]} (${fault.FaultCode})`];
    return nextBatch(args, { ...current, batch: [], skipped, size: 1 }, []);
  },
};

/**
 * The next batch's request, carrying the values just read; or, with none left, done, carrying those and the
 * rest of the listing. Every listed name is in that last write (the rows already written cost a comparison,
 * not a write), so the prune removes exactly what the CPE no longer lists.
 */
function nextBatch(args: RefreshArgs, state: ValuesState, values: ParameterUpdate[]): TaskStep {
  if (state.remaining.length === 0) {
    const listing = [...state.listed].map(([path, writable]) => ({ path, writable }));
    return {
      kind: 'done',
      result: { read: state.read, skipped: state.skipped },
      model: {
        upsert: [...values, ...listing],
        prune: { prefix: args.path, nextLevel: false },
      },
    };
  }
  const step = request({
    ...state,
    batch: state.remaining.slice(0, state.size),
    remaining: state.remaining.slice(state.size),
  });
  return values.length === 0 ? step : { ...step, model: { upsert: values } };
}

function request(state: ValuesState): Extract<TaskStep, { kind: 'request' }> {
  return {
    kind: 'request',
    request: { method: 'GetParameterValues', ParameterNames: state.batch },
    state,
  };
}
