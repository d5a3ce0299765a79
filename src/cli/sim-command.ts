import { readFile } from 'node:fs/promises';
import type { DeviceBehaviour } from '../cpe/device/behaviour.ts';
import { LocalControl } from '../cpe/device/local-control.ts';
import { Fleet, type FleetOptions } from '../cpe/fleet/fleet.ts';
import { loadProfile, ProfileLoadError } from '../cpe/fleet/load-profile.ts';
import { jsonSummary, liveLine, progressBar, summary } from '../cpe/fleet/progress.ts';
import { CWMP_VERSIONS, type CwmpVersion } from '../cwmp/index.ts';
import { type OptionSpec, parseCommandLine, UsageError } from './args.ts';

export const SIM_USAGE = `usage: corral sim --devices N --acs URL [options]

Runs N simulated CPEs in this process against the ACS at URL.

  --devices N            how many devices
  --acs URL              the ACS (http or https)
  --profile NAME|FILE    device2 (default), igd, a parameter dump (.json, GenieACS .csv), or a BBF data-model
                         .xml (a -full.xml such as tr-181-2-17-0-cwmp-full.xml, or a vendor's model in the BBF
                         format): every object of it, with defaults, an identity, ManagementServer settings and a
                         few Wi-Fi and IP interface instances; refused if it lacks DeviceInfo or ManagementServer
  --profile-types FILE   the named data types a BBF .xml imports (default: tr-106-types.xml beside it, if there)
  --serial-prefix S      serial numbers S00000001, S00000002, … (default CRL)
  --rate R               devices started per second (default 100)
  --duration SECONDS     stop after this long (default: until interrupted)
  --interval SECONDS     PeriodicInformInterval of every device (default: the profile's)
  --json                 print {"devices","sessionsCompleted","sessionsFailed","p50Ms","p99Ms","rssBytes"} at the end
                         (a switch: --json, --json true|false, --no-json)
  --acs-username U       ManagementServer.Username of every device (default OUI-ProductClass-Serial)
  --acs-password P       ManagementServer.Password of every device (default the profile's)
  --ca FILE              trust this CA (PEM) for an https ACS and file servers
  --connection-request HOST:PORT
                         where the devices' shared Connection Request listener listens (default 127.0.0.1:0)
  --connection-request-host HOST
                         the host put in ConnectionRequestURL (default the listening host)
  --stun                 STUN on (TR-111): each device keeps a binding to the STUN server from a UDP port of its
                         own and takes UDP connection requests there (its STUN credential: its ACS credential)
  --stun-server HOST:PORT
                         the STUN server (default: the ACS's host, port 3478)
  --stun-keepalive SECONDS
                         STUNMinimumKeepAlivePeriod: how often a device renews its binding (default 30)
  --udp-host HOST        the address devices bind their UDP port on (default 127.0.0.1; 0.0.0.0 behind a NAT)
  --xmpp-service URL     XMPP connection requests: each device logs in to this server (xmpp://host:port)
                         as <serial in lower case>@<--xmpp-domain> with --xmpp-password (accounts must exist)
  --xmpp-domain DOMAIN   the devices' XMPP domain
  --xmpp-password P      the devices' XMPP password
  --local-control HOST:PORT
                         a local control (an HTTP listener, one for the whole fleet) where a device's values
                         change as its own UI would change them, notifications included: POST
                         /devices/SERIAL/values with path=…&value=… (corral check --local-change-command uses it)
  --set PATH=VALUE       repeatable: a value every device starts with (Device.ManagementServer.STUNEnable=true)
  --max-sessions N       sessions in flight at once (default 256)
  --state-dir DIR        keep each device's undelivered events and TransferComplete/DUStateChangeComplete reports
                         here (saved after each session and on stop, restored on start)
  --cwmp-version V       highest CWMP version offered (default 1.4)
  --quirk Q              repeatable: booleans-digit, no-cookies, chunked, basic-over-http,
                         soap-prefix=PREFIX
  --fault METHOD=CODE    repeatable: answer METHOD with this CWMP fault
  -h, --help             show this help

Exit status: 0; 2 when the command line is wrong; 3 when every session failed; 1 on any other failure.
`;

export interface SimIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Stops the run early (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`--${name} is required`);
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, not "${value}"`);
  return n;
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`--${name} must be a positive number, not "${value}"`);
  return n;
}

function hostPort(value: string, flag = 'connection-request'): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
  if (m === null || Number(m[2]) > 65535)
    throw new UsageError(`--${flag} must be HOST:PORT, not "${value}"`);
  return { host: m[1]!, port: Number(m[2]) };
}

function stunOptions(values: SimValues): NonNullable<FleetOptions['stun']> {
  const server =
    values['stun-server'] === undefined
      ? undefined
      : hostPort(values['stun-server'], 'stun-server');
  const keepAlive = values['stun-keepalive'];
  return {
    ...(server === undefined ? {} : { server: { address: server.host, port: server.port } }),
    ...(keepAlive === undefined
      ? {}
      : { minimumKeepAliveSeconds: positiveInt('stun-keepalive', keepAlive) }),
  };
}

function xmppOptions(values: SimValues): NonNullable<FleetOptions['xmpp']> {
  const service = values['xmpp-service']!;
  if (!/^xmpps?:\/\/[^/\s]+$/.test(service))
    throw new UsageError(`--xmpp-service must be xmpp://HOST:PORT, not "${service}"`);
  const domain = values['xmpp-domain'];
  const password = values['xmpp-password'];
  if (domain === undefined || password === undefined)
    throw new UsageError('--xmpp-service needs --xmpp-domain and --xmpp-password');
  return { service, domain, password };
}

function startValues(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq < 1) throw new UsageError(`--set must be PATH=VALUE, not "${set}"`);
    out[set.slice(0, eq)] = set.slice(eq + 1);
  }
  return out;
}

function behaviourFrom(
  quirks: readonly string[],
  faults: readonly string[],
  version: string | undefined,
): DeviceBehaviour {
  const b: DeviceBehaviour = {};
  if (version !== undefined) {
    if (!(CWMP_VERSIONS as readonly string[]).includes(version)) {
      throw new UsageError(`--cwmp-version must be one of ${CWMP_VERSIONS.join(', ')}`);
    }
    b.maxVersion = version as CwmpVersion;
  }
  for (const q of quirks) {
    if (q === 'booleans-digit') b.wire = { ...b.wire, booleanStyle: 'digit' };
    else if (q === 'no-cookies') b.returnCookies = false;
    else if (q === 'chunked') b.sendChunked = true;
    else if (q === 'basic-over-http') b.basicOverHttp = true;
    else if (q.startsWith('soap-prefix='))
      b.wire = { ...b.wire, soapPrefix: q.slice('soap-prefix='.length) };
    else throw new UsageError(`unknown --quirk "${q}"`);
  }
  const faultFor: Record<string, number> = {};
  for (const f of faults) {
    const m = /^(\w+)=(\d{4})$/.exec(f);
    if (m === null) throw new UsageError(`--fault must be METHOD=CODE, not "${f}"`);
    faultFor[m[1]!] = Number(m[2]);
  }
  if (Object.keys(faultFor).length > 0) b.faults = { faultFor };
  return b;
}

/** `corral sim`: a fleet of simulated devices. Returns the exit code (3 when every session failed). */
export async function simCommand(
  argv: readonly string[],
  io: SimIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let values: SimValues;
  try {
    values = parseCommandLine(argv, SIM_OPTIONS).values as SimValues;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`corral sim: ${error.message}\n\n${SIM_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(SIM_USAGE);
    return 0;
  }
  let fleet: Fleet;
  let controlAt: { host: string; port: number } | undefined;
  let duration: number | undefined;
  try {
    const devices = positiveInt('devices', values.devices);
    if (values.acs === undefined) throw new UsageError('--acs is required');
    const acs = new URL(values.acs);
    if (acs.protocol !== 'http:' && acs.protocol !== 'https:')
      throw new UsageError('--acs must be an http or https URL');
    duration = positiveNumber('duration', values.duration);
    const rate = positiveNumber('rate', values.rate) ?? 100;
    const interval =
      values.interval === undefined ? undefined : positiveInt('interval', values.interval);
    const types = values['profile-types'];
    if (types !== undefined && !/\.xml$/i.test(values.profile ?? ''))
      throw new UsageError('--profile-types goes with a BBF .xml --profile');
    const { profile, warnings } = await loadProfile(
      values.profile ?? 'device2',
      types === undefined ? {} : { types },
    );
    if (warnings.length > 0)
      io.stderr.write(`corral sim: profile: ${warnings.length} warnings (first: ${warnings[0]})\n`);
    const cr = hostPort(values['connection-request'] ?? '127.0.0.1:0');
    if (values['local-control'] !== undefined)
      controlAt = hostPort(values['local-control'], 'local-control');
    const ca = values.ca === undefined ? undefined : await readFile(values.ca, 'utf8');
    fleet = await Fleet.start({
      devices,
      acsUrl: acs.href,
      profile,
      serialPrefix: values['serial-prefix'] ?? 'CRL',
      rate,
      behaviour: behaviourFrom(values.quirk ?? [], values.fault ?? [], values['cwmp-version']),
      connectionRequest: {
        ...cr,
        ...(values['connection-request-host'] === undefined
          ? {}
          : { publicHost: values['connection-request-host'] }),
      },
      maxConcurrentSessions: positiveInt('max-sessions', values['max-sessions'], 256),
      udpConnectionRequest: { host: values['udp-host'] ?? '127.0.0.1' },
      ...(values.stun === true ? { stun: stunOptions(values) } : {}),
      ...(values.set === undefined ? {} : { parameters: startValues(values.set) }),
      ...(values['xmpp-service'] === undefined ? {} : { xmpp: xmppOptions(values) }),
      ...(interval === undefined ? {} : { periodicInterval: interval }),
      ...(values['acs-username'] === undefined ? {} : { acsUsername: values['acs-username'] }),
      ...(values['acs-password'] === undefined ? {} : { acsPassword: values['acs-password'] }),
      ...(ca === undefined ? {} : { ca }),
      ...(values['state-dir'] === undefined ? {} : { stateDir: values['state-dir'] }),
    });
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      error instanceof ProfileLoadError ||
      error instanceof TypeError;
    io.stderr.write(`corral sim: ${(error as Error).message}\n${usage ? `\n${SIM_USAGE}` : ''}`);
    return usage ? 2 : 1;
  }

  let control: LocalControl | undefined;
  if (controlAt !== undefined) {
    try {
      control = await LocalControl.start({
        ...controlAt,
        lookup: (serial) => fleet.device(serial),
      });
    } catch (error) {
      await fleet.stop();
      io.stderr.write(
        `corral sim: cannot listen on ${values['local-control']} (--local-control: ${(error as Error).message})\n`,
      );
      return 2;
    }
    io.stderr.write(`corral sim: local control on ${control.url}/devices/SERIAL/values\n`);
  }
  const began = Date.now();
  await runUntilDone(fleet, io, duration);
  await control?.close();
  await fleet.stop();
  const snap = fleet.snapshot();
  io.stderr.write(`${summary(snap, (Date.now() - began) / 1000)}\n`);
  if (values.json === true) io.stdout.write(`${jsonSummary(snap)}\n`);
  return snap.sessionsCompleted === 0 && snap.sessionsFailed > 0 ? 3 : 0;
}

const SIM_OPTIONS: Record<string, OptionSpec> = {
  devices: { type: 'string' },
  acs: { type: 'string' },
  profile: { type: 'string' },
  'profile-types': { type: 'string' },
  'serial-prefix': { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  interval: { type: 'string' },
  json: { type: 'boolean' },
  'acs-username': { type: 'string' },
  'acs-password': { type: 'string' },
  ca: { type: 'string' },
  'connection-request': { type: 'string' },
  'connection-request-host': { type: 'string' },
  stun: { type: 'boolean' },
  'stun-server': { type: 'string' },
  'stun-keepalive': { type: 'string' },
  'udp-host': { type: 'string' },
  set: { type: 'string', multiple: true },
  'local-control': { type: 'string' },
  'xmpp-service': { type: 'string' },
  'xmpp-domain': { type: 'string' },
  'xmpp-password': { type: 'string' },
  'max-sessions': { type: 'string' },
  'state-dir': { type: 'string' },
  'cwmp-version': { type: 'string' },
  quirk: { type: 'string', multiple: true },
  fault: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
};

/** What SIM_OPTIONS parse to: strings, the two repeatable options, and the switches. */
interface SimValues {
  [option: string]: string | string[] | boolean | undefined;
  devices?: string;
  acs?: string;
  profile?: string;
  'profile-types'?: string;
  'serial-prefix'?: string;
  rate?: string;
  duration?: string;
  interval?: string;
  'acs-username'?: string;
  'acs-password'?: string;
  ca?: string;
  'connection-request'?: string;
  'connection-request-host'?: string;
  'max-sessions'?: string;
  stun?: boolean;
  'stun-server'?: string;
  'stun-keepalive'?: string;
  'udp-host'?: string;
  set?: string[];
  'local-control'?: string;
  'xmpp-service'?: string;
  'xmpp-domain'?: string;
  'xmpp-password'?: string;
  'state-dir'?: string;
  'cwmp-version'?: string;
  quirk?: string[];
  fault?: string[];
  json?: boolean;
  help?: boolean;
}

/** Shows progress until the duration is over, or SIGINT/SIGTERM, or the io signal. */
async function runUntilDone(
  fleet: Fleet,
  io: SimIo,
  durationSeconds: number | undefined,
): Promise<void> {
  const tty = io.stderr.isTTY === true;
  let last = { at: Date.now(), sessions: 0 };
  let lastPrinted = 0;
  const show = (final = false) => {
    const snap = fleet.snapshot();
    const now = Date.now();
    const sessions = snap.sessionsCompleted + snap.sessionsFailed;
    const perSecond = ((sessions - last.sessions) * 1000) / Math.max(1, now - last.at);
    last = { at: now, sessions };
    const line = fleet.allStarted
      ? liveLine(snap, perSecond)
      : progressBar(snap.started, snap.devices);
    if (tty) io.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
    else if (final || now - lastPrinted >= 10_000) {
      io.stderr.write(`${line}\n`);
      lastPrinted = now;
    }
  };
  await new Promise<void>((resolve) => {
    const ticker = setInterval(() => show(), 1000);
    const timer =
      durationSeconds === undefined ? undefined : setTimeout(finish, durationSeconds * 1000);
    const onSignal = () => finish();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    io.signal?.addEventListener('abort', onSignal, { once: true });
    function finish() {
      clearInterval(ticker);
      if (timer !== undefined) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.signal?.removeEventListener('abort', onSignal);
      show(true);
      resolve();
    }
  });
}
