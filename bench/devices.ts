import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { addBulkDevices, BULK_MARKED, BULK_UNMARKED } from '../src/cli/bench/bulk-devices.ts';
import type { DeviceListQuery } from '../src/store/devices.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { benchArgs, positiveOption } from './bench-args.ts';
import { median } from './measure.ts';

const parsed = benchArgs(
  `usage: npm run bench:devices [-- options]

The device list at fleet scale, as the console and GET /devices ask it: a page and the total matching, sorted,
filtered on fields, tags and parameter values, deep pages — against a SQLite store filled in bulk with --devices
devices (three parameters each, one of them operator-marked). Each query's median over --runs, beside its floor
measured in the same run: a page of the same size read straight from the devices table by primary key.

  --devices N    devices in the store (default 1000000)
  --runs N       runs per query (default 5)
  --json         one JSON object: {"devices", "floorMs", "queries": {name: medianMs}}
  -h, --help     show this help
`,
  { devices: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
);
const positive = (name: string, fallback: number) => positiveOption(parsed, name, fallback);
const DEVICES = positive('devices', 1_000_000);
const RUNS = positive('runs', 5);
const PAGE = 100;

const dir = mkdtempSync(join(tmpdir(), 'corral-bench-devices-'));
const path = join(dir, 'corral.db');
try {
  const secretKey = new Uint8Array(32);
  await (await openSqliteStore({ path, secretKey })).close();
  const started = performance.now();
  addBulkDevices(path, DEVICES, (done) => {
    process.stderr.write(
      `\r  filling the store: ${done.toLocaleString('en')} / ${DEVICES.toLocaleString('en')}`,
    );
  });
  process.stderr.write(
    `\r  filled ${DEVICES.toLocaleString('en')} devices in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const store = await openSqliteStore({ path, secretKey });
  const raw = new Database(path, { readonly: true });
  const floorPage = raw.prepare('SELECT * FROM devices WHERE key > ? ORDER BY key LIMIT ?');
  const time = async (run: () => unknown): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await run();
      samples.push(performance.now() - t);
    }
    return median(samples);
  };
  // What GET /devices does for one page: the page and the total, as src/api/routes/devices.ts asks them.
  const apiPage = (query: DeviceListQuery) => () =>
    Promise.all([store.devices.list({ limit: PAGE, ...query }), store.devices.count(query.filter)]);

  const floorMs = await time(() => floorPage.all(DEVICES >> 1, PAGE));
  const queries: Record<string, DeviceListQuery> = {
    'first page, by id': {},
    'first page, newest inform first': { sort: { field: 'lastInformAt', direction: 'desc' } },
    'page at the middle (offset N/2), newest first': {
      sort: { field: 'lastInformAt', direction: 'desc' },
      offset: DEVICES >> 1,
    },
    'last page, by id': { offset: DEVICES - PAGE },
    'sorted by first inform': { sort: { field: 'firstInformAt' } },
    'productClass = one of 5': {
      filter: [{ kind: 'field', field: 'productClass', op: 'eq', value: 'F670L' }],
    },
    'softwareVersion = 1.7.0, newest first': {
      filter: [{ kind: 'field', field: 'softwareVersion', op: 'eq', value: '1.7.0' }],
      sort: { field: 'lastInformAt', direction: 'desc' },
    },
    'serialNumber prefix': {
      filter: [{ kind: 'field', field: 'serialNumber', op: 'prefix', value: 'SN00012' }],
    },
    'tag lab (1 %)': { filter: [{ kind: 'tag', tag: 'lab', op: 'has' }] },
    'tag north (30 %)': { filter: [{ kind: 'tag', tag: 'north', op: 'has' }] },
    'marked parameter = value': {
      filter: [{ kind: 'parameter', path: BULK_MARKED, op: 'eq', value: 'net-4242' }],
    },
    'unmarked parameter > number': {
      filter: [{ kind: 'parameter', path: BULK_UNMARKED, op: 'gt', value: 999_000 }],
    },
  };
  const results: Record<string, number> = {};
  for (const [name, query] of Object.entries(queries)) {
    results[name] = await time(apiPage(query));
    process.stderr.write(`  ${name}: ${results[name].toFixed(1)} ms\n`);
  }
  raw.close();
  await store.close();
  if (parsed.json === true) {
    process.stdout.write(`${JSON.stringify({ devices: DEVICES, floorMs, queries: results })}\n`);
  } else {
    const width = Math.max(...Object.keys(results).map((k) => k.length));
    process.stdout.write(
      `\nGET /devices at ${DEVICES.toLocaleString('en')} devices, page of ${PAGE} and the total (median of ${RUNS}):\n`,
    );
    process.stdout.write(
      `  ${'floor: a page by primary key'.padEnd(width)}  ${floorMs.toFixed(2).padStart(9)} ms\n`,
    );
    for (const [name, ms] of Object.entries(results)) {
      process.stdout.write(
        `  ${name.padEnd(width)}  ${ms.toFixed(1).padStart(9)} ms  ${(ms / floorMs).toFixed(1).padStart(7)}× floor\n`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
