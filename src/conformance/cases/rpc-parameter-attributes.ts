/** GetParameterAttributes and SetParameterAttributes (TR-069 §A.3.2.4, §A.3.2.5). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import type { RpcOutcome } from '../dut-session.ts';
import { describeOutcome, faultCode } from './helpers.ts';

const AREA = 'Get/SetParameterAttributes';

async function notificationOf(ctx: CaseContext, name: string): Promise<number | undefined> {
  return (await attributesOf(ctx, name)).get(name)?.notification;
}

/** Notification and AccessList of every parameter a name (full or partial) reaches. */
async function attributesOf(
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

function setAttributes(
  ctx: CaseContext,
  changes: { name: string; notification?: number; accessList?: string[] }[],
): Promise<RpcOutcome> {
  return ctx.rpc({
    method: 'SetParameterAttributes',
    ParameterList: changes.map((c) => attributeChange(c.name, c)),
  });
}

const INTERVAL = '{root}ManagementServer.PeriodicInformInterval';
const named = (ctx: CaseContext, path: string) => path.replace('{root}', ctx.dut.root);

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
