/**
 * Wi-Fi configuration through the data model (certification-plan.md; TR-181 WiFi., TR-098 WLANConfiguration.): the
 * SSID set and read back, a passphrase never readable, values beyond the definition refused with 9007 and not half
 * applied. The first radio and SSID of Device:2 or InternetGatewayDevice:1; every value set is put back.
 */
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

const AREA = 'Wi-Fi';
const REQUIRES = { rpcs: ['SetParameterValues', 'GetParameterValues', 'GetParameterNames'] };

const SSID = ['{root}WiFi.SSID.1.SSID', '{root}LANDevice.1.WLANConfiguration.1.SSID'];
const PASSPHRASE = [
  '{root}WiFi.AccessPoint.1.Security.KeyPassphrase',
  '{root}LANDevice.1.WLANConfiguration.1.KeyPassphrase',
];
const CHANNEL = ['{root}WiFi.Radio.1.Channel', '{root}LANDevice.1.WLANConfiguration.1.Channel'];

function set(ctx: CaseContext, name: string, value: string, type: string): Promise<RpcOutcome> {
  return ctx.rpc({
    method: 'SetParameterValues',
    ParameterList: [{ name, value, type }],
    ParameterKey: labKey('wifi'),
  });
}

/** A value the DUT must refuse with 9007, keeping the old one. */
async function refused(ctx: CaseContext, name: string, value: string, type: string): Promise<void> {
  const before = (await readValues(ctx, [name])).get(name)?.value;
  const answer = await set(ctx, name, value, type);
  const after = (await readValues(ctx, [name])).get(name)?.value;
  if (answer.kind === 'response' && before !== undefined) await set(ctx, name, before, type);
  const codes = [faultCode(answer), ...parameterFaultCodes(answer)];
  ctx.expect(
    codes.includes(9007),
    `fault 9007 for "${value}", got ${describeOutcome(answer)} [${codes.join(', ')}]`,
  );
  ctx.expect(after === before, `${name} unchanged ("${before}"), got "${after}"`);
}

export const WIFI_CASES: ConformanceCase[] = [
  {
    id: 'WIFI-001',
    area: AREA,
    title: 'The SSID is set, read back, and restored',
    clause:
      'TR-069 §A.3.2.1; TR-181 WiFi.SSID.{i}.SSID / TR-098 WLANConfiguration.{i}.SSID (string(32))',
    requires: REQUIRES,
    steps: [
      'Find the first SSID (WiFi.SSID.1.SSID or LANDevice.1.WLANConfiguration.1.SSID)',
      'Set it to a name of the lab’s; expect it read back; set the old name back',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, SSID);
      const before = (await readValues(ctx, [name])).get(name)?.value ?? '';
      const value = `corral-${labKey('s').slice(-8)}`;
      const answer = await set(ctx, name, value, 'string');
      ctx.expect(answer.kind === 'response', `the SSID accepted, got ${describeOutcome(answer)}`);
      try {
        const read = (await readValues(ctx, [name])).get(name)?.value;
        ctx.expect(read === value, `${name} = "${value}", got "${read}"`);
      } finally {
        await set(ctx, name, before, 'string');
      }
    },
  },
  {
    id: 'WIFI-002',
    area: AREA,
    title: 'The Wi-Fi passphrase reads as the empty string',
    clause:
      'TR-181 WiFi.AccessPoint.{i}.Security.KeyPassphrase / TR-098 KeyPassphrase ("when read, returns an empty string")',
    requires: { rpcs: ['GetParameterValues', 'GetParameterNames'] },
    steps: ['Find the first KeyPassphrase', 'Read it; expect ""'],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, PASSPHRASE);
      const value = (await readValues(ctx, [name])).get(name)?.value;
      ctx.expect(
        value === '',
        `"" for ${name}, got ${value === undefined ? 'no value' : `${value.length} characters`}`,
      );
    },
  },
  {
    id: 'WIFI-003',
    area: AREA,
    title: 'An SSID longer than 32 characters is refused with 9007, the old one kept',
    clause: 'TR-069 §A.3.2.1, Table 19 (9007); TR-181 / TR-098 SSID (string(32))',
    requires: REQUIRES,
    steps: ['Set the first SSID to 33 characters', 'Expect 9007 and the old SSID kept'],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, SSID);
      await refused(ctx, name, 'C'.repeat(33), 'string');
    },
  },
  {
    id: 'WIFI-004',
    area: AREA,
    title: 'A channel beyond 255 is refused with 9007, the old one kept',
    clause:
      'TR-069 §A.3.2.1, Table 19 (9007); TR-181 WiFi.Radio.{i}.Channel / TR-098 Channel (0..255)',
    requires: REQUIRES,
    steps: ['Set the first radio’s Channel to 256', 'Expect 9007 and the old channel kept'],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, CHANNEL);
      await refused(ctx, name, '256', 'unsignedInt');
    },
  },
];
