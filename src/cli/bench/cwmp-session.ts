/**
 * One CPE session as the light load generators play it (the boot storm, `corral bench`): the Inform encoded once
 * with the serial number (and RetryCount) substituted, the empty POST, a minimal valid answer to each RPC the ACS
 * sends, until its 204. Nothing but the ACS's RPCs is decoded. A session's requests share one keep-alive
 * connection and the session cookie; a new session opens a new connection, as CPEs do.
 */
import { performance } from 'node:perf_hooks';
import { decodeEnvelope, encodeEnvelope, type ParameterValue } from '../../cwmp/index.ts';
import { type Answer, type AnswerHeaders, HttpConnection } from './http-connection.ts';

const SERIAL = '@@SERIAL@@';
const RETRY = '@@RETRY@@';
const CWMP_NS = 'urn:dslforum-org:cwmp-1-0';

export interface InformShape {
  /** The Inform's events (default 0 BOOTSTRAP + 1 BOOT, a device back after a power cut). */
  events?: readonly string[];
  /** Where the device says it takes connection requests; the serial number is appended (default a dead port). */
  connectionRequestBase?: string;
  /** More parameters, after the six every Inform carries. */
  extraParameters?: readonly ParameterValue[];
}

/** Four more parameters, for the ten of a typical periodic Inform. */
export const PERIODIC_EXTRA_PARAMETERS: readonly ParameterValue[] = [
  { name: 'Device.DeviceInfo.UpTime', value: '86400', type: 'unsignedInt' },
  { name: 'Device.DeviceInfo.ProvisioningCode', value: 'BENCH', type: 'string' },
  { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true', type: 'boolean' },
  { name: 'Device.ManagementServer.PeriodicInformInterval', value: '3600', type: 'unsignedInt' },
];

/** The Inform every device sends, encoded once; `inform(serial, retryCount)` fills in the two that differ. */
export function informTemplate(
  oui: string,
  productClass: string,
  shape: InformShape = {},
): (serial: string, retryCount: number) => Buffer {
  const parameters: ParameterValue[] = [
    { name: 'Device.RootDataModelVersion', value: '2.15', type: 'string' },
    { name: 'Device.DeviceInfo.HardwareVersion', value: 'HW-1', type: 'string' },
    { name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0.0', type: 'string' },
    { name: 'Device.DeviceInfo.SerialNumber', value: SERIAL, type: 'string' },
    { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'string' },
    {
      name: 'Device.ManagementServer.ConnectionRequestURL',
      value: `${shape.connectionRequestBase ?? 'http://127.0.0.1:9/cr/'}${SERIAL}`,
      type: 'string',
    },
    ...(shape.extraParameters ?? []),
  ];
  const xml = encodeEnvelope({
    cwmpNamespace: CWMP_NS,
    header: { ID: '1' },
    body: {
      method: 'Inform',
      DeviceId: {
        Manufacturer: 'Storm',
        OUI: oui,
        ProductClass: productClass,
        SerialNumber: SERIAL,
      },
      Event: (shape.events ?? ['0 BOOTSTRAP', '1 BOOT']).map((EventCode) => ({
        EventCode,
        CommandKey: '',
      })),
      MaxEnvelopes: 1,
      CurrentTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      RetryCount: 0,
      ParameterList: parameters,
    },
  }).replace('<RetryCount>0</RetryCount>', `<RetryCount>${RETRY}</RetryCount>`);
  // Pieces alternate literal text and a marker; the literal pieces are encoded once.
  const pieces = xml.split(new RegExp(`(${SERIAL}|${RETRY})`));
  const literal = pieces.map((p, i) => (i % 2 === 0 ? Buffer.from(p, 'utf8') : null));
  return (serial, retryCount) => {
    const parts: Buffer[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const piece = literal[i];
      if (piece !== null && piece !== undefined) parts.push(piece);
      else parts.push(Buffer.from(pieces[i] === SERIAL ? serial : String(retryCount), 'utf8'));
    }
    return Buffer.concat(parts);
  };
}

/**
 * A vendor branch every device has, for presets to set and read: ten writable settings and fifty read-only
 * readings (`Device.X_CORRAL_Bench.Setting1`…, `Reading1`…).
 */
export const BENCH_BRANCH = 'Device.X_CORRAL_Bench.';
export const BENCH_LEAVES: readonly { name: string; writable: boolean }[] = [
  ...Array.from({ length: 10 }, (_, i) => ({
    name: `${BENCH_BRANCH}Setting${i + 1}`,
    writable: true,
  })),
  ...Array.from({ length: 50 }, (_, i) => ({
    name: `${BENCH_BRANCH}Reading${i + 1}`,
    writable: false,
  })),
];

/** The bench branch's leaves under `path` ('' or an object path), or the leaf itself. */
function leavesUnder(path: string) {
  if (path === '' || path.endsWith('.')) return BENCH_LEAVES.filter((l) => l.name.startsWith(path));
  return BENCH_LEAVES.filter((l) => l.name === path);
}

/**
 * The minimal valid answer to an RPC the ACS sent: its Response where that is trivial — a GetParameterValues
 * gets each named leaf back with an empty value (the bench branch's readings with a number), a
 * GetParameterNames the bench branch's names under the path — otherwise fault 9000.
 */
export function answerRpc(body: string): Buffer {
  const decoded = decodeEnvelope(body);
  const id = decoded.ok ? decoded.envelope.header.ID : undefined;
  const rpc = decoded.ok ? decoded.envelope.body : undefined;
  const header = id === undefined ? {} : { ID: id };
  let response: unknown;
  if (rpc?.method === 'SetParameterValues')
    response = { method: 'SetParameterValuesResponse', Status: 0 };
  else if (rpc?.method === 'SetParameterAttributes')
    response = { method: 'SetParameterAttributesResponse' };
  else if (rpc?.method === 'GetParameterValues') {
    const names = rpc.ParameterNames.flatMap((name) =>
      name.endsWith('.') || name === '' ? leavesUnder(name).map((l) => l.name) : [name],
    );
    response = {
      method: 'GetParameterValuesResponse',
      ParameterList: names.map((name) =>
        name.startsWith(`${BENCH_BRANCH}Reading`)
          ? { name, value: '42', type: 'unsignedInt' }
          : { name, value: '', type: 'string' },
      ),
    };
  } else if (rpc?.method === 'GetParameterNames') {
    const path = rpc.ParameterPath;
    const leaves =
      rpc.NextLevel && path !== BENCH_BRANCH && path !== ''
        ? [] // Only the branch itself has children named one level down.
        : leavesUnder(path);
    const objects =
      path === '' || (path.endsWith('.') && BENCH_BRANCH.startsWith(path) && path !== BENCH_BRANCH)
        ? [{ Name: BENCH_BRANCH, Writable: false }]
        : [];
    response = {
      method: 'GetParameterNamesResponse',
      ParameterList: [
        ...objects,
        ...(rpc.NextLevel && objects.length > 0
          ? []
          : leaves.map((l) => ({ Name: l.name, Writable: l.writable }))),
      ],
    };
  }
  if (response !== undefined)
    return Buffer.from(encodeEnvelope({ cwmpNamespace: CWMP_NS, header, body: response as never }));
  return Buffer.from(
    encodeEnvelope({
      cwmpNamespace: CWMP_NS,
      header,
      body: {
        method: 'Fault',
        faultcode: 'Client',
        faultstring: 'CWMP fault',
        FaultCode: 9000,
        FaultString: 'Method not supported',
        SetParameterValuesFault: [],
      } as never,
    }),
  );
}

/** One POST of the session on its connection; never rejects. */
export function post(
  url: URL,
  connection: HttpConnection,
  body: Buffer,
  cookie: string | undefined,
  timeoutMs: number,
): Promise<Answer> {
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: ${body.length}\r\n`;
  if (body.length > 0) head += 'Content-Type: text/xml; charset="utf-8"\r\nSOAPAction: ""\r\n';
  if (cookie !== undefined) head += `Cookie: ${cookie}\r\n`;
  return connection.request(head, body, timeoutMs);
}

/** `name=value` of each Set-Cookie, as a Cookie header (undefined: keep the one we have). */
function cookieFrom(headers: AnswerHeaders): string | undefined {
  const set = headers['set-cookie'];
  if (set === undefined || set.length === 0) return undefined;
  return (typeof set === 'string' ? [set] : set).map((c) => c.split(';')[0]!.trim()).join('; ');
}

/** Delta-seconds of a Retry-After header; undefined when absent or not a number of seconds. */
export function retryAfterSeconds(headers: AnswerHeaders): number | undefined {
  const value = headers['retry-after'];
  if (Array.isArray(value)) return undefined;
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** How one session attempt ended, as its device saw it. */
export type SessionOutcome =
  | { kind: 'done'; ms: number; turns: number; rpcs: string[] }
  | { kind: 'timeout'; step: string }
  | { kind: 'dropped'; step: string; code: string }
  | { kind: '503'; reason: string; retryAfter: number | undefined }
  | { kind: 'unexpected'; what: string };

/** What a session's observer hears: each request's answer time, and the ACS's answer bodies (for a sample). */
export interface SessionHooks {
  onAnswer?: (ms: number) => void;
  /** The body of every 200 the ACS answered, in order (the InformResponse first). */
  bodies?: string[];
  /** The device's own address to connect from (a loopback ACS: any of 127.0.0.0/8, see deviceAddress). */
  localAddress?: string;
}

/**
 * Device `index`'s own loopback address, 127.1.1.1 onwards: CPEs come from many addresses, and an ACS limits
 * what one address may have in progress (and one address's ephemeral ports run out in a long run).
 */
export function deviceAddress(index: number): string {
  const a = (index % 250) + 1;
  const b = (Math.floor(index / 250) % 250) + 1;
  const c = (Math.floor(index / 62_500) % 120) + 1;
  return `127.${c}.${b}.${a}`;
}

/** One session: the Inform, the empty POST, answers to the ACS's RPCs until its 204 (64 turns at most). */
export async function runSession(
  url: URL,
  inform: Buffer,
  timeoutMs: number,
  hooks: SessionHooks = {},
): Promise<SessionOutcome> {
  // A connection of its own: a session's requests share it, a new session opens a new one.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 literal without its brackets
  const connection = new HttpConnection(host, Number(url.port || 80), hooks.localAddress);
  let cookie: string | undefined;
  const started = performance.now();
  const rpcs: string[] = [];
  try {
    let body = inform;
    for (let turn = 0; turn < 64; turn++) {
      const step = turn === 0 ? 'inform' : body.length === 0 ? 'empty-post' : 'rpc-response';
      const answer = await post(url, connection, body, cookie, timeoutMs);
      if (answer.kind === 'timeout') return { kind: 'timeout', step };
      if (answer.kind === 'dropped') return { kind: 'dropped', step, code: answer.code };
      hooks.onAnswer?.(answer.ms);
      cookie = cookieFrom(answer.headers) ?? cookie;
      if (answer.status === 503) {
        return {
          kind: '503',
          reason: answer.body.split('\n')[0]!.trim().slice(0, 120) || '(no reason)',
          retryAfter: retryAfterSeconds(answer.headers),
        };
      }
      if (answer.status === 204 && turn > 0)
        return { kind: 'done', ms: performance.now() - started, turns: turn + 1, rpcs };
      if (answer.status === 200 && turn === 0 && answer.body.includes('InformResponse')) {
        hooks.bodies?.push(answer.body);
        body = Buffer.alloc(0);
        continue;
      }
      if (answer.status === 200 && turn > 0 && answer.body.trim() !== '') {
        hooks.bodies?.push(answer.body);
        rpcs.push(/<(?:[\w-]+:)?Body>\s*<(?:[\w-]+:)?(\w+)/.exec(answer.body)?.[1] ?? '?');
        body = answerRpc(answer.body);
        continue;
      }
      return { kind: 'unexpected', what: `${step} ${answer.status}` };
    }
    return { kind: 'unexpected', what: 'too-many-turns' };
  } finally {
    connection.close();
  }
}
