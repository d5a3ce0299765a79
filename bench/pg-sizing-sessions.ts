/**
 * What one periodic session writes to PostgreSQL, measured: a batch of sessions through the store as the ACS
 * makes them (the device hold taken and given back, the Inform recorded, the task queue asked, the session's
 * trace kept), on devices of the filled fleet picked at random, from a checkpoint.
 * Read around the batch: the WAL (pg_current_wal_lsn and pg_stat_wal), the buffers the next checkpoint writes,
 * the server processes' CPU time, each table's growth.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { bulkDevice } from '../src/cli/bench/bulk-devices.ts';
import { PgCoordination } from '../src/store/postgres/pg-coordination.ts';
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts';

export interface SessionFigures {
  /** full_page_writes as the server had it during the batch (SHOW): images of pages first changed after a checkpoint. */
  fullPageWrites: boolean;
  sessions: number;
  concurrency: number;
  /** Wall time of the batch, client and server on the same 2 cores: not a throughput figure. */
  seconds: number;
  walBytesPerSession: number;
  walRecordsPerSession: number;
  fullPageImagesPerSession: number;
  /** Data pages written (the checkpoint after the batch included), per session: the pages a session dirties. */
  pagesWrittenPerSession: number;
  /** Data pages read into shared buffers (misses of PostgreSQL's own cache; the OS may still have held them). */
  pagesReadPerSession: number;
  /** Statements sent (BEGIN and COMMIT included): the round trips of a session. */
  statementsPerSession: number;
  /** Row updates per session of each table updated, and the share of them that were HOT. */
  updatesPerSession: Record<string, { updates: number; hotShare: number }>;
  /** CPU time of the PostgreSQL server's processes (all backends, WAL writer, checkpointer) per session. */
  serverCpuMsPerSession: number;
  /** Bytes each table grew by over the batch, per session (traces and events: what sessions add). */
  growthPerSession: Record<string, number>;
  /** Parameters reported in each Inform. */
  informParameters: number;
}

const CLK_TCK = 100;

/** utime + stime of the postmaster and its children, in ms (Linux /proc). */
function serverCpuMs(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (Number(entry) !== postmaster && ppid !== postmaster) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLK_TCK;
}

/** An Inform's envelope of about the size a gateway sends (the trace keeps the raw text). */
function informEnvelope(id: string, parameters: { path: string; value: string }[]): string {
  const list = parameters
    .map(
      (p) =>
        `<ParameterValueStruct><Name>${p.path}</Name><Value xsi:type="xsd:string">${p.value}</Value></ParameterValueStruct>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">${id}</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:Inform><DeviceId><Manufacturer>Bulk</Manufacturer><OUI>00D09E</OUI><ProductClass>x</ProductClass><SerialNumber>x</SerialNumber></DeviceId><Event soap-enc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-12-06T10:00:00Z</CurrentTime><RetryCount>0</RetryCount><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[${parameters.length}]">${list}</ParameterList></cwmp:Inform></soap-env:Body></soap-env:Envelope>`;
}

const INFORM_RESPONSE =
  '<?xml version="1.0" encoding="UTF-8"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse></soap-env:Body></soap-env:Envelope>';

async function tableSizes(client: pg.ClientBase): Promise<Map<string, number>> {
  const rows = (
    await client.query(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    )
  ).rows as { name: string; bytes: number }[];
  return new Map(rows.map((r) => [r.name, r.bytes]));
}

async function walStats(client: pg.ClientBase) {
  const r = (
    await client.query(
      `SELECT pg_current_wal_lsn()::text AS lsn, wal_records::float8 AS records, wal_fpi::float8 AS fpi,
         wal_bytes::float8 AS bytes FROM pg_stat_wal`,
    )
  ).rows[0] as { lsn: string; records: number; fpi: number; bytes: number };
  return r;
}

/** Data pages written and read so far by any process (checkpointer, background writer, backends). */
async function pageIo(client: pg.ClientBase): Promise<{ writes: number; reads: number }> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const r = await client.query(
    `SELECT coalesce(sum(writes), 0)::float8 AS writes, coalesce(sum(reads), 0)::float8 AS reads
     FROM pg_stat_io WHERE object = 'relation'`,
  );
  return r.rows[0] as { writes: number; reads: number };
}

/** Row updates of each table, and how many of them were HOT (no index entry written). */
async function updates(client: pg.ClientBase): Promise<Map<string, { upd: number; hot: number }>> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const rows = (
    await client.query(
      'SELECT relname AS name, n_tup_upd::float8 AS upd, n_tup_hot_upd::float8 AS hot FROM pg_stat_user_tables',
    )
  ).rows as { name: string; upd: number; hot: number }[];
  return new Map(rows.map((r) => [r.name, { upd: r.upd, hot: r.hot }]));
}

/**
 * Runs `sessions` periodic sessions, `concurrency` at a time, on devices 0..devices-1 picked at random (a
 * fixed seed), through `store` and a PgCoordination on `url`.
 */
export async function measureSessions(options: {
  store: PostgresStore;
  url: string;
  dataDir: string;
  devices: number;
  sessions: number;
  concurrency: number;
  /** Asked for by ALTER SYSTEM; a server given the setting on its command line keeps its own (see the result). */
  fullPageWrites: boolean;
  seed: number;
  progress: (done: number) => void;
}): Promise<SessionFigures> {
  const { store, url, dataDir, devices, sessions, concurrency } = options;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  const coordination = new PgCoordination({
    pool,
    connect: () => new pg.Client({ connectionString: url }),
    nodeId: 'sizing',
  });
  try {
    // The test server has full_page_writes=off on its command line, which no ALTER SYSTEM overrides; the
    // bench's own server (--full-page-writes) takes either.
    await admin.query(
      `ALTER SYSTEM SET full_page_writes = ${options.fullPageWrites ? 'on' : 'off'}`,
    );
    await admin.query('SELECT pg_reload_conf()');
    await new Promise((r) => setTimeout(r, 500));
    const fullPageWrites =
      (await admin.query('SHOW full_page_writes')).rows[0].full_page_writes === 'on';
    // From a checkpoint: each page's first change after it is a full-page image when they are on.
    await admin.query('CHECKPOINT');
    const sizesBefore = await tableSizes(admin);
    const walBefore = await walStats(admin);
    const pagesBefore = await pageIo(admin);
    const updatesBefore = await updates(admin);
    const cpuBefore = serverCpuMs(dataDir);
    let seed = options.seed;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    let started = 0;
    let done = 0;
    let informParameters = 0;
    // Every statement any client sends (the store's pool, the holds' pool) while the batch runs.
    let statements = 0;
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      statements++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    const t0 = performance.now();
    const now = Date.now();
    const worker = async () => {
      while (started < sessions) {
        const i = started++;
        const n = next() % devices;
        const d = bulkDevice(n, now);
        const sessionId = `sizing-${options.seed}-${i}`;
        const at = now + i;
        // What a periodic Inform carries: the device's identity and the values the ACS always asks for.
        const parameters = [
          { path: 'Device.DeviceInfo.UpTime', value: String((Number(d.uptime) + i) % 4_000_000) },
          { path: 'Device.DeviceInfo.SoftwareVersion', value: d.softwareVersion },
          { path: 'Device.DeviceInfo.HardwareVersion', value: 'HW1' },
          { path: 'Device.DeviceInfo.ProvisioningCode', value: '' },
          {
            path: 'Device.ManagementServer.ConnectionRequestURL',
            value: `http://10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}:7547/cr`,
          },
          { path: 'Device.ManagementServer.ParameterKey', value: '' },
          { path: 'Device.WiFi.SSID.1.SSID', value: d.ssid },
          { path: 'Device.IP.Interface.1.IPv4Address.1.IPAddress', value: `100.64.${n & 255}.1` },
        ];
        informParameters = parameters.length;
        if (!(await coordination.holdDevice(d.id, sessionId, 60_000))) continue;
        try {
          await store.devices.recordInform({
            device: {
              manufacturer: 'Bulk',
              oui: '00D09E',
              productClass: d.productClass,
              serialNumber: d.serialNumber,
            },
            events: [{ code: '2 PERIODIC', commandKey: '' }],
            parameters: parameters.map((p) => ({ path: p.path, value: p.value })),
            remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
            at,
          });
          await store.tasks.claimNext(d.id, sessionId);
          await store.traces.append(d.id, sessionId, [
            { direction: 'cpe-to-acs', body: informEnvelope(sessionId, parameters), at },
            { direction: 'acs-to-cpe', body: INFORM_RESPONSE, at, httpStatus: 200 },
            { direction: 'cpe-to-acs', body: '', at },
            { direction: 'acs-to-cpe', body: '', at, httpStatus: 204 },
          ]);
        } finally {
          await coordination.releaseDevice(d.id, sessionId);
        }
        options.progress(++done);
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      pg.Client.prototype.query = query;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpuAfter = serverCpuMs(dataDir);
    const walAfter = await walStats(admin);
    const lsnBytes = Number(
      (
        await admin.query('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::float8 AS d', [
          walAfter.lsn,
          walBefore.lsn,
        ])
      ).rows[0].d,
    );
    await admin.query('CHECKPOINT');
    // Idle backends report their statistics within 10 s (PGSTAT_IDLE_INTERVAL).
    await new Promise((r) => setTimeout(r, 11_000));
    const pagesAfter = await pageIo(admin);
    const updatesAfter = await updates(admin);
    const updatesPerSession: Record<string, { updates: number; hotShare: number }> = {};
    for (const [name, after] of updatesAfter) {
      const before = updatesBefore.get(name) ?? { upd: 0, hot: 0 };
      const upd = after.upd - before.upd;
      if (upd > 0) {
        updatesPerSession[name] = { updates: upd / done, hotShare: (after.hot - before.hot) / upd };
      }
    }
    const sizesAfter = await tableSizes(admin);
    const growthPerSession: Record<string, number> = {};
    for (const [name, bytes] of sizesAfter) {
      const grown = bytes - (sizesBefore.get(name) ?? 0);
      if (grown !== 0) growthPerSession[name] = grown / done;
    }
    return {
      fullPageWrites,
      sessions: done,
      concurrency,
      seconds,
      walBytesPerSession: lsnBytes / done,
      walRecordsPerSession: (walAfter.records - walBefore.records) / done,
      fullPageImagesPerSession: (walAfter.fpi - walBefore.fpi) / done,
      pagesWrittenPerSession: (pagesAfter.writes - pagesBefore.writes) / done,
      pagesReadPerSession: (pagesAfter.reads - pagesBefore.reads) / done,
      statementsPerSession: statements / done,
      updatesPerSession,
      serverCpuMsPerSession: (cpuAfter - cpuBefore) / done,
      growthPerSession,
      informParameters,
    };
  } finally {
    await coordination.close();
    await pool.end();
    await admin.end();
  }
}
