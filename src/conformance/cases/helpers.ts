/** Small reads the cases share: fault codes, values by name, a writable parameter or table to work on. */
import type { CaseContext } from '../case.ts';
import type { DutSession, RpcOutcome } from '../dut-session.ts';

/** The fault's code, or undefined for a response. */
export function faultCode(outcome: RpcOutcome): number | undefined {
  return outcome.kind === 'fault' ? Number(outcome.fault.FaultCode) : undefined;
}

/** The per-parameter codes of a SetParameterValues fault (its SetParameterValuesFault elements). */
export function parameterFaultCodes(outcome: RpcOutcome): number[] {
  if (outcome.kind !== 'fault') return [];
  return (outcome.fault.SetParameterValuesFault ?? []).map((f) => Number(f.FaultCode));
}

export function describeOutcome(outcome: RpcOutcome): string {
  return outcome.kind === 'fault'
    ? `fault ${outcome.fault.FaultCode} (${outcome.fault.FaultString ?? ''})`
    : outcome.message.method;
}

/** Values by name from a GetParameterValues of `names`. */
export async function readValues(
  ctx: CaseContext,
  names: string[],
): Promise<Map<string, { value: string; type: string }>> {
  const answer = await ctx.call({ method: 'GetParameterValues', ParameterNames: names });
  return new Map(answer.ParameterList.map((p) => [p.name, { value: p.value, type: p.type }]));
}

/** The names and writability directly under `path` (GetParameterNames, NextLevel true). */
export async function childrenOf(ctx: CaseContext, path: string): Promise<Map<string, boolean>> {
  const answer = await ctx.call({
    method: 'GetParameterNames',
    ParameterPath: path,
    NextLevel: true,
  });
  return new Map(answer.ParameterList.map((p) => [p.Name, p.Writable === true]));
}

function parentOf(path: string): string {
  const trimmed = path.endsWith('.') ? path.slice(0, -1) : path;
  return trimmed.slice(0, trimmed.lastIndexOf('.') + 1);
}

/** The first candidate the DUT has and reports writable, or skips the case. */
export async function firstWritable(ctx: CaseContext, candidates: string[]): Promise<string> {
  for (const candidate of candidates) {
    const path = candidate.replace('{root}', ctx.dut.root);
    const answer = await ctx.rpc({
      method: 'GetParameterNames',
      ParameterPath: parentOf(path),
      NextLevel: true,
    });
    if (answer.kind !== 'response' || answer.message.method !== 'GetParameterNamesResponse')
      continue;
    const found = answer.message.ParameterList.find((p) => p.Name === path);
    if (found?.Writable === true) return path;
  }
  return ctx.skip(`none of ${candidates.join(', ')} is present and writable`);
}

/** A ParameterKey of the lab's own, unique to the moment (string(32)). */
export function labKey(tag: string): string {
  return `corral-${tag}-${Date.now().toString(36)}`.slice(0, 32);
}

/**
 * Sets off a session — ScheduleInform where listed (no connection request spent), else a connection request — and
 * returns it at its Inform, unanswered.
 */
export async function nextInform(ctx: CaseContext): Promise<DutSession> {
  if (ctx.dut.methods.includes('ScheduleInform')) {
    await ctx.call({ method: 'ScheduleInform', DelaySeconds: 1, CommandKey: labKey('next') });
    ctx.endSession();
  } else {
    ctx.endSession();
    const knock = await ctx.connectionRequest();
    if (!knock.ok) return ctx.skip(`no connection request possible: ${knock.detail}`);
  }
  return ctx.waitInform(30_000);
}
