/** ScheduleInform and Reboot: RPCs whose effect is a later session with their events (TR-069 §A.3.2.10, §A.4.1.1). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode, labKey } from './helpers.ts';

/** How long a rebooting DUT may take to call back. */
const REBOOT_WAIT_MS = 90_000;

function eventsOf(session: {
  inform?: { body: { Event: { EventCode: string; CommandKey?: string }[] } };
}) {
  return session.inform?.body.Event ?? [];
}

export const SCHEDULE_AND_REBOOT_CASES: ConformanceCase[] = [
  {
    id: 'SCHED-001',
    area: 'ScheduleInform',
    title:
      'ScheduleInform brings a session with 3 SCHEDULED and M ScheduleInform carrying the CommandKey',
    clause: 'TR-069 §A.4.1.1, §3.7.1.5',
    requires: { rpcs: ['ScheduleInform'] },
    steps: [
      'Send ScheduleInform(DelaySeconds 1, a CommandKey of the lab’s); end the session',
      'Wait for the DUT’s next session',
      'Expect 3 SCHEDULED and M ScheduleInform with that CommandKey in its Inform',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('si');
      await ctx.call({ method: 'ScheduleInform', DelaySeconds: 1, CommandKey: key });
      ctx.endSession();
      const events = eventsOf(await ctx.waitSession(30_000));
      const codes = events.map((e) => e.EventCode);
      ctx.expect(codes.includes('3 SCHEDULED'), `3 SCHEDULED, got ${codes.join(' | ')}`);
      const m = events.find((e) => e.EventCode === 'M ScheduleInform');
      ctx.expect(m !== undefined, `M ScheduleInform, got ${codes.join(' | ')}`);
      ctx.expect(
        m.CommandKey === key,
        `M ScheduleInform's CommandKey "${key}", got "${m.CommandKey}"`,
      );
    },
  },
  {
    id: 'SCHED-002',
    area: 'ScheduleInform',
    title: 'ScheduleInform with DelaySeconds 0 is refused (9003)',
    clause: 'TR-069 §A.4.1.1 (DelaySeconds greater than zero), Table 19 (9003)',
    requires: { rpcs: ['ScheduleInform'] },
    steps: ['Send ScheduleInform(DelaySeconds 0)', 'Expect fault 9003'],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'ScheduleInform',
        DelaySeconds: 0,
        CommandKey: labKey('si0'),
      });
      ctx.expect(faultCode(answer) === 9003, `fault 9003, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'BOOT-001',
    area: 'Reboot',
    title: 'Reboot brings a session with 1 BOOT and M Reboot carrying the CommandKey',
    clause: 'TR-069 §A.3.2.10, §3.7.1.5',
    requires: { rpcs: ['Reboot'], destructive: true },
    steps: [
      'Send Reboot with a CommandKey of the lab’s; end the session',
      'Wait for the DUT to come back (up to 90 s)',
      'Expect 1 BOOT and M Reboot with that CommandKey in its Inform',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('reboot');
      await ctx.call({ method: 'Reboot', CommandKey: key });
      ctx.endSession();
      const events = eventsOf(await ctx.waitSession(REBOOT_WAIT_MS));
      const codes = events.map((e) => e.EventCode);
      ctx.expect(codes.includes('1 BOOT'), `1 BOOT, got ${codes.join(' | ')}`);
      const m = events.find((e) => e.EventCode === 'M Reboot');
      ctx.expect(m !== undefined, `M Reboot, got ${codes.join(' | ')}`);
      ctx.expect(m.CommandKey === key, `M Reboot's CommandKey "${key}", got "${m.CommandKey}"`);
    },
  },
  {
    id: 'FR-001',
    area: 'FactoryReset',
    title: 'FactoryReset brings a session with 0 BOOTSTRAP and 1 BOOT',
    clause: 'TR-069 §A.4.1.2 (FactoryReset), §3.7.1.5; cwmp-spec §2.3',
    requires: { rpcs: ['FactoryReset'], destructive: true },
    steps: [
      'Send FactoryReset; end the session',
      'Wait for the DUT to come back (up to 90 s; its ACS URL must still be the lab’s)',
      'Expect 0 BOOTSTRAP and 1 BOOT in its Inform',
    ],
    async run(ctx: CaseContext) {
      await ctx.call({ method: 'FactoryReset' });
      ctx.endSession();
      const codes = eventsOf(await ctx.waitSession(REBOOT_WAIT_MS)).map((e) => e.EventCode);
      ctx.expect(codes.includes('0 BOOTSTRAP'), `0 BOOTSTRAP, got ${codes.join(' | ')}`);
      ctx.expect(codes.includes('1 BOOT'), `1 BOOT, got ${codes.join(' | ')}`);
    },
  },
];
