/**
 * Value-change notification (TR-069 §3.2.1, §A.3.2.4; cwmp-spec §7.3): a parameter with passive notification that
 * the DUT changed by itself is reported at its next Inform (4 VALUE CHANGE, the parameter with its new value in the
 * ParameterList); with active notification the DUT opens a session for it at once; with notification off it reports
 * nothing; a change the ACS made is never notified back; forced-inform parameters are no value change by being
 * there. The DUT's own change comes from --local-change-command (cases that need one skip without it), on the first
 * Wi-Fi SSID or --local-change-parameter. Every value and attribute is put back by the ACS's own writes.
 */
import type { Inform } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';
import type { DutSession } from '../dut-session.ts';
import { notificationOf, setAttributes } from './attribute-helpers.ts';
import { sessionWithEvent } from './event-session.ts';
import { describeOutcome, firstWritable, labKey, nextInform, readValues } from './helpers.ts';

const AREA = 'Value-change notification';
const ATTRIBUTES = [
  'GetParameterValues',
  'SetParameterValues',
  'GetParameterAttributes',
  'SetParameterAttributes',
];
const SSID = ['{root}WiFi.SSID.1.SSID', '{root}LANDevice.1.WLANConfiguration.1.SSID'];
/** The longest DefaultActiveNotificationThrottle the lab waits out. */
const MAX_THROTTLE_S = 60;

interface Subject {
  name: string;
  type: string;
  value: string;
  /** Its Notification before the case, to put back; undefined when the case leaves attributes alone. */
  notification?: number;
}

function requireLocalChange(ctx: CaseContext): void {
  if (!ctx.local.configured)
    ctx.skip('no --local-change-command: the lab cannot make the DUT change a value by itself');
}

/** The parameter the cases change: --local-change-parameter, else the first Wi-Fi SSID; its value and Notification. */
async function subject(
  ctx: CaseContext,
  candidates = ctx.local.parameter === undefined ? SSID : [ctx.local.parameter],
  attributes = true,
): Promise<Subject> {
  const name = await firstWritable(ctx, candidates);
  const read = (await readValues(ctx, [name])).get(name);
  ctx.expect(read !== undefined, `${name} in the GetParameterValues response`);
  if (!attributes) return { name, ...read };
  return { name, ...read, notification: (await notificationOf(ctx, name)) ?? 0 };
}

/** A new value of the subject's type (an SSID-sized string for strings). */
function another(s: Subject, tag: string): string {
  const type = s.type.replace(/^xsd:/, '');
  if (type === 'boolean') return s.value === 'true' || s.value === '1' ? 'false' : 'true';
  if (/int|long/i.test(type)) return String(Number(s.value) === 1 ? 2 : 1);
  return `corral-${tag}-${Date.now().toString(36).slice(-6)}`;
}

async function notify(ctx: CaseContext, name: string, notification: number): Promise<void> {
  const answer = await setAttributes(ctx, [{ name, notification }]);
  ctx.expect(
    answer.kind === 'response',
    `SetParameterAttributes(${name}, Notification ${notification}) to succeed, got ${describeOutcome(answer)}`,
  );
}

/** Runs `body`, then puts the subject's value and Notification back (the ACS's own writes: nothing to notify). */
async function restoring(ctx: CaseContext, s: Subject, body: () => Promise<void>): Promise<void> {
  const putBack = async () => {
    await ctx.call({
      method: 'SetParameterValues',
      ParameterList: [{ name: s.name, value: s.value, type: s.type }],
      ParameterKey: labKey('notif'),
    });
    if (s.notification !== undefined)
      await setAttributes(ctx, [{ name: s.name, notification: s.notification }]);
  };
  try {
    await body();
  } catch (error) {
    // A case that already failed keeps its own reason, whether or not the value could be put back.
    await putBack().catch(() => undefined);
    throw error;
  }
  await putBack();
}

function events(inform: Inform): string[] {
  return inform.Event.map((e) => e.EventCode);
}

function listed(inform: Inform, name: string): string[] {
  return inform.ParameterList.filter((p) => p.name === name).map((p) => p.value);
}

function expectReported(ctx: CaseContext, session: DutSession, name: string, value: string): void {
  const inform = session.inform?.body;
  ctx.expect(inform !== undefined, 'an Inform');
  ctx.expect(
    events(inform).includes('4 VALUE CHANGE'),
    `4 VALUE CHANGE, got ${events(inform).join(' | ')}`,
  );
  const values = listed(inform, name);
  ctx.expect(
    values.length === 1,
    `${name} once in the ParameterList, got it ${values.length} times`,
  );
  ctx.expect(
    values[0] === value,
    `${name} = ${JSON.stringify(value)}, got ${JSON.stringify(values[0])}`,
  );
}

function expectNotReported(ctx: CaseContext, session: DutSession, name: string): void {
  const inform = session.inform?.body;
  ctx.expect(inform !== undefined, 'an Inform');
  ctx.expect(
    listed(inform, name).length === 0,
    `${name} not in the ParameterList (events ${events(inform).join(' | ')})`,
  );
}

/** The ScheduleInform delay that gives the DUT's change time to happen before the Inform it must show in. */
const SCHEDULE_S = 3;

/**
 * The DUT's next Inform after `change` of `name` (run with no session open): ScheduleInform's, set off before the
 * session ends (connection requests are few: a DUT may take ten a minute), else a connection request's. A change
 * slower than the delay may have come after the scheduled Inform: unless that Inform lists `name`, a connection
 * request's is the one.
 */
async function nextInformAfter(
  ctx: CaseContext,
  name: string,
  change: () => Promise<void>,
): Promise<DutSession> {
  if (!ctx.dut.methods.includes('ScheduleInform')) {
    ctx.endSession();
    await change();
    return ctx.newSession();
  }
  await ctx.call({
    method: 'ScheduleInform',
    DelaySeconds: SCHEDULE_S,
    CommandKey: labKey('notif'),
  });
  ctx.endSession();
  const began = Date.now();
  await change();
  const took = Date.now() - began;
  const scheduled = await ctx.waitSession(SCHEDULE_S * 1000 + 30_000);
  if (took < SCHEDULE_S * 1000 - 500) return scheduled;
  if (scheduled.inform !== undefined && listed(scheduled.inform.body, name).length > 0)
    return scheduled;
  ctx.note(
    `the change took ${took} ms, past the ScheduleInform delay: asked again by a connection request`,
  );
  return ctx.newSession();
}

/** DefaultActiveNotificationThrottle in seconds (0 where the DUT has none); skips beyond what the lab waits. */
async function throttle(ctx: CaseContext): Promise<number> {
  const name = `${ctx.dut.root}ManagementServer.DefaultActiveNotificationThrottle`;
  const answer = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: [name] });
  if (answer.kind !== 'response' || answer.message.method !== 'GetParameterValuesResponse')
    return 0;
  const seconds = Number(answer.message.ParameterList[0]?.value) || 0;
  if (seconds > MAX_THROTTLE_S)
    ctx.skip(
      `DefaultActiveNotificationThrottle is ${seconds} s (the lab waits ${MAX_THROTTLE_S} s at most)`,
    );
  return seconds;
}

/**
 * The DUT changes `name` by itself, with active notification: the session it must open with 4 VALUE CHANGE. A
 * session for something else (a periodic Inform, one set off by an earlier case) is taken and ended on the way.
 */
async function activeSession(ctx: CaseContext, name: string, value: string): Promise<DutSession> {
  const wait = (await throttle(ctx)) * 1000 + 30_000;
  ctx.endSession();
  await ctx.local.change(name, value);
  const session = await sessionWithEvent(ctx, '4 VALUE CHANGE', wait);
  ctx.expect(
    session !== undefined,
    `a session with 4 VALUE CHANGE within ${wait / 1000} s of an actively notified change`,
  );
  return session;
}

export const VALUE_CHANGE_CASES: ConformanceCase[] = [
  {
    id: 'NOTIF-001',
    area: AREA,
    title: 'A change the DUT made to a passively notified parameter is reported at the next Inform',
    clause: 'TR-069 §3.2.1, §A.3.2.4 (Notification 1); cwmp-spec §7.3',
    requires: { rpcs: ATTRIBUTES },
    steps: [
      'Set Notification 1 on the first Wi-Fi SSID (or --local-change-parameter)',
      'End the session; have the DUT change it (--local-change-command)',
      'Take the next Inform (ScheduleInform set off before, else a connection request); expect 4 VALUE CHANGE and the new value',
      'Put the value and Notification back',
    ],
    async run(ctx: CaseContext) {
      requireLocalChange(ctx);
      const s = await subject(ctx);
      await notify(ctx, s.name, 1);
      await restoring(ctx, s, async () => {
        const value = another(s, 'pas');
        const session = await nextInformAfter(ctx, s.name, () => ctx.local.change(s.name, value));
        expectReported(ctx, session, s.name, value);
      });
    },
  },
  {
    id: 'NOTIF-002',
    area: AREA,
    title:
      'A change the DUT made to an actively notified parameter opens a session with 4 VALUE CHANGE',
    clause:
      'TR-069 §3.2.1, §A.3.2.4 (Notification 2); cwmp-spec §7.3 (DefaultActiveNotificationThrottle)',
    requires: { rpcs: ATTRIBUTES },
    steps: [
      'Set Notification 2 on the parameter',
      'End the session; have the DUT change it',
      'Expect the DUT to open a session (within DefaultActiveNotificationThrottle + 30 s) with 4 VALUE CHANGE and the new value',
      'Put the value and Notification back',
    ],
    async run(ctx: CaseContext) {
      requireLocalChange(ctx);
      const s = await subject(ctx);
      await notify(ctx, s.name, 2);
      await restoring(ctx, s, async () => {
        const value = another(s, 'act');
        expectReported(ctx, await activeSession(ctx, s.name, value), s.name, value);
      });
    },
  },
  {
    id: 'NOTIF-003',
    area: AREA,
    title: 'A change the DUT made to a parameter with notification off is not reported',
    clause: 'TR-069 §A.3.2.4 (Notification 0)',
    requires: { rpcs: ATTRIBUTES },
    steps: [
      'Set Notification 0 on the parameter',
      'End the session; have the DUT change it',
      'Take the next Inform (ScheduleInform set off before, else a connection request)',
      'Expect the parameter not in its ParameterList',
      'Put the value and Notification back',
    ],
    async run(ctx: CaseContext) {
      requireLocalChange(ctx);
      const s = await subject(ctx);
      await notify(ctx, s.name, 0);
      await restoring(ctx, s, async () => {
        // A DUT that opened a session for the change would show it in the first Inform that comes.
        const session = await nextInformAfter(ctx, s.name, () =>
          ctx.local.change(s.name, another(s, 'off')),
        );
        expectNotReported(ctx, session, s.name);
      });
    },
  },
  {
    id: 'NOTIF-004',
    area: AREA,
    title: 'A change the ACS made is not notified back, even with active notification',
    clause: 'TR-069 §A.3.2.4 (changes by the ACS are not notified); cwmp-spec §7.3',
    requires: { rpcs: [...ATTRIBUTES, 'GetParameterNames'] },
    steps: [
      'Set Notification 2 on the parameter; set a new value with SetParameterValues',
      'Set off the next session (ScheduleInform, else a connection request)',
      'Expect the parameter not in its Inform',
      'Put the value and Notification back',
    ],
    async run(ctx: CaseContext) {
      const s = await subject(ctx);
      await notify(ctx, s.name, 2);
      await restoring(ctx, s, async () => {
        await ctx.call({
          method: 'SetParameterValues',
          ParameterList: [{ name: s.name, value: another(s, 'acs'), type: s.type }],
          ParameterKey: labKey('notif'),
        });
        const session = await nextInform(ctx);
        session.informResponse();
        await session.waitEmptyPost();
        expectNotReported(ctx, session, s.name);
      });
    },
  },
  {
    id: 'NOTIF-005',
    area: AREA,
    title: 'Forced-inform parameters are in every Inform without being a value change',
    clause: 'TR-069 §3.2.1 (forced inform parameters); cwmp-spec §7.3, §7.4',
    requires: {},
    steps: [
      'Set off the next session (ScheduleInform, else a connection request); nothing has changed since the last',
      'Expect its Inform without 4 VALUE CHANGE',
    ],
    async run(ctx: CaseContext) {
      const session = await nextInform(ctx);
      session.informResponse();
      await session.waitEmptyPost();
      const inform = session.inform!.body;
      ctx.expect(
        !events(inform).includes('4 VALUE CHANGE'),
        `no 4 VALUE CHANGE, got ${events(inform).join(' | ')} with ${inform.ParameterList.map((p) => p.name).join(', ')}`,
      );
    },
  },
  {
    id: 'NOTIF-006',
    area: AREA,
    title:
      'A change the DUT made to a forced-inform, forced-active parameter (ProvisioningCode) opens a session',
    clause:
      'TR-069 §3.2.1; TR-181/TR-098 DeviceInfo.ProvisioningCode (forcedInform, activeNotify forceEnabled)',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      'End the session; have the DUT change DeviceInfo.ProvisioningCode',
      'Expect a session with 4 VALUE CHANGE and the new ProvisioningCode, once in the ParameterList',
      'Put the value back',
    ],
    async run(ctx: CaseContext) {
      requireLocalChange(ctx);
      const s = await subject(ctx, ['{root}DeviceInfo.ProvisioningCode'], false);
      await restoring(ctx, s, async () => {
        const value = another(s, 'pc');
        expectReported(ctx, await activeSession(ctx, s.name, value), s.name, value);
      });
    },
  },
  {
    id: 'NOTIF-007',
    area: AREA,
    title: 'Two changes before the next Inform are reported once, with the latest value',
    clause: 'TR-069 §A.3.2.4; cwmp-spec §7.3 (several changes collapse into one entry)',
    requires: { rpcs: ATTRIBUTES },
    steps: [
      'Set Notification 1 on the parameter',
      'End the session; have the DUT change it twice',
      'Take the next Inform; expect 4 VALUE CHANGE and the parameter once, with the second value',
      'Put the value and Notification back',
    ],
    async run(ctx: CaseContext) {
      requireLocalChange(ctx);
      const s = await subject(ctx);
      await notify(ctx, s.name, 1);
      await restoring(ctx, s, async () => {
        const first = another(s, 'one');
        const second = another({ ...s, value: first }, 'two');
        const session = await nextInformAfter(ctx, s.name, async () => {
          await ctx.local.change(s.name, first);
          await ctx.local.change(s.name, second);
        });
        expectReported(ctx, session, s.name, second);
      });
    },
  },
];
