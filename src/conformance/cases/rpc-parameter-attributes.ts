/** GetParameterAttributes and SetParameterAttributes (TR-069 §A.3.2.4, §A.3.2.5). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import {
  attributesOf,
  INTERVAL,
  named,
  notificationOf,
  setAttributes,
} from './attribute-helpers.ts';
import { describeOutcome, faultCode } from './helpers.ts';

const AREA = 'Get/SetParameterAttributes';

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
  {
    id: 'ATTR-005',
    area: AREA,
    title: 'GetParameterAttributes of a partial path returns every parameter below it',
    clause: 'TR-069 §A.3.2.5 (partial path)',
    requires: { rpcs: ['GetParameterAttributes', 'GetParameterNames'] },
    steps: [
      'List the parameters under {root}ManagementServer. (GetParameterNames, NextLevel false)',
      'Send GetParameterAttributes("{root}ManagementServer.")',
      'Expect exactly those parameters, each with a Notification 0-6',
    ],
    async run(ctx: CaseContext) {
      const path = `${ctx.dut.root}ManagementServer.`;
      const names = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: path,
        NextLevel: false,
      });
      const expected = names.ParameterList.map((p) => p.Name).filter((n) => !n.endsWith('.'));
      const got = await attributesOf(ctx, path);
      const missing = expected.filter((n) => !got.has(n));
      const extra = [...got.keys()].filter((n) => !expected.includes(n));
      ctx.expect(missing.length === 0, `attributes of ${missing.slice(0, 5).join(', ')}`);
      ctx.expect(
        extra.length === 0,
        `no names GetParameterNames does not list, got ${extra.slice(0, 5).join(', ')}`,
      );
      for (const [name, a] of got)
        ctx.expect(
          a.notification >= 0 && a.notification <= 6,
          `${name}: Notification 0-6, got ${a.notification}`,
        );
    },
  },
  {
    id: 'ATTR-006',
    area: AREA,
    title: 'Active notification set by SetParameterAttributes reads back, and is restored',
    clause: 'TR-069 §A.3.2.4; cwmp-spec §7.3 (Notification 2)',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the Notification of ManagementServer.PeriodicInformInterval',
      'Set it to 2 (active); expect success',
      'Expect GetParameterAttributes to say 2',
      'Set the old Notification back',
    ],
    async run(ctx: CaseContext) {
      const name = named(ctx, INTERVAL);
      const before = (await notificationOf(ctx, name)) ?? 0;
      const answer = await setAttributes(ctx, [{ name, notification: 2 }]);
      ctx.expect(
        answer.kind === 'response',
        `SetParameterAttributes to succeed, got ${describeOutcome(answer)}`,
      );
      try {
        const after = await notificationOf(ctx, name);
        ctx.expect(after === 2, `Notification 2 after the set, got ${after}`);
      } finally {
        await setAttributes(ctx, [{ name, notification: before }]);
      }
    },
  },
  {
    id: 'ATTR-007',
    area: AREA,
    title: 'Active notification on a canDeny parameter is refused with 9009 or honoured',
    clause:
      'TR-069 §A.3.2.4, Table 19 (9009); TR-181 ManagementServer.ParameterKey (activeNotify canDeny)',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the Notification of ManagementServer.ParameterKey',
      'Set it to 2 (active)',
      'Expect fault 9009 and the Notification unchanged, or success and Notification 2',
      'Set the old Notification back',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}ManagementServer.ParameterKey`;
      const before = (await notificationOf(ctx, name)) ?? 0;
      const answer = await setAttributes(ctx, [{ name, notification: 2 }]);
      try {
        const after = await notificationOf(ctx, name);
        if (answer.kind === 'fault') {
          ctx.expect(
            faultCode(answer) === 9009,
            `fault 9009 if refused, got ${describeOutcome(answer)}`,
          );
          ctx.expect(
            after === before,
            `Notification ${before} kept after the refusal, got ${after}`,
          );
          ctx.note('the DUT denies active notification on ParameterKey (9009)');
        } else ctx.expect(after === 2, `Notification 2 once accepted, got ${after}`);
      } finally {
        if (answer.kind === 'response') await setAttributes(ctx, [{ name, notification: before }]);
      }
    },
  },
  {
    id: 'ATTR-008',
    area: AREA,
    title: 'A forced active notification parameter reads 2 and stays 2 when set to 0',
    clause:
      'TR-069 §A.3.2.4, Table 19 (9009); TR-181 DeviceInfo.SoftwareVersion (activeNotify forceEnabled)',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the Notification of DeviceInfo.SoftwareVersion; expect 2',
      'Set it to 0; expect success or fault 9009',
      'Expect it still reads 2',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}DeviceInfo.SoftwareVersion`;
      const before = await notificationOf(ctx, name);
      ctx.expect(before === 2, `Notification 2 (forced active), got ${before}`);
      const answer = await setAttributes(ctx, [{ name, notification: 0 }]);
      ctx.expect(
        answer.kind === 'response' || faultCode(answer) === 9009,
        `success or fault 9009, got ${describeOutcome(answer)}`,
      );
      const after = await notificationOf(ctx, name);
      if (after !== 2) await setAttributes(ctx, [{ name, notification: 2 }]);
      ctx.expect(after === 2, `Notification still 2, got ${after}`);
    },
  },
];
