/**
 * Plays a scenario against the DUT through the case context, step by step; the first step that does not go as
 * written fails the case, named by its number. Values a `set` step changed are put back at the end (unless it
 * says `"restore": false`), whatever the verdict.
 */
import type { CwmpMessage } from '../../cwmp/index.ts';
import { quote } from '../../datamodel/device-claims.ts';
import type { CaseContext } from '../case.ts';
import { describeOutcome, faultCode, labKey } from '../cases/helpers.ts';
import type { RpcOutcome } from '../dut-session.ts';
import { StepFailure } from '../step-failure.ts';
import type { Scenario, ScenarioStep, ValueExpectation } from './scenario.ts';

type Rooted = <T>(v: T) => T;

function rootedBy(root: string): Rooted {
  const walk = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replaceAll('{root}', root)
      : Array.isArray(v)
        ? v.map(walk)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]))
          : v;
  return walk as Rooted;
}

/** Why `actual` does not meet `expected`; undefined when it does. */
function mismatch(expected: ValueExpectation, actual: string | undefined): string | undefined {
  if (actual === undefined) return 'absent';
  if ('equals' in expected)
    return actual === expected.equals
      ? undefined
      : `${quote(actual)}, not ${quote(expected.equals)}`;
  return new RegExp(expected.match).test(actual)
    ? undefined
    : `${quote(actual)}, which does not match /${expected.match}/`;
}

function expectValues(
  ctx: CaseContext,
  n: number,
  expected: Record<string, ValueExpectation>,
  actual: ReadonlyMap<string, string>,
): void {
  for (const [name, want] of Object.entries(expected)) {
    const why = mismatch(want, actual.get(name));
    ctx.expect(why === undefined, `step ${n}: ${name} ${why}`);
  }
}

function valuesOf(answer: RpcOutcome): Map<string, { value: string; type: string }> {
  if (answer.kind !== 'response' || answer.message.method !== 'GetParameterValuesResponse')
    return new Map();
  return new Map(
    answer.message.ParameterList.map((p) => [p.name, { value: p.value, type: p.type }]),
  );
}

async function read(ctx: CaseContext, n: number, names: string[]) {
  const answer = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: names });
  ctx.expect(
    answer.kind === 'response',
    `step ${n}: GetParameterValues to succeed, got ${describeOutcome(answer)}`,
  );
  return valuesOf(answer);
}

async function set(
  ctx: CaseContext,
  n: number,
  values: Record<string, { value: string; type?: string }>,
) {
  const names = Object.keys(values);
  const before = await read(ctx, n, names);
  const answer = await ctx.rpc({
    method: 'SetParameterValues',
    ParameterList: names.map((name) => ({
      name,
      value: values[name]!.value,
      type: values[name]!.type ?? before.get(name)?.type ?? 'string',
    })),
    ParameterKey: labKey('scenario'),
  });
  ctx.expect(
    answer.kind === 'response',
    `step ${n}: SetParameterValues to succeed, got ${describeOutcome(answer)}`,
  );
  return before;
}

async function step(
  ctx: CaseContext,
  n: number,
  s: ScenarioStep,
  restores: Map<string, { value: string; type: string }>[],
) {
  switch (s.kind) {
    case 'send': {
      const answer = await ctx.rpc({ method: s.method, ...s.args } as CwmpMessage);
      if (s.expect.fault !== undefined) {
        ctx.expect(
          faultCode(answer) === s.expect.fault,
          `step ${n}: ${s.method} answered with fault ${s.expect.fault}, got ${describeOutcome(answer)}`,
        );
        return;
      }
      ctx.expect(
        answer.kind === 'response' && answer.message.method === `${s.method}Response`,
        `step ${n}: ${s.method} to succeed, got ${describeOutcome(answer)}`,
      );
      if (s.expect.values !== undefined) {
        const values = new Map([...valuesOf(answer)].map(([k, v]) => [k, v.value]));
        expectValues(ctx, n, s.expect.values, values);
      }
      if (s.expect.fields !== undefined) {
        const message = answer.message as unknown as Record<string, unknown>;
        const fields = new Map(
          Object.keys(s.expect.fields).map((k) => [
            k,
            message[k] === undefined ? undefined : String(message[k]),
          ]),
        );
        for (const [k, want] of Object.entries(s.expect.fields)) {
          const why = mismatch(want, fields.get(k));
          ctx.expect(why === undefined, `step ${n}: ${s.method}Response ${k} ${why}`);
        }
      }
      return;
    }
    case 'set': {
      const before = await set(ctx, n, s.values);
      if (s.restore) restores.push(before);
      return;
    }
    case 'get': {
      const values = await read(ctx, n, Object.keys(s.values));
      expectValues(ctx, n, s.values, new Map([...values].map(([k, v]) => [k, v.value])));
      return;
    }
    case 'wait-event': {
      ctx.endSession();
      const session = await ctx.waitSession(s.timeoutSeconds * 1000);
      const events = (session.inform?.body.Event ?? []).map((e) => String(e.EventCode));
      ctx.expect(
        events.includes(s.event),
        `step ${n}: an Inform with ${s.event}, got ${events.map((e) => quote(e, 32)).join(', ') || 'no event'}`,
      );
      return;
    }
    case 'connection-request': {
      const session = await ctx.newSession();
      const events = (session.inform?.body.Event ?? []).map((e) => String(e.EventCode));
      ctx.expect(
        events.includes('6 CONNECTION REQUEST'),
        `step ${n}: a session with 6 CONNECTION REQUEST, got ${events.map((e) => quote(e, 32)).join(', ') || 'no event'}`,
      );
      return;
    }
    case 'pause':
      // Not inside a session: the DUT would end it after its own session timeout.
      ctx.endSession();
      await new Promise((resolve) => setTimeout(resolve, s.seconds * 1000));
      return;
  }
}

export async function runScenario(ctx: CaseContext, scenario: Scenario): Promise<void> {
  const rooted = rootedBy(ctx.dut.root);
  if (scenario.notes !== undefined) ctx.note(scenario.notes);
  const restores: Map<string, { value: string; type: string }>[] = [];
  try {
    for (const [i, s] of scenario.steps.entries()) {
      try {
        await step(ctx, i + 1, rooted(s), restores);
      } catch (error) {
        // A broken exchange is named by its step too.
        if (error instanceof StepFailure)
          throw new StepFailure(error.reason, `step ${i + 1}: ${error.message}`);
        throw error;
      }
    }
  } finally {
    await restoreAll(ctx, restores);
  }
}

/** Puts back what `set` steps changed, newest first; a failure is noted, never hides the verdict. */
async function restoreAll(
  ctx: CaseContext,
  restores: Map<string, { value: string; type: string }>[],
) {
  for (const before of restores.reverse()) {
    const names = [...before.keys()].join(', ');
    try {
      const answer = await ctx.rpc({
        method: 'SetParameterValues',
        ParameterList: [...before].map(([name, v]) => ({ name, value: v.value, type: v.type })),
        ParameterKey: labKey('restore'),
      });
      if (answer.kind === 'fault')
        ctx.note(`could not restore ${names}: ${describeOutcome(answer)}`);
    } catch (error) {
      ctx.note(`could not restore ${names}: ${(error as Error).message}`);
    }
  }
}
