/**
 * TR-143 diagnostics (cwmp-spec §10; TR-181 Device.IP.Diagnostics.*, TR-098 IPPingDiagnostics. …): the lab writes a
 * test's inputs and DiagnosticsState Requested in one SetParameterValues, ends the session, and expects the DUT to
 * run the test and open a session with 8 DIAGNOSTICS COMPLETE; then it reads the results and holds them to what it
 * knows: a ping and a trace route of the lab's own address, a download of a file the lab serves, an upload to the
 * lab — the byte counts what the lab served or received, the times in order. Device:2 or IGD:1 paths, whichever
 * the DUT has; the case skips when it has neither.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { sessionWithEvent } from './event-session.ts';
import { labKey } from './helpers.ts';
import { labHost } from './lab-address.ts';

const AREA = 'TR-143 diagnostics';
const REQUIRES = { rpcs: ['GetParameterValues', 'SetParameterValues', 'GetParameterNames'] };
/** The test runs after the session; a loaded DUT (or ping's own timeouts) may take a while. */
const COMPLETE_WITHIN_MS = 60_000;
const UNKNOWN_TIME = '0001-01-01T00:00:00Z';

const OBJECTS = {
  ping: ['{root}IP.Diagnostics.IPPing.', '{root}IPPingDiagnostics.'],
  traceroute: ['{root}IP.Diagnostics.TraceRoute.', '{root}TraceRouteDiagnostics.'],
  download: ['{root}IP.Diagnostics.DownloadDiagnostics.', '{root}DownloadDiagnostics.'],
  upload: ['{root}IP.Diagnostics.UploadDiagnostics.', '{root}UploadDiagnostics.'],
} as const;

/** A diagnostics object the DUT has: its path and its values (with their types) by relative name. */
interface Diagnostic {
  path: string;
  values: Map<string, { value: string; type: string }>;
}

async function read(ctx: CaseContext, path: string): Promise<Diagnostic['values']> {
  const answer = await ctx.call({ method: 'GetParameterValues', ParameterNames: [path] });
  return new Map(
    answer.ParameterList.filter((p) => p.name.startsWith(path)).map((p) => [
      p.name.slice(path.length),
      { value: p.value, type: p.type },
    ]),
  );
}

/** The first of the kind's objects the DUT has, or the case skips. */
async function diagnostic(ctx: CaseContext, kind: keyof typeof OBJECTS): Promise<Diagnostic> {
  const candidates = OBJECTS[kind].map((p) => p.replace('{root}', ctx.dut.root));
  for (const path of candidates) {
    const answer = await ctx.rpc({
      method: 'GetParameterNames',
      ParameterPath: path,
      NextLevel: true,
    });
    if (answer.kind === 'response') return { path, values: await read(ctx, path) };
  }
  return ctx.skip(`the DUT has none of ${candidates.join(', ')}`);
}

/**
 * Writes the inputs the DUT has (with the types it reports) and DiagnosticsState Requested, ends the session, takes
 * the session with 8 DIAGNOSTICS COMPLETE and returns the object's values then.
 */
async function run(
  ctx: CaseContext,
  d: Diagnostic,
  inputs: Record<string, string>,
): Promise<Diagnostic['values']> {
  const list = Object.entries(inputs)
    .filter(([name]) => d.values.has(name))
    .map(([name, value]) => ({ name: d.path + name, value, type: d.values.get(name)!.type }));
  list.push({
    name: `${d.path}DiagnosticsState`,
    value: 'Requested',
    type: d.values.get('DiagnosticsState')?.type ?? 'string',
  });
  await ctx.call({
    method: 'SetParameterValues',
    ParameterList: list,
    ParameterKey: labKey('diag'),
  });
  ctx.endSession();
  const session = await sessionWithEvent(ctx, '8 DIAGNOSTICS COMPLETE', COMPLETE_WITHIN_MS);
  ctx.expect(
    session !== undefined,
    `a session with 8 DIAGNOSTICS COMPLETE within ${COMPLETE_WITHIN_MS / 1000} s`,
  );
  return read(ctx, d.path);
}

const num = (values: Diagnostic['values'], name: string) => Number(values.get(name)?.value);

function expectComplete(ctx: CaseContext, values: Diagnostic['values']): void {
  const state = values.get('DiagnosticsState')?.value;
  ctx.expect(
    state === 'Complete' || state === 'Completed',
    `DiagnosticsState Complete, got ${state}`,
  );
}

/** A dateTime in microseconds since the epoch (TR-143 times carry microseconds); NaN if it is not one. */
export function microseconds(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?$/.exec(text);
  if (m === null) return Number.NaN;
  const whole = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  return whole * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** The transfer's times: known, and in the order TR-143 defines them. */
function expectTimesInOrder(ctx: CaseContext, values: Diagnostic['values']): void {
  const names = ['TCPOpenRequestTime', 'TCPOpenResponseTime', 'ROMTime', 'BOMTime', 'EOMTime'];
  const present = names.filter((n) => values.has(n));
  for (const n of present) {
    const text = values.get(n)!.value;
    ctx.expect(
      text !== UNKNOWN_TIME && !Number.isNaN(microseconds(text)),
      `${n} a known time, got ${text}`,
    );
  }
  for (let i = 1; i < present.length; i++) {
    const [a, b] = [present[i - 1]!, present[i]!];
    ctx.expect(
      microseconds(values.get(a)!.value) <= microseconds(values.get(b)!.value),
      `${a} ≤ ${b}, got ${values.get(a)!.value} and ${values.get(b)!.value}`,
    );
  }
}

export const DIAGNOSTICS_CASES: ConformanceCase[] = [
  {
    id: 'DIAG-001',
    area: AREA,
    title:
      'IPPing of the lab’s address completes with 8 DIAGNOSTICS COMPLETE and plausible results',
    clause: 'TR-143 §4 (IPPing); TR-069 §3.7.1.5 (8 DIAGNOSTICS COMPLETE); cwmp-spec §10',
    requires: REQUIRES,
    steps: [
      'Set IPPing Host to the lab’s address, NumberOfRepetitions 3, Timeout 2000, DiagnosticsState Requested',
      `End the session; expect a session with 8 DIAGNOSTICS COMPLETE within ${COMPLETE_WITHIN_MS / 1000} s`,
      'Expect Complete, SuccessCount > 0, SuccessCount + FailureCount = 3, Minimum ≤ Average ≤ Maximum',
    ],
    async run(ctx: CaseContext) {
      const d = await diagnostic(ctx, 'ping');
      const v = await run(ctx, d, {
        Host: labHost(ctx),
        NumberOfRepetitions: '3',
        Timeout: '2000',
      });
      expectComplete(ctx, v);
      const [ok, failed] = [num(v, 'SuccessCount'), num(v, 'FailureCount')];
      ctx.expect(ok > 0, `SuccessCount > 0 for the lab's own address, got ${ok}`);
      ctx.expect(ok + failed === 3, `SuccessCount + FailureCount = 3, got ${ok} + ${failed}`);
      const [min, avg, max] = ['Minimum', 'Average', 'Maximum'].map((k) =>
        num(v, `${k}ResponseTime`),
      );
      ctx.expect(
        min! <= avg! && avg! <= max!,
        `Minimum ≤ Average ≤ Maximum, got ${min}, ${avg}, ${max}`,
      );
      ctx.note(`IPAddressUsed ${v.get('IPAddressUsed')?.value ?? '(none)'}; average ${avg} ms`);
    },
  },
  {
    id: 'DIAG-002',
    area: AREA,
    title: 'TraceRoute to the lab’s address completes and its last hop is the lab',
    clause: 'TR-143 §5 (TraceRoute); TR-181 IP.Diagnostics.TraceRoute.RouteHops',
    requires: REQUIRES,
    steps: [
      'Set TraceRoute Host to the lab’s address, NumberOfTries 1, Timeout 2000, MaxHopCount 30, DiagnosticsState Requested',
      'End the session; expect a session with 8 DIAGNOSTICS COMPLETE',
      'Expect Complete, at least one hop, the last one the lab’s address',
    ],
    async run(ctx: CaseContext) {
      const d = await diagnostic(ctx, 'traceroute');
      const host = labHost(ctx);
      const v = await run(ctx, d, {
        Host: host,
        NumberOfTries: '1',
        Timeout: '2000',
        MaxHopCount: '30',
      });
      expectComplete(ctx, v);
      const hops = [...v.keys()]
        .map((k) => /^RouteHops\.(\d+)\.HostAddress$/.exec(k)?.[1])
        .filter((n) => n !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      ctx.expect(hops.length > 0, 'at least one RouteHops entry');
      const entries = num(v, 'RouteHopsNumberOfEntries');
      if (v.has('RouteHopsNumberOfEntries'))
        ctx.expect(
          entries === hops.length,
          `RouteHopsNumberOfEntries ${hops.length}, got ${entries}`,
        );
      const last = hops.at(-1);
      const address = v.get(`RouteHops.${last}.HostAddress`)?.value;
      const name = v.get(`RouteHops.${last}.Host`)?.value;
      ctx.expect(
        address === host || name === host,
        `the last hop ${host}, got ${address} (${name})`,
      );
    },
  },
  {
    id: 'DIAG-003',
    area: AREA,
    title: 'DownloadDiagnostics of a file the lab serves counts its bytes, with its times in order',
    clause: 'TR-143 §6 (DownloadDiagnostics: TestBytesReceived, ROMTime ≤ BOMTime ≤ EOMTime)',
    requires: REQUIRES,
    steps: [
      'Offer 256 KiB at a lab URL; set DownloadURL to it, DiagnosticsState Requested',
      'End the session; expect a session with 8 DIAGNOSTICS COMPLETE',
      'Expect Complete, the lab asked for the file, TestBytesReceived = 262144, TotalBytesReceived ≥ that, TCPOpenRequestTime ≤ TCPOpenResponseTime ≤ ROMTime ≤ BOMTime ≤ EOMTime',
    ],
    async run(ctx: CaseContext) {
      const d = await diagnostic(ctx, 'download');
      const size = 256 * 1024;
      const name = `diag-download-${labKey('d').slice(-8)}.bin`;
      ctx.files.offer(name, Buffer.alloc(size, 0x43));
      const v = await run(ctx, d, { DownloadURL: ctx.files.url(name) });
      expectComplete(ctx, v);
      ctx.expect(ctx.files.requests(name) > 0, 'the DUT to fetch the file from the lab');
      if (v.has('TestBytesReceived'))
        ctx.expect(
          num(v, 'TestBytesReceived') === size,
          `TestBytesReceived ${size}, got ${num(v, 'TestBytesReceived')}`,
        );
      if (v.has('TotalBytesReceived'))
        ctx.expect(
          num(v, 'TotalBytesReceived') >= size,
          `TotalBytesReceived ≥ ${size}, got ${num(v, 'TotalBytesReceived')}`,
        );
      expectTimesInOrder(ctx, v);
    },
  },
  {
    id: 'DIAG-004',
    area: AREA,
    title: 'UploadDiagnostics to the lab sends TestFileLength bytes, with its times in order',
    clause: 'TR-143 §7 (UploadDiagnostics: TestFileLength, TestBytesSent)',
    requires: REQUIRES,
    steps: [
      'Set UploadURL to a lab URL, TestFileLength 131072, DiagnosticsState Requested',
      'End the session; expect a session with 8 DIAGNOSTICS COMPLETE',
      'Expect Complete, the lab received 131072 bytes, TestBytesSent = 131072, TotalBytesSent ≥ that, the times in order',
    ],
    async run(ctx: CaseContext) {
      const d = await diagnostic(ctx, 'upload');
      const size = 128 * 1024;
      const name = `diag-upload-${labKey('u').slice(-8)}.bin`;
      const v = await run(ctx, d, { UploadURL: ctx.files.url(name), TestFileLength: String(size) });
      expectComplete(ctx, v);
      const got = ctx.files.received(name)?.length;
      ctx.expect(got === size, `the lab to receive ${size} bytes, got ${got ?? 'nothing'}`);
      if (v.has('TestBytesSent'))
        ctx.expect(
          num(v, 'TestBytesSent') === size,
          `TestBytesSent ${size}, got ${num(v, 'TestBytesSent')}`,
        );
      if (v.has('TotalBytesSent'))
        ctx.expect(
          num(v, 'TotalBytesSent') >= size,
          `TotalBytesSent ≥ ${size}, got ${num(v, 'TotalBytesSent')}`,
        );
      expectTimesInOrder(ctx, v);
    },
  },
  {
    id: 'DIAG-005',
    area: AREA,
    title:
      'A download the lab refuses (404) ends in an Error state, still with 8 DIAGNOSTICS COMPLETE',
    clause: 'TR-143 §6 (DiagnosticsState Error_*); cwmp-spec §10 (the event on success or error)',
    requires: REQUIRES,
    steps: [
      'Set DownloadURL to a lab URL that answers 404, DiagnosticsState Requested',
      'End the session; expect a session with 8 DIAGNOSTICS COMPLETE',
      'Expect DiagnosticsState Error_… (not Complete)',
    ],
    async run(ctx: CaseContext) {
      const d = await diagnostic(ctx, 'download');
      const name = `diag-missing-${labKey('m').slice(-8)}.bin`;
      ctx.files.offer(name, '', 404);
      const v = await run(ctx, d, { DownloadURL: ctx.files.url(name) });
      const state = v.get('DiagnosticsState')?.value ?? '';
      ctx.expect(/^Error/.test(state), `an Error state, got ${state}`);
    },
  },
  {
    id: 'DIAG-006',
    area: AREA,
    title: 'Writing a test input without Requested sets DiagnosticsState back to None',
    clause:
      'TR-181 IP.Diagnostics.IPPing.DiagnosticsState (a changed input makes it None); cwmp-spec §10',
    requires: REQUIRES,
    steps: [
      'Run IPPing of the lab’s address to Complete (as DIAG-001)',
      'Set its NumberOfRepetitions to 2 alone',
      'Expect DiagnosticsState None',
    ],
    async run(ctx: CaseContext) {
      const d = await diagnostic(ctx, 'ping');
      const v = await run(ctx, d, {
        Host: labHost(ctx),
        NumberOfRepetitions: '1',
        Timeout: '2000',
      });
      expectComplete(ctx, v);
      await ctx.call({
        method: 'SetParameterValues',
        ParameterList: [
          {
            name: `${d.path}NumberOfRepetitions`,
            value: '2',
            type: v.get('NumberOfRepetitions')?.type ?? 'unsignedInt',
          },
        ],
        ParameterKey: labKey('diag'),
      });
      const state = (await read(ctx, d.path)).get('DiagnosticsState')?.value;
      ctx.expect(state === 'None', `DiagnosticsState None after an input changed, got ${state}`);
    },
  },
];
