/**
 * Events and Inform, continued: periodic informs at PeriodicInformInterval (TR-069 §3.2.1, cwmp-spec §4.2), and
 * 0 BOOTSTRAP after a change of ManagementServer.URL (§3.7.1.5, Table 7) — destructive, since the DUT forgets what
 * it had to tell its old ACS. Both restore what they set.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { labKey, readValues } from './helpers.ts';

const AREA = 'Events and Inform';
const INTERVAL_S = 2;
/** The lab's margin on periodic timing: its latency, the DUT's timer granularity. */
const SLACK_MS = 1200;

function setValues(ctx: CaseContext, values: { name: string; value: string; type: string }[]) {
  return ctx.call({
    method: 'SetParameterValues',
    ParameterList: values,
    ParameterKey: labKey('inf'),
  });
}

const hasEvent = (
  session: { inform?: { body: { Event: { EventCode: string }[] } } },
  code: string,
) => (session.inform?.body.Event ?? []).some((e) => e.EventCode === code);

export const PERIODIC_AND_BOOTSTRAP_CASES: ConformanceCase[] = [
  {
    id: 'INF-011',
    area: AREA,
    title: 'Periodic informs come every PeriodicInformInterval, each with 2 PERIODIC',
    clause:
      'TR-069 §3.2.1 (periodic Inform), §3.7.1.5; TR-181 ManagementServer.PeriodicInformInterval',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      `Read PeriodicInformEnable and PeriodicInformInterval; set them to true and ${INTERVAL_S} s; end the session`,
      `Expect a session with 2 PERIODIC within ${INTERVAL_S} s (and a margin); end it`,
      `Expect the next with 2 PERIODIC ${INTERVAL_S} s after the first (± a margin)`,
      'Set the old values back',
    ],
    async run(ctx: CaseContext) {
      const ms = `${ctx.dut.root}ManagementServer.`;
      const enable = `${ms}PeriodicInformEnable`;
      const interval = `${ms}PeriodicInformInterval`;
      const before = await readValues(ctx, [enable, interval]);
      await setValues(ctx, [
        { name: enable, value: 'true', type: 'boolean' },
        { name: interval, value: String(INTERVAL_S), type: 'unsignedInt' },
      ]);
      try {
        ctx.endSession();
        const ended = Date.now();
        const first = await ctx.waitSession(INTERVAL_S * 1000 + SLACK_MS + 2000);
        const firstAt = Date.now();
        ctx.expect(hasEvent(first, '2 PERIODIC'), 'the first session to carry 2 PERIODIC');
        ctx.expect(
          firstAt - ended <= INTERVAL_S * 1000 + SLACK_MS,
          `the first periodic Inform within ${INTERVAL_S} s, came after ${((firstAt - ended) / 1000).toFixed(2)} s`,
        );
        ctx.endSession();
        const second = await ctx.waitSession(INTERVAL_S * 1000 + SLACK_MS + 2000);
        const gap = Date.now() - firstAt;
        ctx.note(`periodic Informs ${(gap / 1000).toFixed(2)} s apart`);
        ctx.expect(hasEvent(second, '2 PERIODIC'), 'the second session to carry 2 PERIODIC');
        ctx.expect(
          Math.abs(gap - INTERVAL_S * 1000) <= SLACK_MS,
          `periodic Informs ${INTERVAL_S} s apart, got ${(gap / 1000).toFixed(2)} s`,
        );
      } finally {
        await setValues(ctx, [
          { name: enable, value: before.get(enable)?.value ?? 'true', type: 'boolean' },
          { name: interval, value: before.get(interval)?.value ?? '3600', type: 'unsignedInt' },
        ]);
      }
    },
  },
  {
    id: 'INF-012',
    area: AREA,
    title: 'A change of ManagementServer.URL brings a session to the new URL with 0 BOOTSTRAP',
    clause: 'TR-069 §3.7.1.5, Table 7 (0 BOOTSTRAP: a new ACS URL)',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'], destructive: true },
    steps: [
      'Read ManagementServer.URL; set it to the lab at another path; end the session',
      'Expect a session at that path whose Inform carries 0 BOOTSTRAP',
      'Set the old URL back; take the DUT’s next session (a BOOTSTRAP to the old URL)',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}ManagementServer.URL`;
      const before = (await readValues(ctx, [name])).get(name)?.value ?? '';
      let moved: URL;
      try {
        moved = new URL(before);
      } catch {
        return ctx.skip(`ManagementServer.URL "${before}" is not a URL the lab can vary`);
      }
      moved.pathname = '/corral-bootstrap';
      await setValues(ctx, [{ name, value: moved.href, type: 'string' }]);
      let restored = false;
      try {
        ctx.endSession();
        const session = await ctx.waitSession(30_000);
        const codes = (session.inform?.body.Event ?? []).map((e) => e.EventCode);
        ctx.expect(codes.includes('0 BOOTSTRAP'), `0 BOOTSTRAP, got ${codes.join(' | ')}`);
        ctx.expect(
          session.path === '/corral-bootstrap',
          `the session at the new URL's path /corral-bootstrap, got ${session.path}`,
        );
        await setValues(ctx, [{ name, value: before, type: 'string' }]);
        restored = true;
        ctx.endSession();
        await ctx.waitSession(30_000);
      } finally {
        if (!restored) await setValues(ctx, [{ name, value: before, type: 'string' }]);
      }
    },
  },
];
