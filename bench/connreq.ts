import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, xml } from '@xmpp/client';
import { startAcs } from '../src/acs/acs.ts';
import { createHttpConnectionRequester } from '../src/acs/connection-request/http-connection-request.ts';
import { createUdpConnectionRequester } from '../src/acs/connection-request/udp-connection-request.ts';
import { createXmppConnectionRequester } from '../src/acs/connection-request/xmpp-connection-request.ts';
import { stunCredentialsOf } from '../src/acs/stun/stun-credentials.ts';
import { startStunServer } from '../src/acs/stun/stun-server.ts';
import { testAcsOptions } from '../src/acs/testing/acs-options.ts';
import { XmppConnector } from '../src/acs/xmpp/xmpp-connector.ts';
import { Fleet } from '../src/cpe/fleet/fleet.ts';
import { DEVICE2_GATEWAY } from '../src/datamodel/profiles/index.ts';
import { ChangeFeed, withChangeFeed } from '../src/store/change-feed.ts';
import { encodeDeviceId } from '../src/store/device-id.ts';
import { Secret } from '../src/store/secret.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { type Prosody, prosodyUnavailable, startProsody } from '../test/xmpp/prosody.ts';
import { benchArgs, positiveOption } from './bench-args.ts';

const parsed = benchArgs(
  `usage: npm run bench:connreq [-- options]

Connection requests over HTTP, UDP (through the STUN server) and XMPP (through a prosody the benchmark starts,
when installed), to simulated Device:2 gateways in this process: the time from the request to the device's
session start (its Inform stored) — p50 and p99 over --requests one after the other — and the requests per second
with --concurrency in flight. Beside each path, its floor measured in the same run: a bare HTTP GET to a minimal
server, one loopback datagram, one XMPP IQ between two clients of the same server.

  --devices N        simulated devices (default 50)
  --requests N       requests per path (default 1000)
  --concurrency N    requests in flight for the rate (default 50)
  --json             one JSON object per path: {"path","p50Ms","p99Ms","perSec","floorP50Ms"}
  -h, --help         show this help
`,
  {
    devices: { type: 'string' },
    requests: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean' },
  },
);
const positive = (name: string, fallback: number) => positiveOption(parsed, name, fallback);
const DEVICES = positive('devices', 50);
const REQUESTS = positive('requests', 1000);
const CONCURRENCY = positive('concurrency', 50);
const log = () => {};
const note = (line: string) => process.stderr.write(`  ${line}\n`);
// The floors' own servers and clients, made on first use.
let httpServer: ReturnType<typeof createServer> | undefined;
let udp: { a: ReturnType<typeof createSocket>; b: ReturnType<typeof createSocket> } | undefined;
let pair: { one: ReturnType<typeof client>; two: ReturnType<typeof client> } | undefined;

const dir = mkdtempSync(join(tmpdir(), 'corral-bench-connreq-'));
const store = await openSqliteStore({
  path: join(dir, 'corral.db'),
  secretKey: randomBytes(32),
  synchronous: 'normal',
});
const changes = new ChangeFeed();
const fed = withChangeFeed(store, changes);
// Every simulated device shares 127.0.0.1: the per-address Inform limit would be what is measured.
const acs = await startAcs(
  testAcsOptions(fed, {
    maxSessions: 1000,
    addressLimits: { informsPerSecond: 1_000_000, informBurst: 1_000_000 },
  }),
);
const stun = await startStunServer({
  host: '127.0.0.1',
  port: 0,
  credentials: stunCredentialsOf(store),
  requireCredentials: true,
  onBinding: () => {},
  log,
});
const missingProsody = prosodyUnavailable();
let prosody: Prosody | undefined;
let xmpp: XmppConnector | undefined;
if (missingProsody === null) {
  prosody = await startProsody();
  prosody.register('acs', 'acs-password');
  note(`registering ${DEVICES} XMPP accounts…`);
  for (let i = 1; i <= DEVICES; i++) prosody.register(serialOf(i).toLowerCase(), 'device-password');
  xmpp = new XmppConnector(
    { service: prosody.service, jid: `acs@${prosody.domain}/bench`, password: 'acs-password' },
    log,
  );
  xmpp.start();
} else {
  note(`XMPP left out: ${missingProsody}`);
}

function serialOf(i: number): string {
  return `BCR${String(i).padStart(8, '0')}`;
}
const ids = Array.from({ length: DEVICES }, (_, i) =>
  encodeDeviceId({ oui: '02C0A1', productClass: 'HG2100', serialNumber: serialOf(i + 1) }),
);
for (const [i, id] of ids.entries()) {
  const serial = serialOf(i + 1);
  await store.credentials.setConnectionRequest(id, {
    username: `cr-${serial}`,
    password: new Secret('corral-cr-secret'),
  });
  await store.credentials.setCpe(id, {
    username: `02C0A1-HG2100-${serial}`,
    password: new Secret('corral-acs-secret'),
  });
}
// Devices take many requests here (the real limit, 10 a minute, would be the figure measured).
const fleet = await Fleet.start({
  devices: DEVICES,
  acsUrl: acs.url,
  profile: DEVICE2_GATEWAY,
  serialPrefix: 'BCR',
  rate: 500,
  connectionRequest: { host: '127.0.0.1', port: 0, limit: 1_000_000 },
  udpConnectionRequest: { host: '127.0.0.1', limit: 1_000_000 },
  stun: { server: { address: '127.0.0.1', port: stun.port }, minimumKeepAliveSeconds: 60 },
  ...(prosody === undefined
    ? {}
    : {
        xmpp: {
          service: prosody.service,
          domain: prosody.domain,
          password: 'device-password',
          limit: 1_000_000,
        },
      }),
});

note(`waiting for ${DEVICES} devices to boot, bind and log in…`);
const readiness = async () => {
  let jids = 0;
  if (xmpp !== undefined) {
    for (const id of ids) {
      const jid = await store.parameters
        .get(id, 'Device.ManagementServer.ConnReqJabberID')
        .catch(() => null);
      if (jid?.value) jids++;
    }
  }
  return {
    informed: await store.devices.count(),
    bound: ids.filter((id) => stun.binding(id) !== undefined).length,
    jids,
    acsOnline: xmpp?.online ?? false,
  };
};
for (const deadline = Date.now() + 180_000; ; ) {
  const r = await readiness();
  const xmppReady = xmpp === undefined || (r.acsOnline && r.jids === DEVICES);
  if (r.informed === DEVICES && r.bound === DEVICES && xmppReady) break;
  if (Date.now() > deadline) {
    // The XMPP server is a process of its own: it must not outlive a failed run.
    await prosody?.destroy();
    throw new Error(`the fleet did not get ready: ${JSON.stringify(r)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
// Let the boot sessions (value-change Informs included) die down.
await new Promise((r) => setTimeout(r, 1000));

type Send = (deviceId: string) => Promise<{ ok: boolean }>;
const paths: { path: string; send: Send; waitsForInform: boolean; floor: () => Promise<number> }[] =
  [
    {
      path: 'http',
      send: createHttpConnectionRequester({ store: fed }),
      waitsForInform: false,
      floor: httpFloor,
    },
    {
      path: 'udp',
      send: createUdpConnectionRequester({ store: fed, stun, changes, copies: 1 }),
      waitsForInform: true,
      floor: udpFloor,
    },
  ];
if (xmpp !== undefined && prosody !== undefined) {
  const server = prosody;
  paths.push({
    path: 'xmpp',
    send: createXmppConnectionRequester({ store: fed, xmpp }),
    waitsForInform: false,
    floor: () => xmppFloor(server),
  });
}

/** From the request to the device's Inform, in ms. */
async function once(send: Send, waitsForInform: boolean, deviceId: string): Promise<number> {
  const started = performance.now();
  const informed = waitsForInform ? undefined : nextInform(deviceId);
  const result = await send(deviceId);
  if (!result.ok) throw new Error(`a connection request failed: ${JSON.stringify(result)}`);
  await informed;
  return performance.now() - started;
}

function nextInform(deviceId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = changes.subscribe((c) => {
      if (c.kind === 'device' && c.deviceId === deviceId && c.change === 'inform') {
        off();
        resolve();
      }
    });
  });
}

const rows: { path: string; p50Ms: number; p99Ms: number; perSec: number; floorP50Ms: number }[] =
  [];
for (const { path, send, waitsForInform, floor } of paths) {
  note(`${path}: ${REQUESTS} requests one after the other…`);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    times.push(await once(send, waitsForInform, ids[i % DEVICES]!));
  }
  note(`${path}: ${REQUESTS} requests, ${CONCURRENCY} in flight…`);
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, DEVICES) }, async (_, lane) => {
      // Each lane keeps to its own devices, so no device gets a second request before its session.
      for (let i = next++; i < REQUESTS; i = next++) {
        const device = ids[(lane + Math.floor(i / CONCURRENCY) * CONCURRENCY) % DEVICES]!;
        await once(send, waitsForInform, device);
      }
    }),
  );
  const perSec = REQUESTS / ((performance.now() - began) / 1000);
  const floors: number[] = [];
  for (let i = 0; i < 200; i++) floors.push(await floor());
  rows.push({
    path,
    p50Ms: round(percentile(times, 0.5)),
    p99Ms: round(percentile(times, 0.99)),
    perSec: Math.round(perSec),
    floorP50Ms: round(percentile(floors, 0.5)),
  });
}

await fleet.stop();
await xmpp?.stop();
await pair?.one.stop();
await pair?.two.stop();
await stun.close();
await acs.close(0);
await store.close();
await prosody?.destroy();
rmSync(dir, { recursive: true, force: true });

if (parsed.json === true) {
  for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
} else {
  process.stdout.write(
    `\nConnection requests to ${DEVICES} simulated devices, request → session start (Inform stored)\n\n`,
  );
  process.stdout.write('path   p50 ms   p99 ms   req/s   floor p50 ms\n');
  for (const r of rows) {
    process.stdout.write(
      `${r.path.padEnd(6)} ${String(r.p50Ms).padStart(6)}   ${String(r.p99Ms).padStart(6)}   ${String(r.perSec).padStart(5)}   ${String(r.floorP50Ms).padStart(12)}\n`,
    );
  }
  process.stdout.write(
    '\nfloor: a bare GET to a minimal HTTP server / one loopback datagram / one IQ between two XMPP clients\n',
  );
}
process.exit(0);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

async function httpFloor(): Promise<number> {
  if (httpServer === undefined) {
    httpServer = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => httpServer!.listen(0, '127.0.0.1', r));
  }
  const { port } = httpServer.address() as { port: number };
  const started = performance.now();
  await new Promise<void>((resolve, reject) =>
    request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end(),
  );
  return performance.now() - started;
}

async function udpFloor(): Promise<number> {
  if (udp === undefined) {
    const a = createSocket('udp4');
    const b = createSocket('udp4');
    await Promise.all([a, b].map((s) => new Promise<void>((r) => s.bind(0, '127.0.0.1', r))));
    udp = { a, b };
  }
  const { a, b } = udp;
  const started = performance.now();
  const received = new Promise<void>((r) => b.once('message', () => r()));
  a.send(Buffer.alloc(200), b.address().port, '127.0.0.1');
  await received;
  return performance.now() - started;
}

async function xmppFloor(server: Prosody): Promise<number> {
  if (pair === undefined) {
    server.register('floor-one', 'floor-password');
    server.register('floor-two', 'floor-password');
    const make = (username: string) =>
      client({
        service: server.service,
        domain: server.domain,
        username,
        password: 'floor-password',
        resource: 'floor',
      });
    const one = make('floor-one');
    const two = make('floor-two');
    for (const c of [one, two]) c.on('error', () => {});
    two.iqCallee.get('urn:xmpp:ping', 'ping', () => true);
    await one.start();
    await two.start();
    pair = { one, two };
  }
  const started = performance.now();
  await pair.one.iqCaller.request(
    xml(
      'iq',
      { type: 'get', to: `floor-two@${server.domain}/floor` },
      xml('ping', { xmlns: 'urn:xmpp:ping' }),
    ),
    5000,
  );
  return performance.now() - started;
}
