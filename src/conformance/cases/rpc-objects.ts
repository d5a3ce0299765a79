/** AddObject and DeleteObject (TR-069 §A.3.2.6, §A.3.2.7). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import {
  childrenOf,
  describeOutcome,
  faultCode,
  firstWritable,
  labKey,
  readValues,
} from './helpers.ts';

const AREA = 'AddObject and DeleteObject';

/** Tables a gateway lets the ACS add rows to without side effects on its links. */
const TABLES = [
  '{root}NAT.PortMapping.',
  '{root}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.',
  '{root}Layer3Forwarding.Forwarding.',
];

export const OBJECT_CASES: ConformanceCase[] = [
  {
    id: 'OBJ-001',
    area: AREA,
    title: 'AddObject creates an instance, DeleteObject removes it, both store the ParameterKey',
    clause: 'TR-069 §A.3.2.6, §A.3.2.7',
    requires: { rpcs: ['AddObject', 'DeleteObject', 'GetParameterNames', 'GetParameterValues'] },
    steps: [
      'Find a writable table (NAT.PortMapping. or the IGD equivalent)',
      'AddObject with a ParameterKey; expect an InstanceNumber ≥ 1 and Status 0/1',
      'Expect the instance listed by GetParameterNames and the ParameterKey stored',
      'DeleteObject it with another ParameterKey; expect Status 0/1, the instance gone and the key stored',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const keyName = `${ctx.dut.root}ManagementServer.ParameterKey`;
      const addKey = labKey('add');
      const added = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: addKey,
      });
      const instance = `${table}${added.InstanceNumber}.`;
      let deleted = false;
      try {
        ctx.expect(
          Number(added.InstanceNumber) >= 1,
          `InstanceNumber ≥ 1, got ${added.InstanceNumber}`,
        );
        ctx.expect([0, 1].includes(Number(added.Status)), `Status 0 or 1, got ${added.Status}`);
        ctx.expect(
          (await childrenOf(ctx, table)).has(instance),
          `${instance} listed after AddObject`,
        );
        const key = (await readValues(ctx, [keyName])).get(keyName)?.value;
        ctx.expect(key === addKey, `ParameterKey "${addKey}" after AddObject, got "${key}"`);
        const deleteKey = labKey('del');
        const gone = await ctx.call({
          method: 'DeleteObject',
          ObjectName: instance,
          ParameterKey: deleteKey,
        });
        deleted = true;
        ctx.expect([0, 1].includes(Number(gone.Status)), `Status 0 or 1, got ${gone.Status}`);
        ctx.expect(
          !(await childrenOf(ctx, table)).has(instance),
          `${instance} gone after DeleteObject`,
        );
        const after = (await readValues(ctx, [keyName])).get(keyName)?.value;
        ctx.expect(
          after === deleteKey,
          `ParameterKey "${deleteKey}" after DeleteObject, got "${after}"`,
        );
      } finally {
        if (!deleted)
          await ctx.rpc({ method: 'DeleteObject', ObjectName: instance, ParameterKey: '' });
      }
    },
  },
  {
    id: 'OBJ-002',
    area: AREA,
    title: 'AddObject on an object that is not a table is refused (9005)',
    clause: 'TR-069 §A.3.2.6, Table 19 (9005)',
    requires: { rpcs: ['AddObject'] },
    steps: ['Send AddObject("{root}DeviceInfo.")', 'Expect fault 9005'],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'AddObject',
        ObjectName: `${ctx.dut.root}DeviceInfo.`,
        ParameterKey: labKey('no'),
      });
      ctx.expect(faultCode(answer) === 9005, `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'OBJ-003',
    area: AREA,
    title: 'DeleteObject of an instance that does not exist is refused (9005)',
    clause: 'TR-069 §A.3.2.7, Table 19 (9005)',
    requires: { rpcs: ['DeleteObject', 'GetParameterNames'] },
    steps: [
      'Find a writable table',
      'Send DeleteObject("<table>.4294967295.")',
      'Expect fault 9005',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const answer = await ctx.rpc({
        method: 'DeleteObject',
        ObjectName: `${table}4294967295.`,
        ParameterKey: labKey('no'),
      });
      ctx.expect(faultCode(answer) === 9005, `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'OBJ-004',
    area: AREA,
    title: 'An instance number is not reused after its instance is deleted',
    clause: 'TR-069 §A.3.2.6 (instance numbers); cwmp-spec §2.3',
    requires: { rpcs: ['AddObject', 'DeleteObject', 'GetParameterNames'] },
    steps: [
      'Find a writable table; AddObject, note the InstanceNumber, DeleteObject it',
      'AddObject again; expect a different InstanceNumber',
      'Delete the second instance',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const first = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: labKey('re1'),
      });
      await ctx.call({
        method: 'DeleteObject',
        ObjectName: `${table}${first.InstanceNumber}.`,
        ParameterKey: labKey('re1'),
      });
      const second = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: labKey('re2'),
      });
      await ctx.rpc({
        method: 'DeleteObject',
        ObjectName: `${table}${second.InstanceNumber}.`,
        ParameterKey: labKey('re2'),
      });
      ctx.expect(
        Number(second.InstanceNumber) !== Number(first.InstanceNumber),
        `a new InstanceNumber, got ${second.InstanceNumber} again`,
      );
    },
  },
  {
    id: 'OBJ-005',
    area: AREA,
    title: 'A new instance’s parameters are listed and readable',
    clause: 'TR-069 §A.3.2.6 (the new object’s parameters take their defaults)',
    requires: { rpcs: ['AddObject', 'DeleteObject', 'GetParameterNames', 'GetParameterValues'] },
    steps: [
      'Find a writable table; AddObject',
      'GetParameterNames(instance, false): expect at least one parameter',
      'GetParameterValues(instance): expect a value for each of them',
      'Delete the instance',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const added = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: labKey('new'),
      });
      const instance = `${table}${added.InstanceNumber}.`;
      try {
        const names = await ctx.call({
          method: 'GetParameterNames',
          ParameterPath: instance,
          NextLevel: false,
        });
        const leaves = names.ParameterList.map((p) => p.Name).filter((n) => !n.endsWith('.'));
        ctx.expect(leaves.length > 0, `parameters under ${instance}`);
        ctx.expect(
          leaves.every((n) => n.startsWith(instance)),
          `names under ${instance} only, got ${leaves.find((n) => !n.startsWith(instance))}`,
        );
        const values = await readValues(ctx, [instance]);
        const missing = leaves.filter((n) => !values.has(n));
        ctx.expect(missing.length === 0, `values for ${missing.slice(0, 5).join(', ')}`);
      } finally {
        await ctx.rpc({
          method: 'DeleteObject',
          ObjectName: instance,
          ParameterKey: labKey('new'),
        });
      }
    },
  },
  {
    id: 'OBJ-006',
    area: AREA,
    title: 'A refused AddObject leaves the ParameterKey as it was',
    clause: 'TR-069 §A.3.2.6; TR-181 ManagementServer.ParameterKey (set only on success)',
    requires: { rpcs: ['AddObject', 'GetParameterValues'] },
    steps: [
      'Read ManagementServer.ParameterKey',
      'Send AddObject("{root}DeviceInfo.") with another ParameterKey; expect a fault',
      'Expect ParameterKey unchanged',
    ],
    async run(ctx: CaseContext) {
      const keyName = `${ctx.dut.root}ManagementServer.ParameterKey`;
      const before = (await readValues(ctx, [keyName])).get(keyName)?.value;
      const answer = await ctx.rpc({
        method: 'AddObject',
        ObjectName: `${ctx.dut.root}DeviceInfo.`,
        ParameterKey: labKey('refused'),
      });
      ctx.expect(answer.kind === 'fault', `a fault, got ${describeOutcome(answer)}`);
      const after = (await readValues(ctx, [keyName])).get(keyName)?.value;
      ctx.expect(after === before, `ParameterKey unchanged ("${before}"), got "${after}"`);
    },
  },
  {
    id: 'OBJ-007',
    area: AREA,
    title: 'DeleteObject of a whole table (not an instance) is refused, its instances kept',
    clause: 'TR-069 §A.3.2.7 (ObjectName is an instance), Table 19 (9003/9005)',
    requires: { rpcs: ['AddObject', 'DeleteObject', 'GetParameterNames'] },
    steps: [
      'Find a writable table; AddObject',
      'Send DeleteObject("<table>.") (the table, no instance number)',
      'Expect fault 9005 or 9003, and the instance still there',
      'Delete the instance',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const added = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: labKey('keep'),
      });
      const instance = `${table}${added.InstanceNumber}.`;
      try {
        const answer = await ctx.rpc({
          method: 'DeleteObject',
          ObjectName: table,
          ParameterKey: labKey('all'),
        });
        ctx.expect(
          faultCode(answer) === 9005 || faultCode(answer) === 9003,
          `fault 9005 or 9003, got ${describeOutcome(answer)}`,
        );
        ctx.expect((await childrenOf(ctx, table)).has(instance), `${instance} still there`);
      } finally {
        await ctx.rpc({
          method: 'DeleteObject',
          ObjectName: instance,
          ParameterKey: labKey('keep'),
        });
      }
    },
  },
  {
    id: 'OBJ-008',
    area: AREA,
    title: 'A deleted instance is gone for GetParameterNames and GetParameterValues (9005)',
    clause: 'TR-069 §A.3.2.7, Table 19 (9005)',
    requires: { rpcs: ['AddObject', 'DeleteObject', 'GetParameterNames', 'GetParameterValues'] },
    steps: [
      'Find a writable table; AddObject, then DeleteObject the instance',
      'Expect GetParameterNames(instance) and GetParameterValues(instance) to be fault 9005',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const added = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: labKey('gone'),
      });
      const instance = `${table}${added.InstanceNumber}.`;
      await ctx.call({
        method: 'DeleteObject',
        ObjectName: instance,
        ParameterKey: labKey('gone'),
      });
      const names = await ctx.rpc({
        method: 'GetParameterNames',
        ParameterPath: instance,
        NextLevel: false,
      });
      ctx.expect(
        faultCode(names) === 9005,
        `GetParameterNames: fault 9005, got ${describeOutcome(names)}`,
      );
      const values = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: [instance] });
      ctx.expect(
        faultCode(values) === 9005,
        `GetParameterValues: fault 9005, got ${describeOutcome(values)}`,
      );
    },
  },
  {
    id: 'OBJ-009',
    area: AREA,
    title: 'AddObject on an instance (not its table) is refused (9005 or 9003)',
    clause: 'TR-069 §A.3.2.6 (ObjectName ends with the table’s name and a dot), Table 19',
    requires: { rpcs: ['AddObject', 'DeleteObject', 'GetParameterNames'] },
    steps: [
      'Find a writable table; AddObject to get an instance',
      'Send AddObject("<table>.<instance>.")',
      'Expect fault 9005 or 9003; delete the instance',
    ],
    async run(ctx: CaseContext) {
      const table = await firstWritable(ctx, TABLES);
      const added = await ctx.call({
        method: 'AddObject',
        ObjectName: table,
        ParameterKey: labKey('inst'),
      });
      const instance = `${table}${added.InstanceNumber}.`;
      try {
        const answer = await ctx.rpc({
          method: 'AddObject',
          ObjectName: instance,
          ParameterKey: labKey('inst'),
        });
        if (answer.kind === 'response' && answer.message.method === 'AddObjectResponse')
          await ctx.rpc({
            method: 'DeleteObject',
            ObjectName: `${instance}${answer.message.InstanceNumber}.`,
            ParameterKey: labKey('inst'),
          });
        ctx.expect(
          faultCode(answer) === 9005 || faultCode(answer) === 9003,
          `fault 9005 or 9003, got ${describeOutcome(answer)}`,
        );
      } finally {
        await ctx.rpc({
          method: 'DeleteObject',
          ObjectName: instance,
          ParameterKey: labKey('inst'),
        });
      }
    },
  },
];
