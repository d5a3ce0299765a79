/** Events and Inform: what the DUT's Inform must carry (TR-069 §3.7.1.5, §A.3.3.1; cwmp-spec §3, §7.4). */
import { readDateTime } from '../../cwmp/index.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';

const AREA = 'Events and Inform';

/** The forced-inform parameters each root's Inform must carry (cwmp-spec §7.4). */
const FORCED_INFORM: Record<string, string[]> = {
  'Device.': [
    'Device.RootDataModelVersion',
    'Device.DeviceInfo.HardwareVersion',
    'Device.DeviceInfo.SoftwareVersion',
    'Device.DeviceInfo.ProvisioningCode',
    'Device.ManagementServer.ParameterKey',
    'Device.ManagementServer.ConnectionRequestURL',
  ],
  'InternetGatewayDevice.': [
    'InternetGatewayDevice.DeviceSummary',
    'InternetGatewayDevice.DeviceInfo.SpecVersion',
    'InternetGatewayDevice.DeviceInfo.HardwareVersion',
    'InternetGatewayDevice.DeviceInfo.SoftwareVersion',
    'InternetGatewayDevice.DeviceInfo.ProvisioningCode',
    'InternetGatewayDevice.ManagementServer.ParameterKey',
    'InternetGatewayDevice.ManagementServer.ConnectionRequestURL',
  ],
};

/** EventCodeType (cwmp-1-2.xsd): numbered, M method, X vendor. */
const EVENT_CODE = /^(?:\d+( \S+)+|M \S+|X [0-9A-F]{6} .+|X \S+ .+)$/;

/** Events that may occur once in an Inform (cwmp-spec §3, "Single"). */
const SINGLE_EVENTS = [
  '0 BOOTSTRAP',
  '1 BOOT',
  '2 PERIODIC',
  '3 SCHEDULED',
  '4 VALUE CHANGE',
  '6 CONNECTION REQUEST',
];

export const INFORM_CASES: ConformanceCase[] = [
  {
    id: 'INF-001',
    area: AREA,
    title: 'The Inform carries the forced-inform parameters of the DUT’s root object',
    clause: 'TR-069 §A.3.3.1; TR-181 / TR-098 forcedInform',
    requires: {},
    steps: [
      'Take the run’s first Inform',
      'Expect every forced-inform parameter of its root in ParameterList',
    ],
    async run(ctx: CaseContext) {
      const required = FORCED_INFORM[ctx.dut.root];
      if (required === undefined) return ctx.skip(`no forced-inform list for root ${ctx.dut.root}`);
      const names = new Set(ctx.dut.firstInform.body.ParameterList.map((p) => p.name));
      const missing = required.filter((n) => !names.has(n));
      ctx.expect(missing.length === 0, `the Inform to carry ${missing.join(', ')}`);
    },
  },
  {
    id: 'INF-002',
    area: AREA,
    title: 'The DeviceId matches DeviceInfo and its OUI is six hex digits',
    clause: 'TR-069 §A.3.3.1 (DeviceIdStruct)',
    requires: {},
    steps: [
      'Take the first Inform’s DeviceId',
      'Expect OUI [0-9A-F]{6} and a non-empty SerialNumber',
      'Read DeviceInfo.ManufacturerOUI and SerialNumber; expect the same values',
    ],
    async run(ctx: CaseContext) {
      const id = ctx.dut.firstInform.body.DeviceId;
      ctx.expect(/^[0-9A-F]{6}$/.test(id.OUI), `OUI of six upper-case hex digits, got "${id.OUI}"`);
      ctx.expect(id.SerialNumber !== '', 'a non-empty SerialNumber');
      const info = `${ctx.dut.root}DeviceInfo.`;
      const answer = await ctx.call({
        method: 'GetParameterValues',
        ParameterNames: [`${info}ManufacturerOUI`, `${info}SerialNumber`],
      });
      const value = (n: string) =>
        answer.ParameterList.find((p) => p.name === `${info}${n}`)?.value;
      ctx.expect(value('ManufacturerOUI') === id.OUI, `DeviceInfo.ManufacturerOUI = "${id.OUI}"`);
      ctx.expect(
        value('SerialNumber') === id.SerialNumber,
        `DeviceInfo.SerialNumber = "${id.SerialNumber}"`,
      );
    },
  },
  {
    id: 'INF-003',
    area: AREA,
    title: 'Event codes are well-formed, single events appear once',
    clause: 'TR-069 §3.7.1.5, Table 7; cwmp-1-2.xsd EventCodeType',
    requires: {},
    steps: [
      'Take the first Inform',
      'Expect at least one event, each code well-formed, no single event twice',
    ],
    async run(ctx: CaseContext) {
      const events = ctx.dut.firstInform.body.Event.map((e) => e.EventCode);
      ctx.expect(events.length > 0, 'at least one EventStruct');
      ctx.expect(events.length <= 64, `at most 64 events, got ${events.length}`);
      for (const code of events)
        ctx.expect(EVENT_CODE.test(code), `a valid EventCode, got "${code}"`);
      for (const single of SINGLE_EVENTS)
        ctx.expect(
          events.filter((e) => e === single).length <= 1,
          `"${single}" at most once, got ${events.join(' | ')}`,
        );
    },
  },
  {
    id: 'INF-004',
    area: AREA,
    title: 'CurrentTime is a valid dateTime',
    clause: 'TR-069 §A.2.1 (dateTime), §A.3.3.1',
    requires: {},
    steps: [
      'Take the first Inform',
      'Expect CurrentTime to be an ISO 8601 dateTime with a time zone or UTC',
    ],
    async run(ctx: CaseContext) {
      const raw = String(ctx.dut.firstInform.body.CurrentTime);
      const read = readDateTime(raw);
      ctx.expect(read.ok, `a valid dateTime, got "${raw}"`);
      ctx.expect(
        read.warning === undefined,
        `a dateTime without tolerated quirks, got "${raw}" (${read.warning ?? ''})`,
      );
    },
  },
  {
    id: 'INF-005',
    area: AREA,
    title: 'MaxEnvelopes is 1',
    clause: 'TR-069 §A.3.3.1 (MaxEnvelopes, Amendment 1 on)',
    requires: {},
    steps: ['Take the first Inform', 'Expect MaxEnvelopes = 1'],
    async run(ctx: CaseContext) {
      const max = Number(ctx.dut.firstInform.body.MaxEnvelopes);
      ctx.expect(max === 1, `MaxEnvelopes 1, got ${max}`);
    },
  },
  {
    id: 'INF-006',
    area: AREA,
    title: 'RetryCount is 0 on a session’s first attempt',
    clause: 'TR-069 §3.2.1.1, §A.3.3.1 (RetryCount)',
    requires: {},
    steps: ['Ask the DUT to call in', 'Expect RetryCount 0 and 6 CONNECTION REQUEST in its Inform'],
    async run(ctx: CaseContext) {
      const session = await ctx.newSession();
      const count = Number(session.inform!.body.RetryCount);
      ctx.expect(count === 0, `RetryCount 0, got ${count}`);
      const events = session.inform!.body.Event.map((e) => e.EventCode);
      ctx.expect(
        events.includes('6 CONNECTION REQUEST'),
        `6 CONNECTION REQUEST, got ${events.join(' | ')}`,
      );
    },
  },
  {
    id: 'INF-007',
    area: AREA,
    title: 'The Inform’s ParameterKey is the one ManagementServer.ParameterKey holds',
    clause: 'TR-069 §A.3.3.1; TR-181 ManagementServer.ParameterKey (forced inform)',
    requires: { rpcs: ['GetParameterValues'] },
    steps: [
      'Ask the DUT to call in; take ManagementServer.ParameterKey from its Inform',
      'Read ManagementServer.ParameterKey; expect the same value',
    ],
    async run(ctx: CaseContext) {
      const name = `${ctx.dut.root}ManagementServer.ParameterKey`;
      const session = await ctx.newSession();
      const informed = session.inform?.body.ParameterList.find((p) => p.name === name);
      ctx.expect(informed !== undefined, `${name} in the Inform`);
      const answer = await ctx.call({ method: 'GetParameterValues', ParameterNames: [name] });
      const read = answer.ParameterList.find((p) => p.name === name)?.value;
      ctx.expect(read === informed.value, `${name} "${informed.value}" as informed, got "${read}"`);
    },
  },
  {
    id: 'INF-008',
    area: AREA,
    title: 'The Inform’s parameter values are the ones GetParameterValues reads',
    clause: 'TR-069 §A.3.3.1 (ParameterList), §A.3.2.2',
    requires: { rpcs: ['GetParameterValues'] },
    steps: [
      'Take the Inform of the session in hand',
      'Read every parameter it carried (but ParameterKey, which a set in the session may change)',
      'Expect the same values',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      const informed = (session.inform?.body.ParameterList ?? []).filter(
        (p) => !p.name.endsWith('ManagementServer.ParameterKey'),
      );
      ctx.expect(informed.length > 0, 'parameters in the Inform');
      const answer = await ctx.call({
        method: 'GetParameterValues',
        ParameterNames: informed.map((p) => p.name),
      });
      const read = new Map(answer.ParameterList.map((p) => [p.name, p.value]));
      for (const p of informed)
        ctx.expect(
          read.get(p.name) === p.value,
          `${p.name} "${p.value}" as informed, got "${read.get(p.name)}"`,
        );
    },
  },
  {
    id: 'INF-009',
    area: AREA,
    title: 'The DeviceId’s Manufacturer and ProductClass are DeviceInfo’s',
    clause: 'TR-069 §A.3.3.1 (DeviceIdStruct)',
    requires: { rpcs: ['GetParameterValues'] },
    steps: [
      'Take the first Inform’s DeviceId',
      'Read DeviceInfo.Manufacturer and DeviceInfo.ProductClass; expect the same values',
    ],
    async run(ctx: CaseContext) {
      const id = ctx.dut.firstInform.body.DeviceId;
      const info = `${ctx.dut.root}DeviceInfo.`;
      const answer = await ctx.call({
        method: 'GetParameterValues',
        ParameterNames: [`${info}Manufacturer`, `${info}ProductClass`],
      });
      const value = (n: string) =>
        answer.ParameterList.find((p) => p.name === `${info}${n}`)?.value;
      ctx.expect(
        value('Manufacturer') === String(id.Manufacturer ?? ''),
        `DeviceInfo.Manufacturer = "${id.Manufacturer}", got "${value('Manufacturer')}"`,
      );
      ctx.expect(
        value('ProductClass') === String(id.ProductClass ?? ''),
        `DeviceInfo.ProductClass = "${id.ProductClass}", got "${value('ProductClass')}"`,
      );
    },
  },
  {
    id: 'INF-010',
    area: AREA,
    title: 'Only "M" events carry a CommandKey',
    clause: 'TR-069 §3.7.1.5, §A.3.3.1 (EventStruct CommandKey)',
    requires: {},
    steps: [
      'Take the first Inform and the Inform of the session in hand',
      'Expect an empty CommandKey on every event not of the form "M <method>"',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      const events = [...ctx.dut.firstInform.body.Event, ...(session.inform?.body.Event ?? [])];
      for (const e of events)
        if (!e.EventCode.startsWith('M '))
          ctx.expect(
            (e.CommandKey ?? '') === '',
            `an empty CommandKey on "${e.EventCode}", got "${e.CommandKey}"`,
          );
    },
  },
  {
    id: 'INF-013',
    area: AREA,
    title: 'A later session’s Inform carries the forced-inform parameters too',
    clause: 'TR-069 §A.3.3.1; TR-181 / TR-098 forcedInform (in every Inform)',
    requires: {},
    steps: [
      'Take the Inform of the session in hand (a later one than the run’s first, where the run has had one)',
      'Expect every forced-inform parameter of its root in ParameterList',
    ],
    async run(ctx: CaseContext) {
      const required = FORCED_INFORM[ctx.dut.root];
      if (required === undefined) return ctx.skip(`no forced-inform list for root ${ctx.dut.root}`);
      const session = await ctx.session();
      const names = new Set((session.inform?.body.ParameterList ?? []).map((p) => p.name));
      const missing = required.filter((n) => !names.has(n));
      ctx.expect(missing.length === 0, `the Inform to carry ${missing.join(', ')}`);
    },
  },
];
