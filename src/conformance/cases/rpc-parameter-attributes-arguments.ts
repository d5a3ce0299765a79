/**
 * SetParameterAttributes' arguments (TR-069 §A.3.2.4, §A.3.2.5): AccessList, the NotificationChange and
 * AccessListChange flags, a Notification out of range, a partial path; GetParameterAttributes of several names.
 */
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

export const PARAMETER_ATTRIBUTES_ARGUMENT_CASES: ConformanceCase[] = [
  {
    id: 'ATTR-009',
    area: AREA,
    title: 'AccessList "Subscriber" set by SetParameterAttributes reads back, and is restored',
    clause: 'TR-069 §A.3.2.4 (AccessList); cwmp-spec §7.3',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the AccessList of ManagementServer.PeriodicInformInterval',
      'Set it to ["Subscriber"] (AccessListChange true, NotificationChange false)',
      'Expect GetParameterAttributes to say ["Subscriber"], the Notification unchanged',
      'Set the old AccessList back',
    ],
    async run(ctx: CaseContext) {
      const name = named(ctx, INTERVAL);
      const before = (await attributesOf(ctx, name)).get(name);
      ctx.expect(before !== undefined, `${name} in the response`);
      const target = before.accessList.includes('Subscriber') ? [] : ['Subscriber'];
      const answer = await setAttributes(ctx, [{ name, accessList: target }]);
      ctx.expect(
        answer.kind === 'response',
        `SetParameterAttributes to succeed, got ${describeOutcome(answer)}`,
      );
      try {
        const after = (await attributesOf(ctx, name)).get(name);
        ctx.expect(
          after?.accessList.join(',') === target.join(','),
          `AccessList [${target.join(', ')}], got [${after?.accessList.join(', ')}]`,
        );
        ctx.expect(
          after.notification === before.notification,
          `Notification ${before.notification} untouched, got ${after.notification}`,
        );
      } finally {
        await setAttributes(ctx, [{ name, accessList: before.accessList }]);
      }
    },
  },
  {
    id: 'ATTR-010',
    area: AREA,
    title: 'NotificationChange and AccessListChange false leave the attributes as they are',
    clause: 'TR-069 §A.3.2.4 (NotificationChange, AccessListChange)',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the attributes of ManagementServer.PeriodicInformInterval',
      'Send SetParameterAttributes with other values but both *Change flags false',
      'Expect success and the attributes unchanged',
    ],
    async run(ctx: CaseContext) {
      const name = named(ctx, INTERVAL);
      const before = (await attributesOf(ctx, name)).get(name);
      ctx.expect(before !== undefined, `${name} in the response`);
      const answer = await ctx.rpc({
        method: 'SetParameterAttributes',
        ParameterList: [
          {
            Name: name,
            NotificationChange: false,
            Notification: before.notification === 1 ? 0 : 1,
            AccessListChange: false,
            AccessList: before.accessList.length > 0 ? [] : ['Subscriber'],
          },
        ],
      });
      ctx.expect(
        answer.kind === 'response',
        `SetParameterAttributes to succeed, got ${describeOutcome(answer)}`,
      );
      const after = (await attributesOf(ctx, name)).get(name);
      const same =
        after?.notification === before.notification &&
        after.accessList.join(',') === before.accessList.join(',');
      if (!same) await setAttributes(ctx, [{ name, ...before }]);
      ctx.expect(
        same,
        `Notification ${before.notification} and AccessList [${before.accessList}] unchanged, got ${after?.notification} and [${after?.accessList}]`,
      );
    },
  },
  {
    id: 'ATTR-011',
    area: AREA,
    title: 'A Notification outside 0-6 is refused',
    clause: 'TR-069 §A.3.2.4, Table 19 (9003); cwmp-1-2.xsd Notification',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Set the Notification of ManagementServer.PeriodicInformInterval to 7',
      'Expect fault 9003 (or 9009) and the Notification unchanged',
    ],
    async run(ctx: CaseContext) {
      const name = named(ctx, INTERVAL);
      const before = await notificationOf(ctx, name);
      const answer = await setAttributes(ctx, [{ name, notification: 7 }]);
      const after = await notificationOf(ctx, name);
      if (answer.kind === 'response')
        await setAttributes(ctx, [{ name, notification: before ?? 0 }]);
      ctx.expect(
        faultCode(answer) === 9003 || faultCode(answer) === 9009,
        `fault 9003 or 9009, got ${describeOutcome(answer)}`,
      );
      ctx.expect(after === before, `Notification ${before} unchanged, got ${after}`);
    },
  },
  {
    id: 'ATTR-012',
    area: AREA,
    title: 'SetParameterAttributes on a partial path applies to every parameter below it',
    clause: 'TR-069 §A.3.2.4 (partial path)',
    requires: { rpcs: ['GetParameterAttributes', 'SetParameterAttributes'] },
    steps: [
      'Read the attributes of every parameter under {root}ManagementServer.',
      'Set Notification 1 on "{root}ManagementServer." (passive may not be refused)',
      'Expect every parameter to read 1 (or 2 where it was 2: forced active)',
      'Set each old Notification back',
    ],
    async run(ctx: CaseContext) {
      const path = `${ctx.dut.root}ManagementServer.`;
      const before = await attributesOf(ctx, path);
      ctx.expect(before.size > 0, `parameters under ${path}`);
      const answer = await setAttributes(ctx, [{ name: path, notification: 1 }]);
      ctx.expect(
        answer.kind === 'response',
        `SetParameterAttributes to succeed, got ${describeOutcome(answer)}`,
      );
      try {
        const after = await attributesOf(ctx, path);
        for (const [name, a] of before) {
          const n = after.get(name)?.notification;
          ctx.expect(
            n === 1 || (n === 2 && a.notification === 2),
            `${name}: Notification 1, got ${n}`,
          );
        }
      } finally {
        await setAttributes(
          ctx,
          [...before].map(([name, a]) => ({ name, notification: a.notification })),
        );
      }
    },
  },
  {
    id: 'ATTR-013',
    area: AREA,
    title: 'GetParameterAttributes of several names returns each of them once',
    clause: 'TR-069 §A.3.2.5',
    requires: { rpcs: ['GetParameterAttributes'] },
    steps: [
      'Send GetParameterAttributes for PeriodicInformInterval, ParameterKey and DeviceInfo.SoftwareVersion',
      'Expect exactly those three, each once',
    ],
    async run(ctx: CaseContext) {
      const names = [
        named(ctx, INTERVAL),
        `${ctx.dut.root}ManagementServer.ParameterKey`,
        `${ctx.dut.root}DeviceInfo.SoftwareVersion`,
      ];
      const answer = await ctx.call({ method: 'GetParameterAttributes', ParameterNames: names });
      const got = answer.ParameterList.map((p) => p.Name);
      ctx.expect(
        got.length === names.length && names.every((n) => got.includes(n)),
        `exactly ${names.join(', ')}, got ${got.join(', ')}`,
      );
    },
  },
];
