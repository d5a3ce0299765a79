import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addBulkDevices, BULK_MARKED } from '../src/cli/bench/bulk-devices.ts';
import { Progress } from '../src/cli/bench/progress.ts';
import { openPostgresStore } from '../src/store/postgres/postgres-store.ts';
import { startTestPostgres } from '../src/store/postgres/testing/embedded-postgres.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { benchArgs, positiveOption } from './bench-args.ts';
import {
  addSqliteExtras,
  BASE_PARAMETERS,
  batchSize,
  extraPaths,
  insertPostgresBatch,
} from './pg-sizing-model.ts';
import { measureSessions, type SessionFigures } from './pg-sizing-sessions.ts';

const USAGE = `usage: npm run bench:pg-sizing [-- options]

Storage per device, PostgreSQL beside SQLite: a fresh embedded PostgreSQL (the store's migrations applied as
\`corral serve --store postgres://…\` does) and a fresh SQLite store, each filled in bulk with the same fleet
(src/cli/bench/bulk-devices.ts's devices; past its three parameters each, more of a gateway's model), then rows
and bytes per device for each table, and each index's size. Then a batch of periodic sessions through the
PostgreSQL store (hold, Inform, task queue, trace), with the WAL, pages written and server CPU per session.

  --devices N      devices in each store (default 1000000)
  --parameters P   parameters per device (default ${BASE_PARAMETERS}, what bulk-devices.ts writes; a Device:2
                   gateway reports some 300)
  --sessions S     periodic sessions measured after the fill (default 2000; 0 for none)
  --full-page-writes
                   start the server with full-page writes on (the tests' have them off), and measure a
                   second batch of sessions with full-page images on, as in production
  --no-sqlite      PostgreSQL only
  --json           one JSON object on stdout instead of tables
  -h, --help       show this help
`;

const parsed = benchArgs(USAGE, {
  devices: { type: 'string' },
  parameters: { type: 'string' },
  sessions: { type: 'string' },
  'no-sqlite': { type: 'boolean' },
  'full-page-writes': { type: 'boolean' },
  json: { type: 'boolean' },
});
const DEVICES = positiveOption(parsed, 'devices', 1_000_000);
const PARAMETERS = positiveOption(parsed, 'parameters', BASE_PARAMETERS);
const SESSIONS =
  parsed.sessions === '0' ? 0 : positiveOption(parsed, 'sessions', Math.min(2_000, DEVICES));
const SQLITE = parsed['no-sqlite'] !== true;
const JSON_OUT = parsed.json === true;
const FULL_PAGE_WRITES = parsed['full-page-writes'] === true;
if (PARAMETERS < BASE_PARAMETERS) {
  process.stderr.write(`--parameters is at least ${BASE_PARAMETERS} (bulk-devices.ts's own)\n`);
  process.exit(2);
}
const SECRET_KEY = new Uint8Array(32).map((_, i) => (i * 29 + 3) & 0xff);

interface TableSize {
  table: string;
  rows: number;
  rowsPerDevice: number;
  heapBytes: number;
  indexBytes: number;
  /** Heap, indexes, TOAST, free-space and visibility maps (PostgreSQL); table and its indexes (SQLite). */
  totalBytes: number;
  bytesPerDevice: number;
}

interface IndexSize {
  index: string;
  table: string;
  bytes: number;
  bytesPerDevice: number;
}

interface EngineSizes {
  totalBytes: number;
  bytesPerDevice: number;
  fillSeconds: number;
  tables: TableSize[];
  indexes: IndexSize[];
}

// On stderr, so that --json keeps stdout to itself.
const progress = new Progress(process.stderr);
const progressLines = !process.stderr.isTTY;

/** A phase with a bar on a terminal, and a line every tenth of the way otherwise. */
function tracker(name: string, total: number): (done: number) => void {
  progress.phase(name, total);
  let nextTenth = 1;
  return (done) => {
    progress.update(done);
    if (progressLines && done * 10 >= nextTenth * total && done < total) {
      progress.note(`${name}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
      nextTenth = Math.floor((done * 10) / total) + 1;
    }
  };
}

async function postgresSizes(client: pg.ClientBase, fillSeconds: number): Promise<EngineSizes> {
  const tables = (
    await client.query(
      `SELECT c.relname AS table, pg_relation_size(c.oid)::float8 AS heap,
         pg_indexes_size(c.oid)::float8 AS indexes, pg_total_relation_size(c.oid)::float8 AS total
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY total DESC, c.relname`,
    )
  ).rows as { table: string; heap: number; indexes: number; total: number }[];
  const out: TableSize[] = [];
  for (const t of tables) {
    const rows = Number(
      (await client.query(`SELECT count(*)::float8 AS n FROM "${t.table}"`)).rows[0].n,
    );
    out.push({
      table: t.table,
      rows,
      rowsPerDevice: rows / DEVICES,
      heapBytes: t.heap,
      indexBytes: t.indexes,
      totalBytes: t.total,
      bytesPerDevice: t.total / DEVICES,
    });
  }
  const indexes = (
    await client.query(
      `SELECT i.relname AS index, t.relname AS table, pg_relation_size(i.oid)::float8 AS bytes
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' ORDER BY bytes DESC, i.relname`,
    )
  ).rows as { index: string; table: string; bytes: number }[];
  const total = Number(
    (await client.query('SELECT pg_database_size(current_database())::float8 AS b')).rows[0].b,
  );
  return {
    totalBytes: total,
    bytesPerDevice: total / DEVICES,
    fillSeconds,
    tables: out,
    indexes: indexes.map((i) => ({ ...i, bytesPerDevice: i.bytes / DEVICES })),
  };
}

function sqliteSizes(path: string, fillSeconds: number): EngineSizes {
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const objects = db
      .prepare(
        "SELECT type, name, tbl_name AS tbl FROM sqlite_schema WHERE type IN ('table', 'index')",
      )
      .all() as { type: string; name: string; tbl: string }[];
    const owner = new Map(objects.map((o) => [o.name, o]));
    let pages: { name: string; bytes: number }[] = [];
    try {
      pages = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
        name: string;
        bytes: number;
      }[];
    } catch {
      // No dbstat compiled in: the file size only.
    }
    const tables = new Map<string, TableSize>();
    const indexes: IndexSize[] = [];
    for (const o of objects) {
      if (o.type !== 'table' || o.name.startsWith('sqlite_')) continue;
      const rows = (db.prepare(`SELECT count(*) AS n FROM "${o.name}"`).get() as { n: number }).n;
      tables.set(o.name, {
        table: o.name,
        rows,
        rowsPerDevice: rows / DEVICES,
        heapBytes: 0,
        indexBytes: 0,
        totalBytes: 0,
        bytesPerDevice: 0,
      });
    }
    for (const p of pages) {
      const o = owner.get(p.name);
      const t = o === undefined ? undefined : tables.get(o.tbl);
      if (o === undefined || t === undefined) continue;
      if (o.type === 'table') t.heapBytes += p.bytes;
      else {
        t.indexBytes += p.bytes;
        indexes.push({
          index: p.name,
          table: o.tbl,
          bytes: p.bytes,
          bytesPerDevice: p.bytes / DEVICES,
        });
      }
      t.totalBytes += p.bytes;
      t.bytesPerDevice = t.totalBytes / DEVICES;
    }
    const fileBytes = statSync(path).size;
    return {
      totalBytes: fileBytes,
      bytesPerDevice: fileBytes / DEVICES,
      fillSeconds,
      tables: [...tables.values()].sort((a, b) => b.totalBytes - a.totalBytes),
      indexes: indexes.sort((a, b) => b.bytes - a.bytes),
    };
  } finally {
    db.close();
  }
}

interface Server {
  url(database: string): string;
  readonly dataDir: string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function fillPostgres(server: Server): Promise<{ url: string; seconds: number }> {
  await server.createDatabase('corral_sizing');
  const url = server.url('corral_sizing');
  // The store's own migrations, as a node applies them at start.
  await (await openPostgresStore({ url, secretKey: SECRET_KEY })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = performance.now();
  try {
    const now = Date.now();
    await client.query(
      'INSERT INTO indexed_parameters (pattern, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [BULK_MARKED, now],
    );
    const extras = extraPaths(PARAMETERS - BASE_PARAMETERS);
    const step = batchSize(PARAMETERS);
    const update = tracker('filling PostgreSQL', DEVICES);
    for (let from = 0; from < DEVICES; from += step) {
      const to = Math.min(DEVICES, from + step);
      await insertPostgresBatch(client, from, to, extras, now);
      update(to);
    }
    // The identity sequence past the keys given, so the store's own inserts go on from there.
    await client.query("SELECT setval(pg_get_serial_sequence('devices', 'key'), $1)", [DEVICES]);
    progress.end(`${DEVICES.toLocaleString('en')} devices`);
    progress.phase('VACUUM ANALYZE and CHECKPOINT (PostgreSQL)');
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
    progress.end('done');
    return { url, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await client.end();
  }
}

async function fillSqlite(dir: string): Promise<{ path: string; seconds: number }> {
  const path = join(dir, 'corral.db');
  await (await openSqliteStore({ path, secretKey: SECRET_KEY })).close();
  const t0 = performance.now();
  addBulkDevices(path, DEVICES, tracker('filling SQLite (bulk-devices.ts)', DEVICES));
  progress.end(`${DEVICES.toLocaleString('en')} devices`);
  const extras = extraPaths(PARAMETERS - BASE_PARAMETERS);
  if (extras.length > 0) {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = OFF');
      addSqliteExtras(
        db,
        DEVICES,
        extras,
        Date.now(),
        tracker(`SQLite: ${extras.length} more parameters a device`, DEVICES),
      );
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    progress.end('done');
  }
  progress.phase('ANALYZE (SQLite)');
  const db = new Database(path);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  progress.end('done');
  return { path, seconds: (performance.now() - t0) / 1000 };
}

const MiB = 1024 * 1024;
const mib = (b: number) => (b / MiB).toFixed(1);
const per = (b: number) => (b >= 100 ? b.toFixed(0) : b.toFixed(1));

function printEngine(name: string, e: EngineSizes): void {
  const out = process.stdout;
  out.write(
    `\n${name}: ${mib(e.totalBytes)} MiB in all, ${per(e.bytesPerDevice)} B a device (filled in ${e.fillSeconds.toFixed(0)} s)\n\n`,
  );
  out.write(
    '| table | rows | rows/device | table MiB | indexes MiB | total MiB | bytes/device |\n|---|---:|---:|---:|---:|---:|---:|\n',
  );
  for (const t of e.tables) {
    if (t.totalBytes === 0 && t.rows === 0) continue;
    out.write(
      `| ${t.table} | ${t.rows.toLocaleString('en')} | ${t.rowsPerDevice.toFixed(2)} | ${mib(t.heapBytes)} | ${mib(t.indexBytes)} | ${mib(t.totalBytes)} | ${per(t.bytesPerDevice)} |\n`,
    );
  }
  out.write('\n| index | table | MiB | bytes/device |\n|---|---|---:|---:|\n');
  for (const i of e.indexes) {
    if (i.bytes < 64 * 1024) continue;
    out.write(`| ${i.index} | ${i.table} | ${mib(i.bytes)} | ${per(i.bytesPerDevice)} |\n`);
  }
}

function printSessions(s: SessionFigures): void {
  const out = process.stdout;
  out.write(
    `\nPeriodic sessions on PostgreSQL (${s.sessions} sessions, ${s.concurrency} at a time, ${s.informParameters} parameters an Inform, full_page_writes ${s.fullPageWrites ? 'on' : 'off'}, from a checkpoint):\n\n`,
  );
  out.write('| per session | |\n|---|---:|\n');
  out.write(
    `| statements sent (BEGIN and COMMIT included) | ${s.statementsPerSession.toFixed(1)} |\n`,
  );
  out.write(`| WAL bytes | ${s.walBytesPerSession.toFixed(0)} |\n`);
  out.write(`| WAL records | ${s.walRecordsPerSession.toFixed(1)} |\n`);
  out.write(`| full-page images | ${s.fullPageImagesPerSession.toFixed(2)} |\n`);
  out.write(
    `| data pages written (checkpoint included) | ${s.pagesWrittenPerSession.toFixed(2)} |\n`,
  );
  out.write(`| data pages read into shared buffers | ${s.pagesReadPerSession.toFixed(2)} |\n`);
  for (const [table, u] of Object.entries(s.updatesPerSession)) {
    out.write(
      `| ${table} row updates (HOT share) | ${u.updates.toFixed(1)} (${(u.hotShare * 100).toFixed(0)} %) |\n`,
    );
  }
  out.write(
    `| server CPU ms (all PostgreSQL processes) | ${s.serverCpuMsPerSession.toFixed(2)} |\n`,
  );
  for (const [table, bytes] of Object.entries(s.growthPerSession)) {
    out.write(`| ${table} growth, bytes | ${bytes.toFixed(0)} |\n`);
  }
  out.write(
    `\n(${s.seconds.toFixed(1)} s for the batch, the store and the server sharing this machine's cores: not a throughput figure.)\n`,
  );
}

// With --full-page-writes, full_page_writes is left off the command line (the tests' server sets it off there,
// which no ALTER SYSTEM overrides) for the batches to switch; room for a large fill without a checkpoint every
// few seconds.
const started = await startTestPostgres({
  settings: FULL_PAGE_WRITES ? { full_page_writes: null, max_wal_size: '8GB' } : {},
});
if ('skip' in started) {
  process.stderr.write(`bench:pg-sizing: ${started.skip}\n`);
  process.exit(1);
}
const server: Server = started;
const dir = mkdtempSync(join(tmpdir(), 'corral-pg-sizing-'));
// Interrupted (^C, kill): the server and the files go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
try {
  const pgFill = await fillPostgres(server);
  const client = new pg.Client({ connectionString: pgFill.url });
  await client.connect();
  let postgres: EngineSizes;
  try {
    progress.phase('PostgreSQL sizes');
    postgres = await postgresSizes(client, pgFill.seconds);
    progress.end('done');
  } finally {
    await client.end();
  }
  const sessions: SessionFigures[] = [];
  if (SESSIONS > 0) {
    const store = await openPostgresStore({
      url: pgFill.url,
      secretKey: SECRET_KEY,
      pool: { max: 8 },
    });
    try {
      for (const fullPageWrites of FULL_PAGE_WRITES ? [false, true] : [false]) {
        const figures = await measureSessions({
          store,
          url: pgFill.url,
          dataDir: server.dataDir,
          devices: DEVICES,
          sessions: SESSIONS,
          concurrency: 8,
          fullPageWrites,
          seed: fullPageWrites ? 67_890 : 12_345,
          progress: tracker(
            `periodic sessions on PostgreSQL, full-page writes ${fullPageWrites ? 'on' : 'off'}`,
            SESSIONS,
          ),
        });
        progress.end(`${figures.sessions} sessions`);
        sessions.push(figures);
      }
    } finally {
      await store.close();
    }
  }
  let sqlite: EngineSizes | undefined;
  if (SQLITE) {
    const fill = await fillSqlite(dir);
    progress.phase('SQLite sizes');
    sqlite = sqliteSizes(fill.path, fill.seconds);
    progress.end('done');
  }
  const machine = { cpus: (await import('node:os')).cpus().length };
  if (JSON_OUT) {
    process.stdout.write(
      `${JSON.stringify({ devices: DEVICES, parameters: PARAMETERS, machine, postgres, sqlite, sessions })}\n`,
    );
  } else {
    process.stdout.write(
      `${DEVICES.toLocaleString('en')} devices, ${PARAMETERS} parameters each, ${machine.cpus} cores\n`,
    );
    printEngine('PostgreSQL', postgres);
    for (const figures of sessions) printSessions(figures);
    if (sqlite !== undefined) printEngine('SQLite', sqlite);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
