import type { TaskArgs } from '../../store/task-args.ts';
import { reportedValue } from '../secret-parameters.ts';
import type { CpeFault, TaskHandler, TaskState, TaskStep } from './handler.ts';
import type { ModelUpdate } from './model-update.ts';

type RefreshArgs = Extract<TaskArgs, { type: 'refresh' }>;

/** Leaf values read per GetParameterValues: small enough for any CPE, large enough to keep sessions short. */
export const REFRESH_BATCH_SIZE = 64;

/** Between RPCs: the names still to read, the batch in flight, and names the CPE refused to read. */
interface ValuesState extends TaskState {
  phase: 'values';
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
 */
export const refresh: TaskHandler<RefreshArgs> = {
  start: (args) => ({
    kind: 'request',
    request: { method: 'GetParameterNames', ParameterPath: args.path, NextLevel: false },
    state: { phase: 'names' },
  }),

  onResponse(args, state, response) {
    if (state.phase === 'names' && response.method === 'GetParameterNamesResponse') {
      const leaves = response.ParameterList.map((p) => p.Name).filter(
        (name) => !name.endsWith('.'),
      );
      const names: ModelUpdate = {
        upsert: response.ParameterList.map((p) => ({ path: p.Name, writable: p.Writable })),
        prune: { prefix: args.path, nextLevel: false },
      };
      const first: ValuesState = {
        phase: 'values',
        batch: [],
        remaining: leaves,
        skipped: [],
        read: 0,
        size: REFRESH_BATCH_SIZE,
      };
      return withModel(nextBatch(first), names);
    }
    if (state.phase === 'values' && response.method === 'GetParameterValuesResponse') {
      const current = state as ValuesState;
      const size = Math.min(REFRESH_BATCH_SIZE, current.size * 2);
      const next = nextBatch({
        ...current,
        batch: [],
        read: current.read + response.ParameterList.length,
        size,
      });
      return withModel(next, {
        upsert: response.ParameterList.map((p) => reportedValue(p.name, p.value, p.type)),
      });
    }
    throw new Error(`refresh got ${response.method} in phase ${String(state.phase)}`);
  },

  onFault(_args, state, fault: CpeFault) {
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
    return nextBatch({ ...current, batch: [], skipped, size: 1 });
  },
};

function nextBatch(state: ValuesState): TaskStep {
  if (state.remaining.length === 0) {
    return { kind: 'done', result: { read: state.read, skipped: state.skipped } };
  }
  return request({
    ...state,
    batch: state.remaining.slice(0, state.size),
    remaining: state.remaining.slice(state.size),
  });
}

function request(state: ValuesState): TaskStep {
  return {
    kind: 'request',
    request: { method: 'GetParameterValues', ParameterNames: state.batch },
    state,
  };
}

/** The step, carrying what the response just handled taught (a done step can carry only its own batch). */
function withModel(step: TaskStep, model: ModelUpdate): TaskStep {
  if (step.kind === 'awaiting-completion') return step;
  return { ...step, model };
}
