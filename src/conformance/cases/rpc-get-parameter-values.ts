/** GetParameterValues (TR-069 §A.3.2.2). */
import { readTyped } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode } from './helpers.ts';

const AREA = 'GetParameterValues';
const REQUIRES = { rpcs: ['GetParameterValues'] };

export const GET_PARAMETER_VALUES_CASES: ConformanceCase[] = [
  {
    id: 'GPV-001',
    area: AREA,
    title: 'Full parameter names return exactly those parameters, with the Inform’s values',
    clause: 'TR-069 §A.3.2.2',
    requires: REQUIRES,
    steps: [
      'Send GetParameterValues for SoftwareVersion and SerialNumber of DeviceInfo',
      'Expect exactly those two, SoftwareVersion equal to the Inform’s',
    ],
    async run(ctx: CaseContext) {
      const info = `${ctx.dut.root}DeviceInfo.`;
      const names = [`${info}SoftwareVersion`, `${info}SerialNumber`];
      const answer = await ctx.call({ method: 'GetParameterValues', ParameterNames: names });
      const got = answer.ParameterList.map((p) => p.name).sort();
      ctx.expect(
        JSON.stringify(got) === JSON.stringify([...names].sort()),
        `exactly ${names.join(', ')}, got ${got.join(', ')}`,
      );
      const informed = ctx.dut.firstInform.body.ParameterList.find((p) => p.name === names[0]);
      const read = answer.ParameterList.find((p) => p.name === names[0]);
      if (informed !== undefined)
        ctx.expect(
          read?.value === informed.value,
          `SoftwareVersion "${informed.value}" as informed`,
        );
    },
  },
  {
    id: 'GPV-002',
    area: AREA,
    title: 'A partial path returns every parameter below it',
    clause: 'TR-069 §A.3.2.2',
    requires: { rpcs: ['GetParameterValues', 'GetParameterNames'] },
    steps: [
      'Send GetParameterNames("{root}DeviceInfo.", false) for the parameter names below it',
      'Send GetParameterValues("{root}DeviceInfo.")',
      'Expect a value for every parameter (name not ending in ".") the names listed',
    ],
    async run(ctx: CaseContext) {
      const path = `${ctx.dut.root}DeviceInfo.`;
      const names = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: path,
        NextLevel: false,
      });
      const leaves = names.ParameterList.map((p) => p.Name).filter((n) => !n.endsWith('.'));
      const values = await ctx.call({ method: 'GetParameterValues', ParameterNames: [path] });
      const got = new Set(values.ParameterList.map((p) => p.name));
      const missing = leaves.filter((n) => !got.has(n));
      ctx.expect(missing.length === 0, `values for ${missing.slice(0, 5).join(', ')}`);
      for (const name of got)
        ctx.expect(
          name.startsWith(path) && !name.endsWith('.'),
          `parameters under ${path}, got ${name}`,
        );
    },
  },
  {
    id: 'GPV-003',
    area: AREA,
    title: 'A name that does not exist is fault 9005',
    clause: 'TR-069 §A.3.2.2, Table 19 (9005)',
    requires: REQUIRES,
    steps: [
      'Send GetParameterValues("{root}DeviceInfo.X_CORRAL_NoSuchParameter")',
      'Expect fault 9005',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'GetParameterValues',
        ParameterNames: [`${ctx.dut.root}DeviceInfo.X_CORRAL_NoSuchParameter`],
      });
      ctx.expect(faultCode(answer) === 9005, `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'GPV-004',
    area: AREA,
    title: 'Many names in one call return a value for each',
    clause: 'TR-069 §A.3.2.2',
    requires: { rpcs: ['GetParameterValues', 'GetParameterNames'] },
    steps: [
      'List every parameter below {root}ManagementServer. (GetParameterNames, NextLevel false)',
      'Send GetParameterValues with all of them by full name',
      'Expect one value per name',
    ],
    async run(ctx: CaseContext) {
      const path = `${ctx.dut.root}ManagementServer.`;
      const names = await ctx.call({
        method: 'GetParameterNames',
        ParameterPath: path,
        NextLevel: false,
      });
      const leaves = names.ParameterList.map((p) => p.Name).filter((n) => !n.endsWith('.'));
      ctx.expect(
        leaves.length >= 5,
        `at least five parameters below ${path}, got ${leaves.length}`,
      );
      const values = await ctx.call({ method: 'GetParameterValues', ParameterNames: leaves });
      const got = new Set(values.ParameterList.map((p) => p.name));
      const missing = leaves.filter((n) => !got.has(n));
      ctx.expect(
        missing.length === 0,
        `a value for each of ${leaves.length} names, missing ${missing.slice(0, 5).join(', ')}`,
      );
    },
  },
  {
    id: 'GPV-005',
    area: AREA,
    title: 'Full and partial names mixed in one call are all answered',
    clause: 'TR-069 §A.3.2.2',
    requires: REQUIRES,
    steps: [
      'Send GetParameterValues("{root}ManagementServer.", "{root}DeviceInfo.SerialNumber")',
      'Expect the serial number and ManagementServer.URL among the values',
    ],
    async run(ctx: CaseContext) {
      const serial = `${ctx.dut.root}DeviceInfo.SerialNumber`;
      const url = `${ctx.dut.root}ManagementServer.URL`;
      const answer = await ctx.call({
        method: 'GetParameterValues',
        ParameterNames: [`${ctx.dut.root}ManagementServer.`, serial],
      });
      const names = new Set(answer.ParameterList.map((p) => p.name));
      ctx.expect(names.has(serial), `${serial} among the values`);
      ctx.expect(names.has(url), `${url} among the values`);
    },
  },
  {
    id: 'GPV-006',
    area: AREA,
    title: 'Every value of the whole tree carries a TR-069 type and fits it',
    clause: 'TR-069 §A.2.1 (data types), §A.3.2.2 (ParameterValueStruct)',
    requires: REQUIRES,
    steps: [
      'Send GetParameterValues("{root}")',
      'Expect each value to carry an xsi:type of TR-069 (string, int, unsignedInt, long, unsignedLong, boolean, dateTime, base64, hexBinary, decimal)',
      'Expect each value to be valid for its type',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.call({
        method: 'GetParameterValues',
        ParameterNames: [ctx.dut.root],
      });
      ctx.expect(answer.ParameterList.length > 0, 'values under the root');
      const bad: string[] = [];
      for (const pv of answer.ParameterList) {
        const read = readTyped(pv, { strict: true });
        if (!read.ok)
          bad.push(
            `${pv.name} (${pv.type || 'no type'}: "${pv.value.slice(0, 40)}", ${read.error.reason})`,
          );
      }
      ctx.note(`${answer.ParameterList.length} values checked`);
      ctx.expect(
        bad.length === 0,
        `every value to fit its type; ${bad.length} do not: ${bad.slice(0, 5).join('; ')}`,
      );
    },
  },
  {
    id: 'GPV-007',
    area: AREA,
    title: 'An object name without its trailing dot is fault 9005',
    clause: 'TR-069 §A.3.2.2, §A.2.2.1 (a partial path ends in "."), Table 19 (9005)',
    requires: REQUIRES,
    steps: ['Send GetParameterValues("{root}DeviceInfo")', 'Expect fault 9005'],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'GetParameterValues',
        ParameterNames: [`${ctx.dut.root}DeviceInfo`],
      });
      ctx.expect(faultCode(answer) === 9005, `fault 9005, got ${describeOutcome(answer)}`);
    },
  },
  {
    id: 'GPV-008',
    area: AREA,
    title: 'A hidden parameter (ManagementServer.Password) reads as the empty string',
    clause:
      'TR-069 §A.3.2.2; TR-181 / TR-098 ManagementServer.Password ("when read, returns an empty string")',
    requires: REQUIRES,
    steps: ['Send GetParameterValues("{root}ManagementServer.Password")', 'Expect the value ""'],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}ManagementServer.Password`;
      const answer = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: [name] });
      if (faultCode(answer) === 9005) return ctx.skip(`the DUT has no ${name}`);
      ctx.expect(
        answer.kind === 'response' && answer.message.method === 'GetParameterValuesResponse',
        `a response, got ${describeOutcome(answer)}`,
      );
      const value = answer.message.ParameterList.find((p) => p.name === name)?.value;
      ctx.expect(
        value === '',
        `"" for ${name}, got ${value === undefined ? 'no value' : `${value.length} characters`}`,
      );
    },
  },
];
