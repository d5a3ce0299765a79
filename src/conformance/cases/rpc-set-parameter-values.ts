/** SetParameterValues (TR-069 §A.3.2.1; atomicity and ParameterKey in cwmp-spec §2.3). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import {
  describeOutcome,
  faultCode,
  firstWritable,
  labKey,
  parameterFaultCodes,
  readValues,
} from './helpers.ts';

const AREA = 'SetParameterValues';
const REQUIRES = { rpcs: ['SetParameterValues', 'GetParameterValues', 'GetParameterNames'] };

/** Writable strings nearly every CPE has, and whose change does no harm for a moment. */
const WRITABLE_STRINGS = ['{root}DeviceInfo.ProvisioningCode'];

/** Sets `name` to `value`, runs `body`, and puts the old value back whatever happens. */
async function withValue(
  ctx: CaseContext,
  name: string,
  value: string,
  key: string,
  body: () => Promise<void>,
): Promise<void> {
  const before = (await readValues(ctx, [name])).get(name);
  if (before === undefined) return ctx.skip(`${name} has no value`);
  const set = await ctx.call({
    method: 'SetParameterValues',
    ParameterList: [{ name, value, type: 'string' }],
    ParameterKey: key,
  });
  ctx.expect([0, 1].includes(Number(set.Status)), `Status 0 or 1, got ${set.Status}`);
  try {
    await body();
  } finally {
    await ctx.rpc({
      method: 'SetParameterValues',
      ParameterList: [{ name, value: before.value, type: 'string' }],
      ParameterKey: key,
    });
  }
}

export const SET_PARAMETER_VALUES_CASES: ConformanceCase[] = [
  {
    id: 'SPV-001',
    area: AREA,
    title: 'A writable string is set, read back, and restored',
    clause: 'TR-069 §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Find a writable string (DeviceInfo.ProvisioningCode)',
      'Set it to a value of the lab’s; expect Status 0 or 1',
      'Read it back; expect the value set',
      'Set the old value back',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, WRITABLE_STRINGS);
      const value = labKey('pc');
      await withValue(ctx, name, value, labKey('spv1'), async () => {
        const read = (await readValues(ctx, [name])).get(name);
        ctx.expect(
          read?.value === value,
          `${name} = "${value}" after the set, got "${read?.value}"`,
        );
      });
    },
  },
  {
    id: 'SPV-002',
    area: AREA,
    title: 'A successful set stores its ParameterKey',
    clause: 'TR-069 §A.3.2.1 (ParameterKey); TR-181 ManagementServer.ParameterKey',
    requires: REQUIRES,
    steps: [
      'Set a writable string with a ParameterKey of the lab’s',
      'Expect ManagementServer.ParameterKey to equal it',
      'Restore the value',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, WRITABLE_STRINGS);
      const key = labKey('key');
      const keyName = `${ctx.dut.root}ManagementServer.ParameterKey`;
      await withValue(ctx, name, labKey('pc'), key, async () => {
        const read = (await readValues(ctx, [keyName])).get(keyName);
        ctx.expect(read?.value === key, `${keyName} = "${key}", got "${read?.value}"`);
      });
    },
  },
  {
    id: 'SPV-003',
    area: AREA,
    title: 'A value of the wrong type is refused with 9006 or 9007, and the ParameterKey kept',
    clause: 'TR-069 §A.3.2.1, Table 19 (9003 with 9006/9007)',
    requires: REQUIRES,
    steps: [
      'Read ManagementServer.ParameterKey',
      'Set ManagementServer.PeriodicInformInterval (unsignedInt) to "not-a-number"',
      'Expect fault 9003 carrying 9006 or 9007 (or 9006/9007 itself)',
      'Expect ParameterKey unchanged',
    ],
    async run(ctx: CaseContext) {
      const keyName = `${ctx.dut.root}ManagementServer.ParameterKey`;
      const before = (await readValues(ctx, [keyName])).get(keyName)?.value;
      const answer = await ctx.rpc({
        method: 'SetParameterValues',
        ParameterList: [
          {
            name: `${ctx.dut.root}ManagementServer.PeriodicInformInterval`,
            value: 'not-a-number',
            type: 'unsignedInt',
          },
        ],
        ParameterKey: labKey('bad'),
      });
      const codes = [faultCode(answer), ...parameterFaultCodes(answer)];
      ctx.expect(
        codes.includes(9006) || codes.includes(9007),
        `fault 9006 or 9007, got ${describeOutcome(answer)} [${codes.join(', ')}]`,
      );
      const after = (await readValues(ctx, [keyName])).get(keyName)?.value;
      ctx.expect(after === before, `ParameterKey unchanged ("${before}"), got "${after}"`);
    },
  },
  {
    id: 'SPV-004',
    area: AREA,
    title: 'Setting a read-only parameter is refused with 9008',
    clause: 'TR-069 §A.3.2.1, Table 19 (9008)',
    requires: REQUIRES,
    steps: [
      'Read DeviceInfo.SerialNumber',
      'Set it to the same value',
      'Expect fault 9003 carrying 9008 (or 9008 itself)',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}DeviceInfo.SerialNumber`;
      const value = (await readValues(ctx, [name])).get(name)?.value ?? '';
      const answer = await ctx.rpc({
        method: 'SetParameterValues',
        ParameterList: [{ name, value, type: 'string' }],
        ParameterKey: labKey('ro'),
      });
      const codes = [faultCode(answer), ...parameterFaultCodes(answer)];
      ctx.expect(
        codes.includes(9008),
        `fault 9008, got ${describeOutcome(answer)} [${codes.join(', ')}]`,
      );
    },
  },
  {
    id: 'SPV-005',
    area: AREA,
    title: 'A batch with one bad name is refused whole: nothing is set',
    clause: 'TR-069 §A.3.2.1 (atomic SetParameterValues)',
    requires: REQUIRES,
    steps: [
      'Find a writable string (DeviceInfo.ProvisioningCode) and read it',
      'Set it together with a name that does not exist',
      'Expect fault 9003 carrying 9005 for the bad name (or 9005 itself)',
      'Expect the writable string unchanged',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, WRITABLE_STRINGS);
      const before = (await readValues(ctx, [name])).get(name)?.value;
      const answer = await ctx.rpc({
        method: 'SetParameterValues',
        ParameterList: [
          { name, value: labKey('atomic'), type: 'string' },
          {
            name: `${ctx.dut.root}DeviceInfo.X_CORRAL_NoSuchParameter`,
            value: 'x',
            type: 'string',
          },
        ],
        ParameterKey: labKey('atomic'),
      });
      const codes = [faultCode(answer), ...parameterFaultCodes(answer)];
      ctx.expect(
        codes.includes(9005),
        `fault 9005 for the bad name, got ${describeOutcome(answer)} [${codes.join(', ')}]`,
      );
      const after = (await readValues(ctx, [name])).get(name)?.value;
      if (after !== before)
        await ctx.rpc({
          method: 'SetParameterValues',
          ParameterList: [{ name, value: before ?? '', type: 'string' }],
          ParameterKey: '',
        });
      ctx.expect(
        after === before,
        `${name} unchanged ("${before}") after the refused batch, got "${after}"`,
      );
    },
  },
  {
    id: 'SPV-006',
    area: AREA,
    title: 'A boolean accepts true/false and 1/0, and reads back as set',
    clause: 'TR-069 §A.2.1 (boolean), §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Read ManagementServer.PeriodicInformEnable',
      'Set it to 0, then false, then 1, then true; read it back after each',
      'Expect false, false, true, true (as "false"/"0", "true"/"1")',
      'Set the old value back',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.PeriodicInformEnable']);
      const before = (await readValues(ctx, [name])).get(name)?.value ?? 'true';
      const truth = (v: string | undefined) =>
        v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined;
      try {
        for (const [sent, meant] of [
          ['0', false],
          ['false', false],
          ['1', true],
          ['true', true],
        ] as const) {
          const answer = await ctx.rpc({
            method: 'SetParameterValues',
            ParameterList: [{ name, value: sent, type: 'boolean' }],
            ParameterKey: labKey('bool'),
          });
          ctx.expect(
            answer.kind === 'response',
            `"${sent}" accepted, got ${describeOutcome(answer)}`,
          );
          const read = (await readValues(ctx, [name])).get(name)?.value;
          ctx.expect(
            truth(read) === meant,
            `${name} ${meant} after setting "${sent}", got "${read}"`,
          );
        }
      } finally {
        await ctx.rpc({
          method: 'SetParameterValues',
          ParameterList: [{ name, value: before, type: 'boolean' }],
          ParameterKey: labKey('bool'),
        });
      }
    },
  },
];
