/**
 * TR-143 diagnostics as a device runs them (cwmp-spec.md §10): the ACS writes the test's inputs and
 * DiagnosticsState "Requested" in a session; once the session is over the device runs the test, writes its results
 * and DiagnosticsState "Complete" (or an Error_* state), and opens a session with "8 DIAGNOSTICS COMPLETE".
 * IPPing and TraceRoute (the system `ping` and `traceroute`, see ip-ping.ts and trace-route.ts), DownloadDiagnostics
 * and UploadDiagnostics, under Device:2's IP.Diagnostics or IGD:1's root — whichever the profile has (the IGD:1
 * profile has no TraceRouteDiagnostics). Results are written as the device's own values (no value-change notification: they are CAN_DENY
 * counters the ACS reads after the event).
 */
import { formatDateTime } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { httpDiagnostic } from './http-diagnostics.ts';
import { ipPing } from './ip-ping.ts';
import { traceRoute } from './trace-route.ts';

type Kind = 'ping' | 'traceroute' | 'download' | 'upload';

const KINDS: readonly { kind: Kind; paths: readonly string[] }[] = [
  { kind: 'ping', paths: ['IP.Diagnostics.IPPing.', 'IPPingDiagnostics.'] },
  { kind: 'traceroute', paths: ['IP.Diagnostics.TraceRoute.', 'TraceRouteDiagnostics.'] },
  { kind: 'download', paths: ['IP.Diagnostics.DownloadDiagnostics.', 'DownloadDiagnostics.'] },
  { kind: 'upload', paths: ['IP.Diagnostics.UploadDiagnostics.', 'UploadDiagnostics.'] },
];

export interface DiagnosticsOptions {
  now: () => number;
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Report the socket's byte counts as the test's payload bytes (a deviation, see DeviceBehaviour.diagnostics). */
  testBytesFromTotals?: boolean;
  /** Where a test that cannot run says why (default: console.warn). */
  log?: (line: string) => void;
}

/** The diagnostics objects whose DiagnosticsState is Requested. */
export function requestedDiagnostics(model: DeviceModel): { kind: Kind; path: string }[] {
  const out: { kind: Kind; path: string }[] = [];
  for (const { kind, paths } of KINDS) {
    for (const p of paths) {
      const state = `${model.root}${p}DiagnosticsState`;
      if (model.resolve(state)?.kind === 'parameter' && model.getValue(state) === 'Requested') {
        out.push({ kind, path: `${model.root}${p}` });
      }
    }
  }
  return out;
}

/**
 * The ACS wrote `written`: a diagnostics object with an input changed and no DiagnosticsState in the same request
 * goes back to None, its results no longer describing its inputs (TR-181 and TR-098 DiagnosticsState: "modifying
 * any of the writable parameters in this object except for this one MUST result in the value of this parameter
 * being set to None").
 */
export function resetChangedDiagnostics(model: DeviceModel, written: readonly string[]): void {
  const changed = new Set<string>();
  const stated = new Set<string>();
  for (const name of written) {
    for (const { paths } of KINDS) {
      for (const p of paths) {
        const object = `${model.root}${p}`;
        if (!name.startsWith(object)) continue;
        if (name === `${object}DiagnosticsState`) stated.add(object);
        else changed.add(object);
      }
    }
  }
  for (const object of changed) {
    const state = `${object}DiagnosticsState`;
    if (stated.has(object) || model.resolve(state)?.kind !== 'parameter') continue;
    model.setLocalValue(state, 'None', 'device');
  }
}

const running = new WeakMap<DeviceModel, Set<string>>();

/**
 * Starts every requested test not already running; `onComplete` is called after each one has written its results.
 * Returns how many started.
 */
export function startRequestedDiagnostics(
  model: DeviceModel,
  options: DiagnosticsOptions,
  onComplete: () => void,
): number {
  let started = 0;
  for (const test of requestedDiagnostics(model)) {
    let set = running.get(model);
    if (set?.has(test.path) === true) continue;
    if (set === undefined) {
      set = new Set();
      running.set(model, set);
    }
    set.add(test.path);
    started++;
    void runDiagnostic(model, test.kind, test.path, options).then(() => {
      set.delete(test.path);
      if (set.size === 0) running.delete(model);
      onComplete();
    });
  }
  return started;
}

/** Runs one test and writes its results. Never throws: a failure is an Error_* state. */
export async function runDiagnostic(
  model: DeviceModel,
  kind: Kind,
  path: string,
  options: DiagnosticsOptions,
): Promise<void> {
  const get = (name: string) =>
    model.resolve(path + name)?.kind === 'parameter' ? model.getValue(path + name) : '';
  const set = (name: string, value: string | number) => {
    if (model.resolve(path + name)?.kind === 'parameter')
      model.setLocalValue(path + name, String(value), 'device');
  };
  const start = options.now();
  const time = (offsetMs: number) =>
    formatDateTime(new Date(start + offsetMs), { milliseconds: true });
  try {
    if (kind === 'ping') {
      const r = await ipPing({
        host: get('Host'),
        protocolVersion: get('ProtocolVersion'),
        repetitions: Number(get('NumberOfRepetitions')) || 1,
        timeoutMs: Number(get('Timeout')) || 1000,
        ...optionalNumber('dataBlockSize', get('DataBlockSize')),
        ...optionalNumber('dscp', get('DSCP')),
        ...(options.log === undefined ? {} : { log: options.log }),
      });
      if (!r.ok) {
        set('DiagnosticsState', r.state);
        return;
      }
      set('IPAddressUsed', r.address);
      set('SuccessCount', r.successCount);
      set('FailureCount', r.failureCount);
      set('AverageResponseTime', Math.round(r.averageUs / 1000));
      set('MinimumResponseTime', Math.round(r.minimumUs / 1000));
      set('MaximumResponseTime', Math.round(r.maximumUs / 1000));
      set('AverageResponseTimeDetailed', r.averageUs);
      set('MinimumResponseTimeDetailed', r.minimumUs);
      set('MaximumResponseTimeDetailed', r.maximumUs);
      set('DiagnosticsState', 'Complete');
      return;
    }
    if (kind === 'traceroute') {
      await runTraceRoute(model, path, get, set, options);
      return;
    }
    const r = await httpDiagnostic(kind, get(kind === 'download' ? 'DownloadURL' : 'UploadURL'), {
      testFileLength: Number(get('TestFileLength')) || 0,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    if (!r.ok) {
      set('DiagnosticsState', r.state);
      return;
    }
    set('TCPOpenRequestTime', time(r.times.tcpOpenRequest));
    set('TCPOpenResponseTime', time(r.times.tcpOpenResponse));
    set('ROMTime', time(r.times.rom));
    set('BOMTime', time(r.times.bom));
    set('EOMTime', time(r.times.eom));
    const totals = kind === 'download' ? r.totalBytesReceived : r.totalBytesSent;
    set(
      kind === 'download' ? 'TestBytesReceived' : 'TestBytesSent',
      options.testBytesFromTotals === true ? totals : r.testBytes,
    );
    set('TotalBytesReceived', r.totalBytesReceived);
    set('TotalBytesSent', r.totalBytesSent);
    set('PeriodOfFullLoading', Math.round((r.times.eom - r.times.bom) * 1000));
    set('IPAddressUsed', r.localAddress);
    set('DiagnosticsState', 'Complete');
  } catch {
    set('DiagnosticsState', 'Error_Internal');
  }
}

function optionalNumber<K extends string>(key: K, value: string): { [k in K]?: number } {
  return value === '' || !Number.isFinite(Number(value))
    ? {}
    : ({ [key]: Number(value) } as { [k in K]?: number });
}

async function runTraceRoute(
  model: DeviceModel,
  path: string,
  get: (name: string) => string,
  set: (name: string, value: string | number) => void,
  options: DiagnosticsOptions,
): Promise<void> {
  // The previous test's hops go first: a failed test leaves none behind.
  const table = `${path}RouteHops.`;
  const hasTable = model.resolve(table)?.kind === 'table';
  if (hasTable) {
    for (const n of [...model.instances(table)]) model.deleteInstance(`${table}${n}.`, 'device');
  }
  set('ResponseTime', 0);
  const r = await traceRoute({
    host: get('Host'),
    protocolVersion: get('ProtocolVersion'),
    tries: Number(get('NumberOfTries')) || 3,
    timeoutMs: Number(get('Timeout')) || 5000,
    maxHopCount: Number(get('MaxHopCount')) || 30,
    ...optionalNumber('dataBlockSize', get('DataBlockSize')),
    ...optionalNumber('dscp', get('DSCP')),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  if (!r.ok) {
    set('DiagnosticsState', r.state);
    return;
  }
  set('IPAddressUsed', r.address);
  if (hasTable) {
    for (const hop of r.hops) {
      const n = model.addInstance(table, 'device');
      const hopSet = (name: string, value: string | number) => {
        if (model.resolve(`${table}${n}.${name}`)?.kind === 'parameter')
          model.setLocalValue(`${table}${n}.${name}`, String(value), 'device');
      };
      hopSet('Host', hop.host);
      hopSet('HostAddress', hop.hostAddress);
      hopSet('ErrorCode', hop.errorCode);
      if (hop.rtTimes.length > 0) hopSet('RTTimes', hop.rtTimes.join(','));
    }
  }
  set('ResponseTime', r.responseTime);
  set('DiagnosticsState', r.state);
}
