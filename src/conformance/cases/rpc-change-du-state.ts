/**
 * ChangeDUState (TR-069 §A.4.1.10, §A.4.2.1 DUStateChangeComplete; cwmp-spec §8.6): the outcome of each operation
 * comes back in a session of its own with 11 DU STATE CHANGE COMPLETE, M ChangeDUState and the CommandKey. The
 * operations here fail on purpose (a package the lab does not have, a unit that does not exist): nothing is
 * installed or removed.
 */
import type { DUStateChangeComplete } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';
import { labKey } from './helpers.ts';
import { TRANSFER_WAIT_MS } from './transfer-helpers.ts';

const AREA = 'ChangeDUState';

/** Ends the session and takes the one reporting the change: its events and DUStateChangeComplete. */
async function duStateChangeComplete(
  ctx: CaseContext,
  commandKey: string,
): Promise<DUStateChangeComplete> {
  ctx.endSession();
  const session = await ctx.waitSession(TRANSFER_WAIT_MS);
  const events = session.inform?.body.Event ?? [];
  const codes = events.map((e) => e.EventCode);
  ctx.expect(
    codes.includes('11 DU STATE CHANGE COMPLETE'),
    `11 DU STATE CHANGE COMPLETE, got ${codes.join(' | ')}`,
  );
  const m = events.find((e) => e.EventCode === 'M ChangeDUState');
  ctx.expect(m !== undefined, `M ChangeDUState, got ${codes.join(' | ')}`);
  ctx.expect(
    m.CommandKey === commandKey,
    `M ChangeDUState's CommandKey "${commandKey}", got "${m.CommandKey}"`,
  );
  const complete = session.cpeRequests.find(
    (r): r is DUStateChangeComplete => r.method === 'DUStateChangeComplete',
  );
  ctx.expect(complete !== undefined, 'a DUStateChangeComplete in that session');
  ctx.expect(
    (complete.CommandKey ?? '') === commandKey,
    `DUStateChangeComplete's CommandKey "${commandKey}", got "${complete.CommandKey}"`,
  );
  return complete;
}

/** One result, failed with a fault code of TR-069's range. */
function expectOneFailure(ctx: CaseContext, complete: DUStateChangeComplete): void {
  ctx.expect(complete.Results.length === 1, `one OpResultStruct, got ${complete.Results.length}`);
  const fault = Number(complete.Results[0]!.Fault.FaultCode);
  ctx.expect(fault >= 9001 && fault <= 9032, `a fault code 9001-9032, got ${fault}`);
  ctx.note(`fault ${fault}: ${complete.Results[0]!.Fault.FaultString ?? ''}`);
}

export const CHANGE_DU_STATE_CASES: ConformanceCase[] = [
  {
    id: 'DU-001',
    area: AREA,
    title: 'An Install of a package the lab does not have is reported failed, with the CommandKey',
    clause: 'TR-069 §A.4.1.10, §A.4.2.1; cwmp-spec §8.6',
    requires: { rpcs: ['ChangeDUState'] },
    steps: [
      'Send ChangeDUState(Install of a lab URL that answers 404) with a CommandKey',
      'End the session; expect 11 DU STATE CHANGE COMPLETE and M ChangeDUState(CommandKey)',
      'Expect DUStateChangeComplete(CommandKey) with one result carrying a fault',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('du');
      ctx.files.offer(`${key}.ipk`, '', 404);
      await ctx.call({
        method: 'ChangeDUState',
        Operations: [{ Operation: 'Install', URL: ctx.files.url(`${key}.ipk`) }],
        CommandKey: key,
      });
      expectOneFailure(ctx, await duStateChangeComplete(ctx, key));
    },
  },
  {
    id: 'DU-002',
    area: AREA,
    title: 'An Uninstall of a unit that does not exist is reported failed, with the CommandKey',
    clause: 'TR-069 §A.4.1.10, §A.4.2.1 (9028 unknown deployment unit)',
    requires: { rpcs: ['ChangeDUState'] },
    steps: [
      'Send ChangeDUState(Uninstall of a UUID no unit has) with a CommandKey',
      'End the session; expect 11 DU STATE CHANGE COMPLETE and M ChangeDUState(CommandKey)',
      'Expect DUStateChangeComplete(CommandKey) with one result carrying a fault',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('du-un');
      await ctx.call({
        method: 'ChangeDUState',
        Operations: [{ Operation: 'Uninstall', UUID: '00000000-0000-5000-8000-00000000c0de' }],
        CommandKey: key,
      });
      expectOneFailure(ctx, await duStateChangeComplete(ctx, key));
    },
  },
];
