/** What the Get/SetParameterAttributes cases share: reading attributes, changing them, the parameter they work on. */
import type { CaseContext } from '../case.ts';
import type { RpcOutcome } from '../dut-session.ts';

export async function notificationOf(ctx: CaseContext, name: string): Promise<number | undefined> {
  return (await attributesOf(ctx, name)).get(name)?.notification;
}

/** Notification and AccessList of every parameter a name (full or partial) reaches. */
export async function attributesOf(
  ctx: CaseContext,
  name: string,
): Promise<Map<string, { notification: number; accessList: string[] }>> {
  const answer = await ctx.call({ method: 'GetParameterAttributes', ParameterNames: [name] });
  return new Map(
    answer.ParameterList.map((p) => [
      p.Name,
      { notification: Number(p.Notification), accessList: (p.AccessList ?? []).map(String) },
    ]),
  );
}

/** One SetParameterAttributesStruct: what is undefined is left unchanged (its *Change flag false). */
function attributeChange(name: string, change: { notification?: number; accessList?: string[] }) {
  return {
    Name: name,
    NotificationChange: change.notification !== undefined,
    Notification: change.notification ?? 0,
    AccessListChange: change.accessList !== undefined,
    AccessList: change.accessList ?? [],
  };
}

export function setAttributes(
  ctx: CaseContext,
  changes: { name: string; notification?: number; accessList?: string[] }[],
): Promise<RpcOutcome> {
  return ctx.rpc({
    method: 'SetParameterAttributes',
    ParameterList: changes.map((c) => attributeChange(c.name, c)),
  });
}

export const INTERVAL = '{root}ManagementServer.PeriodicInformInterval';
export const named = (ctx: CaseContext, path: string) => path.replace('{root}', ctx.dut.root);
