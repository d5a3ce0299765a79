/**
 * The DUT's whole tree, read once per run for the data-model cases: every name and its writability
 * (GetParameterNames of the root, NextLevel false), every value and xsi:type (GetParameterValues in batches) and
 * every parameter's attributes (GetParameterAttributes in batches). A batch the DUT faults is split until the
 * names it will not read are found; they are kept as problems, not guessed at.
 */
import type { ReportedItem } from '../datamodel/device-check.ts';
import type { CaseContext, DutFacts } from './case.ts';
import type { RpcOutcome } from './dut-session.ts';

export interface DeviceTree {
  readonly root: string;
  readonly items: readonly ReportedItem[];
  /** Names GetParameterNames listed that GetParameterValues or GetParameterAttributes faulted on, one line each. */
  readonly unreadable: readonly string[];
  /** The case whose evidence holds the exchange. */
  readonly readBy: string;
  readonly batches: number;
}

const BATCH = 100;
const cache = new WeakMap<DutFacts, Promise<DeviceTree>>();

/** The run's tree: read by the first case that asks (its evidence holds the exchange), then shared. */
export function deviceTree(ctx: CaseContext, caseId: string): Promise<DeviceTree> {
  let tree = cache.get(ctx.dut);
  if (tree === undefined) {
    tree = readDeviceTree(ctx, caseId);
    cache.set(ctx.dut, tree);
  }
  return tree;
}

function faultOf(outcome: RpcOutcome): string | undefined {
  return outcome.kind === 'fault'
    ? `fault ${outcome.fault.FaultCode} (${String(outcome.fault.FaultString ?? '').slice(0, 80)})`
    : undefined;
}

async function readDeviceTree(ctx: CaseContext, caseId: string): Promise<DeviceTree> {
  const root = ctx.dut.root;
  const names = await ctx.call({
    method: 'GetParameterNames',
    ParameterPath: root,
    NextLevel: false,
  });
  const listed = names.ParameterList.map((p) => ({
    path: p.Name,
    object: p.Name.endsWith('.'),
    writable: p.Writable === true,
  }));
  const parameters = listed.filter((i) => !i.object).map((i) => i.path);
  const unreadable: string[] = [];
  let batches = 1;

  const values = new Map<string, { value: string; type: string }>();
  await inBatches(
    parameters,
    'GetParameterValues',
    async (batch) => {
      batches++;
      const answer = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: batch });
      if (answer.kind === 'response' && answer.message.method === 'GetParameterValuesResponse')
        for (const p of answer.message.ParameterList)
          values.set(p.name, { value: p.value, type: p.type });
      return faultOf(answer);
    },
    unreadable,
  );

  const notification = new Map<string, number>();
  if (ctx.dut.methods.includes('GetParameterAttributes')) {
    await inBatches(
      parameters,
      'GetParameterAttributes',
      async (batch) => {
        batches++;
        const answer = await ctx.rpc({ method: 'GetParameterAttributes', ParameterNames: batch });
        if (
          answer.kind === 'response' &&
          answer.message.method === 'GetParameterAttributesResponse'
        )
          for (const p of answer.message.ParameterList)
            notification.set(p.Name, Number(p.Notification));
        return faultOf(answer);
      },
      unreadable,
    );
  }

  const items: ReportedItem[] = listed.map((i) => {
    const v = values.get(i.path);
    const n = notification.get(i.path);
    return {
      ...i,
      ...(v === undefined ? {} : { type: v.type, value: v.value }),
      ...(n === undefined ? {} : { notification: n }),
    };
  });
  ctx.note(
    `read the tree: ${listed.length} names (${parameters.length} parameters) in ${batches} RPCs`,
  );
  return { root, items, unreadable, readBy: caseId, batches };
}

/** Runs `read` over `names` in batches; a faulted batch is halved until the names at fault are alone. */
async function inBatches(
  names: readonly string[],
  method: string,
  read: (batch: string[]) => Promise<string | undefined>,
  unreadable: string[],
): Promise<void> {
  const pending: string[][] = [];
  for (let i = 0; i < names.length; i += BATCH) pending.push(names.slice(i, i + BATCH));
  while (pending.length > 0) {
    const batch = pending.shift()!;
    const fault = await read(batch);
    if (fault === undefined) continue;
    if (batch.length === 1) unreadable.push(`${method} of ${batch[0]}: ${fault}`);
    else {
      const half = Math.ceil(batch.length / 2);
      pending.unshift(batch.slice(0, half), batch.slice(half));
    }
    // Halving a tree a DUT refuses whole would take thousands of RPCs: give up past twenty.
    if (unreadable.length > 20) {
      unreadable.push(`${method}: more than 20 names refused, the rest not tried`);
      return;
    }
  }
}
