/**
 * SetParameterValues, its data types and its refusals (TR-069 §A.2.1, §A.3.2.1; cwmp-spec §2.3, §7.2): an
 * unsignedInt, an int (negative), a dateTime round trip; values out of range, too long or not a dateTime refused with
 * 9007 (or 9006); a parameter named twice refused with 9003. Every value changed is put back.
 */
import { readDateTime } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';
import type { RpcOutcome } from '../dut-session.ts';
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

function set(ctx: CaseContext, name: string, value: string, type: string): Promise<RpcOutcome> {
  return ctx.rpc({
    method: 'SetParameterValues',
    ParameterList: [{ name, value, type }],
    ParameterKey: labKey('type'),
  });
}

/** Sets `value`, reads it back through `same`, and restores the old value whatever happens. */
async function roundTrip(
  ctx: CaseContext,
  name: string,
  type: string,
  value: (before: string) => string,
  same: (read: string, sent: string) => boolean,
): Promise<void> {
  const before = (await readValues(ctx, [name])).get(name);
  if (before === undefined) return ctx.skip(`${name} has no value`);
  const sent = value(before.value);
  const answer = await set(ctx, name, sent, type);
  ctx.expect(answer.kind === 'response', `"${sent}" accepted, got ${describeOutcome(answer)}`);
  try {
    const read = (await readValues(ctx, [name])).get(name);
    ctx.expect(
      read !== undefined && same(read.value, sent),
      `${name} = "${sent}" after the set, got "${read?.value}"`,
    );
    ctx.expect(read.type === type, `${name} read back as ${type}, got ${read.type}`);
  } finally {
    await set(ctx, name, before.value, type);
  }
}

/** Sends a value the DUT must refuse with 9007 (or 9006), and checks the parameter kept its value. */
async function refused(
  ctx: CaseContext,
  name: string,
  type: string,
  value: string,
  codes: readonly number[] = [9006, 9007],
): Promise<void> {
  const before = (await readValues(ctx, [name])).get(name)?.value;
  const answer = await set(ctx, name, value, type);
  const got = [faultCode(answer), ...parameterFaultCodes(answer)];
  const after = (await readValues(ctx, [name])).get(name)?.value;
  if (answer.kind === 'response' && before !== undefined) await set(ctx, name, before, type);
  ctx.expect(
    codes.some((c) => got.includes(c)),
    `fault ${codes.join(' or ')} for "${value.length > 40 ? `${value.slice(0, 40)}…` : value}", got ${describeOutcome(answer)} [${got.join(', ')}]`,
  );
  ctx.expect(after === before, `${name} unchanged ("${before}"), got "${after}"`);
}

const sameInstant = (a: string, b: string) => {
  const x = readDateTime(a);
  const y = readDateTime(b);
  return x.ok && y.ok && Date.parse(a) === Date.parse(b);
};

export const SET_PARAMETER_VALUES_TYPE_CASES: ConformanceCase[] = [
  {
    id: 'SPV-007',
    area: AREA,
    title: 'An unsignedInt is set, read back as unsignedInt, and restored',
    clause: 'TR-069 §A.2.1 (unsignedInt), §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Read ManagementServer.PeriodicInformInterval',
      'Set it one second longer (xsd:unsignedInt); expect it read back with that value and type',
      'Set the old value back',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.PeriodicInformInterval']);
      await roundTrip(
        ctx,
        name,
        'unsignedInt',
        (before) => String((Number(before) || 3600) + 1),
        (a, b) => a === b,
      );
    },
  },
  {
    id: 'SPV-008',
    area: AREA,
    title: 'An int takes a negative value, read back as int, and is restored',
    clause: 'TR-069 §A.2.1 (int), §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Find a writable int (ManagementServer.STUNMaximumKeepAlivePeriod, range -1 and up)',
      'Set it to -1; expect it read back as int -1',
      'Set the old value back',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.STUNMaximumKeepAlivePeriod']);
      const before = (await readValues(ctx, [name])).get(name)?.value;
      const target = before === '-1' ? '60' : '-1';
      await roundTrip(
        ctx,
        name,
        'int',
        () => target,
        (a, b) => a === b,
      );
    },
  },
  {
    id: 'SPV-009',
    area: AREA,
    title: 'A dateTime is set, read back as the same instant, and restored',
    clause: 'TR-069 §A.2.1 (dateTime), §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Read ManagementServer.PeriodicInformTime',
      'Set it to 2026-01-01T00:00:00Z (xsd:dateTime); expect the same instant read back as dateTime',
      'Set the old value back',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.PeriodicInformTime']);
      await roundTrip(
        ctx,
        name,
        'dateTime',
        (before) =>
          sameInstant(before, '2026-01-01T00:00:00Z')
            ? '2026-01-02T00:00:00Z'
            : '2026-01-01T00:00:00Z',
        sameInstant,
      );
    },
  },
  {
    id: 'SPV-010',
    area: AREA,
    title: 'A value outside the parameter’s range is refused with 9007, the value kept',
    clause: 'TR-069 §A.3.2.1, Table 19 (9007); TR-181 PeriodicInformInterval (range 1 and up)',
    requires: REQUIRES,
    steps: [
      'Set ManagementServer.PeriodicInformInterval to 0',
      'Expect fault 9003 carrying 9007 (or 9007 itself)',
      'Expect the old value kept',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.PeriodicInformInterval']);
      await refused(ctx, name, 'unsignedInt', '0', [9007]);
    },
  },
  {
    id: 'SPV-011',
    area: AREA,
    title: 'A string longer than its maximum length is refused with 9007, the value kept',
    clause: 'TR-069 §A.3.2.1, Table 19 (9007); TR-181 DeviceInfo.ProvisioningCode (string(64))',
    requires: REQUIRES,
    steps: [
      'Set DeviceInfo.ProvisioningCode to 65 characters',
      'Expect fault 9003 carrying 9007 (or 9007 itself)',
      'Expect the old value kept',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}DeviceInfo.ProvisioningCode']);
      await refused(ctx, name, 'string', 'X'.repeat(65), [9007]);
    },
  },
  {
    id: 'SPV-012',
    area: AREA,
    title: 'A dateTime parameter refuses a value that is not a dateTime (9006 or 9007)',
    clause: 'TR-069 §A.2.1 (dateTime), Table 19 (9006/9007)',
    requires: REQUIRES,
    steps: [
      'Set ManagementServer.PeriodicInformTime to "yesterday" (xsd:dateTime)',
      'Expect fault 9003 carrying 9006 or 9007 (or either itself)',
      'Expect the old value kept',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.PeriodicInformTime']);
      await refused(ctx, name, 'dateTime', 'yesterday');
    },
  },
  {
    id: 'SPV-013',
    area: AREA,
    title: 'An unsignedInt refuses a value beyond 4294967295 (9006 or 9007)',
    clause: 'TR-069 §A.2.1 (unsignedInt), Table 19 (9006/9007)',
    requires: REQUIRES,
    steps: [
      'Set ManagementServer.PeriodicInformInterval to 4294967296',
      'Expect fault 9003 carrying 9006 or 9007 (or either itself)',
      'Expect the old value kept',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}ManagementServer.PeriodicInformInterval']);
      await refused(ctx, name, 'unsignedInt', '4294967296');
    },
  },
  {
    id: 'SPV-014',
    area: AREA,
    title: 'A parameter named twice in one call is refused with 9003, nothing set',
    clause: 'TR-069 §A.3.2.1 (a parameter at most once); Table 19 (9003)',
    requires: REQUIRES,
    steps: [
      'Set DeviceInfo.ProvisioningCode to two different values in one call',
      'Expect fault 9003',
      'Expect the old value kept',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}DeviceInfo.ProvisioningCode']);
      const before = (await readValues(ctx, [name])).get(name)?.value;
      const answer = await ctx.rpc({
        method: 'SetParameterValues',
        ParameterList: [
          { name, value: labKey('one'), type: 'string' },
          { name, value: labKey('two'), type: 'string' },
        ],
        ParameterKey: labKey('twice'),
      });
      const after = (await readValues(ctx, [name])).get(name)?.value;
      if (after !== before) await set(ctx, name, before ?? '', 'string');
      ctx.expect(faultCode(answer) === 9003, `fault 9003, got ${describeOutcome(answer)}`);
      ctx.expect(after === before, `${name} unchanged ("${before}"), got "${after}"`);
    },
  },
];
