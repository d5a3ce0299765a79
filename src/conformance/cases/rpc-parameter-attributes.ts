/** GetParameterAttributes and SetParameterAttributes (TR-069 §A.3.2.4, §A.3.2.5). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode } from './helpers.ts';

const AREA = 'Get/SetParameterAttributes';

async function notificationOf(ctx: CaseContext, name: string): Promise<number | undefined> {
  const answer = await ctx.call({ method: 'GetParameterAttributes', ParameterNames: [name] });
  const found = answer.ParameterList.find((p) => p.Name === name);
  return found === undefined ? undefined : Number(found.Notification);
}

export const PARAMETER_ATTRIBUTES_CASES: ConformanceCase[] = [
  {
    id: 'ATTR-001',
    area: AREA,
    title: 'GetParameterAttributes returns Notification 0, 1 or 2 for a parameter',
    clause: 'TR-069 §A.3.2.5',
    requires: { rpcs: ['GetParameterAttributes'] },
    steps: [
      'Send GetParameterAttributes("{root}ManagementServer.PeriodicInformInterval")',
      'Expect that parameter with Notification 0, 1 or 2',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}ManagementServer.PeriodicInformInterval`;
      const n = await notificationOf(ctx, name);
      ctx.expect(n !== undefined, `${name} in the response`);
      ctx.expect([0, 1, 2].includes(n), `Notification 0, 1 or 2, got ${n}`);
    },
  },
  {
    id: 'ATTR-002',
    area: AREA,
    title: 'Passive notification set by SetParameterAttributes reads back, and is restored',
    clause: 'TR-069 §A.3.2.4',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the Notification of ManagementServer.PeriodicInformInterval',
      'Set it to 1 (passive; a CPE may not refuse passive)',
      'Expect GetParameterAttributes to say 1',
      'Set the old Notification back',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}ManagementServer.PeriodicInformInterval`;
      const before = (await notificationOf(ctx, name)) ?? 0;
      const target = before === 1 ? 0 : 1;
      const set = (notification: number) =>
        ctx.rpc({
          method: 'SetParameterAttributes',
          ParameterList: [
            {
              Name: name,
              NotificationChange: true,
              Notification: notification,
              AccessListChange: false,
              AccessList: [],
            },
          ],
        });
      const answer = await set(target);
      ctx.expect(
        answer.kind === 'response',
        `SetParameterAttributes to succeed, got ${describeOutcome(answer)}`,
      );
      try {
        const after = await notificationOf(ctx, name);
        ctx.expect(after === target, `Notification ${target} after the set, got ${after}`);
      } finally {
        await set(before);
      }
    },
  },
  {
    id: 'ATTR-003',
    area: AREA,
    title: 'GetParameterAttributes of a name that does not exist is fault 9005',
    clause: 'TR-069 §A.3.2.5, Table 19 (9005)',
    requires: { rpcs: ['GetParameterAttributes'] },
    steps: ['Send GetParameterAttributes("{root}X_CORRAL_NoSuchParameter")', 'Expect fault 9005'],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'GetParameterAttributes',
        ParameterNames: [`${ctx.dut.root}X_CORRAL_NoSuchParameter`],
      });
      ctx.expect(faultCode(answer) === 9005, `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'ATTR-004',
    area: AREA,
    title: 'SetParameterAttributes on a name that does not exist is fault 9005',
    clause: 'TR-069 §A.3.2.4, Table 19 (9005)',
    requires: { rpcs: ['SetParameterAttributes'] },
    steps: [
      'Send SetParameterAttributes("{root}X_CORRAL_NoSuchParameter", Notification 1)',
      'Expect fault 9005',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'SetParameterAttributes',
        ParameterList: [
          {
            Name: `${ctx.dut.root}X_CORRAL_NoSuchParameter`,
            NotificationChange: true,
            Notification: 1,
            AccessListChange: false,
            AccessList: [],
          },
        ],
      });
      const codes = [faultCode(answer)];
      ctx.expect(codes.includes(9005), `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
];
