/** GetParameterNames (TR-069 §A.3.2.3; NextLevel semantics in cwmp-spec §2.3). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { childrenOf, describeOutcome, faultCode, labKey } from './helpers.ts';

const AREA = 'GetParameterNames';
const REQUIRES = { rpcs: ['GetParameterNames'] };

export const GET_PARAMETER_NAMES_CASES: ConformanceCase[] = [
  {
    id: 'GPN-001',
    area: AREA,
    title: 'An empty path with NextLevel true returns the root object only',
    clause: 'TR-069 §A.3.2.3',
    requires: REQUIRES,
    steps: ['Send GetParameterNames("", true)', 'Expect exactly the root object, e.g. "Device."'],
    async run(ctx: CaseContext) {
      const answer = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: '',
        NextLevel: true,
      });
      const names = answer.ParameterList.map((p) => p.Name);
      ctx.expect(
        names.length === 1 && names[0] === ctx.dut.root,
        `exactly ["${ctx.dut.root}"], got ${JSON.stringify(names.slice(0, 5))}`,
      );
    },
  },
  {
    id: 'GPN-002',
    area: AREA,
    title: 'A partial path with NextLevel true returns its immediate children only',
    clause: 'TR-069 §A.3.2.3',
    requires: REQUIRES,
    steps: [
      'Send GetParameterNames("{root}DeviceInfo.", true)',
      'Expect every name one level below DeviceInfo., objects ending in ".", not DeviceInfo. itself',
    ],
    async run(ctx: CaseContext) {
      const path = `${ctx.dut.root}DeviceInfo.`;
      const answer = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: path,
        NextLevel: true,
      });
      const names = answer.ParameterList.map((p) => p.Name);
      ctx.expect(names.length > 0, `children of ${path}`);
      ctx.expect(!names.includes(path), `${path} itself not listed`);
      for (const name of names) {
        const rest = name.slice(path.length);
        ctx.expect(
          name.startsWith(path) && rest !== '' && !rest.replace(/\.$/, '').includes('.'),
          `only immediate children of ${path}, got ${name}`,
        );
      }
      ctx.expect(names.includes(`${path}SerialNumber`), `${path}SerialNumber among them`);
    },
  },
  {
    id: 'GPN-003',
    area: AREA,
    title: 'A partial path with NextLevel false returns the object and everything below it',
    clause: 'TR-069 §A.3.2.3',
    requires: REQUIRES,
    steps: [
      'Send GetParameterNames("{root}ManagementServer.", false)',
      'Expect the object itself and every name below it, URL and ParameterKey among them',
    ],
    async run(ctx: CaseContext) {
      const path = `${ctx.dut.root}ManagementServer.`;
      const answer = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: path,
        NextLevel: false,
      });
      const names = answer.ParameterList.map((p) => p.Name);
      for (const name of names)
        ctx.expect(name.startsWith(path), `names under ${path}, got ${name}`);
      ctx.expect(names.includes(path), `${path} itself listed`);
      for (const leaf of ['URL', 'ParameterKey', 'ConnectionRequestURL'])
        ctx.expect(names.includes(`${path}${leaf}`), `${path}${leaf} listed`);
    },
  },
  {
    id: 'GPN-004',
    area: AREA,
    title: 'A full parameter name with NextLevel false returns that parameter',
    clause: 'TR-069 §A.3.2.3',
    requires: REQUIRES,
    steps: [
      'Send GetParameterNames("{root}DeviceInfo.SerialNumber", false)',
      'Expect that one name, not writable',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}DeviceInfo.SerialNumber`;
      const answer = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: name,
        NextLevel: false,
      });
      ctx.expect(
        answer.ParameterList.length === 1 && answer.ParameterList[0]!.Name === name,
        `exactly ${name}, got ${JSON.stringify(answer.ParameterList.map((p) => p.Name))}`,
      );
      ctx.expect(answer.ParameterList[0]?.Writable === false, `${name} reported read-only`);
    },
  },
  {
    id: 'GPN-005',
    area: AREA,
    title: 'A path that does not exist is fault 9005',
    clause: 'TR-069 §A.3.2.3, Table 19 (9005 Invalid parameter name)',
    requires: REQUIRES,
    steps: ['Send GetParameterNames("{root}X_CORRAL_NoSuchObject.", false)', 'Expect fault 9005'],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'GetParameterNames',
        ParameterPath: `${ctx.dut.root}X_CORRAL_NoSuchObject.`,
        NextLevel: false,
      });
      ctx.expect(faultCode(answer) === 9005, `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'GPN-006',
    area: AREA,
    title: 'An empty path with NextLevel false returns the whole tree under the root',
    clause: 'TR-069 §A.3.2.3',
    requires: REQUIRES,
    steps: [
      'Send GetParameterNames("", false)',
      'Expect the root object, every name under it, DeviceInfo.SerialNumber among them',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: '',
        NextLevel: false,
      });
      const names = answer.ParameterList.map((p) => p.Name);
      ctx.expect(names.includes(ctx.dut.root), `${ctx.dut.root} itself listed`);
      const outside = names.filter((n) => !n.startsWith(ctx.dut.root));
      ctx.expect(
        outside.length === 0,
        `every name under ${ctx.dut.root}, got ${outside.slice(0, 3).join(', ')}`,
      );
      ctx.expect(
        names.includes(`${ctx.dut.root}DeviceInfo.SerialNumber`),
        `${ctx.dut.root}DeviceInfo.SerialNumber listed`,
      );
    },
  },
  {
    id: 'GPN-007',
    area: AREA,
    title: 'A full parameter name with NextLevel true is that parameter, or fault 9003',
    clause: 'TR-069 §A.3.2.3 (NextLevel with a parameter name); cwmp-spec §2.3',
    requires: { rpcs: ['GetParameterNames'] },
    steps: [
      'Send GetParameterNames("{root}DeviceInfo.SoftwareVersion", true)',
      'Expect that one parameter, not writable, or fault 9003',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}DeviceInfo.SoftwareVersion`;
      const answer = await ctx.rpc({
        method: 'GetParameterNames',
        ParameterPath: name,
        NextLevel: true,
      });
      if (answer.kind === 'fault') {
        ctx.expect(
          faultCode(answer) === 9003,
          `fault 9003 if refused, got ${describeOutcome(answer)}`,
        );
        return;
      }
      const list =
        answer.message.method === 'GetParameterNamesResponse' ? answer.message.ParameterList : [];
      ctx.expect(
        list.length === 1 && list[0]?.Name === name,
        `exactly ${name}, got ${list
          .map((p) => p.Name)
          .slice(0, 5)
          .join(', ')}`,
      );
      ctx.expect(list[0]?.Writable !== true, `${name} not writable`);
    },
  },
  {
    id: 'GPN-008',
    area: AREA,
    title: 'A table the DUT lets the lab add to is writable, and so is the instance added',
    clause: 'TR-069 §A.3.2.3 (Writable of an object: AddObject/DeleteObject allowed)',
    requires: { rpcs: ['GetParameterNames', 'AddObject', 'DeleteObject'] },
    steps: [
      'Find a table AddObject works on (NAT.PortMapping. or the IGD equivalent); add an instance',
      'GetParameterNames(table, true): expect the instance listed, Writable true',
      'GetParameterNames(parent, true): expect the table Writable true; delete the instance',
    ],
    async run(ctx: CaseContext) {
      const tables = [
        '{root}NAT.PortMapping.',
        '{root}WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.',
      ].map((t) => t.replace('{root}', ctx.dut.root));
      for (const table of tables) {
        const added = await ctx.rpc({
          method: 'AddObject',
          ObjectName: table,
          ParameterKey: labKey('w'),
        });
        if (added.kind !== 'response' || added.message.method !== 'AddObjectResponse') continue;
        const instance = `${table}${added.message.InstanceNumber}.`;
        try {
          const rows = await childrenOf(ctx, table);
          ctx.expect(
            rows.get(instance) === true,
            `${instance} listed Writable true, got ${rows.get(instance)}`,
          );
          const parent = table.slice(0, table.slice(0, -1).lastIndexOf('.') + 1);
          const siblings = await childrenOf(ctx, parent);
          ctx.expect(
            siblings.get(table) === true,
            `${table} listed Writable true, got ${siblings.get(table)}`,
          );
        } finally {
          await ctx.rpc({
            method: 'DeleteObject',
            ObjectName: instance,
            ParameterKey: labKey('w'),
          });
        }
        return;
      }
      ctx.skip(`AddObject works on none of ${tables.join(', ')}`);
    },
  },
];
