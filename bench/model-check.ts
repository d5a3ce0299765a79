import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTaskAgainstModel } from '../src/api/task-model-check.ts';
import { StandardDefinitions } from '../src/datamodel/standard/standard-definitions.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { TaskArgs } from '../src/store/task-args.ts';
import { benchArgs, positiveOption } from './bench-args.ts';
import { median } from './measure.ts';

const parsed = benchArgs(
  `usage: npm run bench:model-check [-- options]

What checking a write against the data model adds to creating a task: a SetParameterValues of --parameters
parameters (Wi-Fi SSIDs, periodic-inform settings, IP interfaces: real TR-181 names, their values valid), checked as
POST /devices/{id}/tasks checks it — the standard definitions and, per parameter, what the device reported (one
store lookup each) — beside its floor measured in the same run: queueing the same task in the store (SQLite,
synchronous=full). Medians over --runs.

  --parameters N   parameters in the task (default 1000)
  --runs N         runs (default 21)
  --json           one JSON object: {"parameters","checkMs","perParameterUs","enqueueMs"}
  -h, --help       show this help
`,
  { parameters: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
);
const positive = (name: string, fallback: number) => positiveOption(parsed, name, fallback);
const PARAMETERS = positive('parameters', 1000);
const RUNS = positive('runs', 21);

/** Valid writes over real names, spread over tables and types. */
function parameters(n: number) {
  const out: { name: string; value: string; type: string }[] = [];
  for (let i = 0; out.length < n; i++) {
    const k = (i % 200) + 1;
    out.push(
      { name: `Device.WiFi.SSID.${k}.SSID`, value: `net-${i}`, type: 'string' },
      { name: `Device.WiFi.SSID.${k}.Enable`, value: 'true', type: 'boolean' },
      {
        name: `Device.IP.Interface.${k}.IPv4Address.1.IPAddress`,
        value: `10.0.${k}.1`,
        type: 'string',
      },
      { name: `Device.IP.Interface.${k}.MaxMTUSize`, value: '1500', type: 'unsignedInt' },
      {
        name: 'Device.ManagementServer.PeriodicInformInterval',
        value: String(60 + i),
        type: 'unsignedInt',
      },
    );
  }
  return out.slice(0, n);
}

const dir = mkdtempSync(join(tmpdir(), 'corral-bench-model-'));
try {
  const store = await openSqliteStore({
    path: join(dir, 'corral.db'),
    secretKey: new Uint8Array(32),
  });
  const { device } = await store.devices.recordInform({
    device: { oui: '00D09E', productClass: 'Bench', serialNumber: 'MC1', manufacturer: 'Bench' },
    events: [{ code: '1 BOOT', commandKey: '' }],
    parameters: parameters(PARAMETERS).map((p) => ({
      path: p.name,
      value: p.value,
      type: p.type,
      writable: true,
    })),
  });
  const definitions = await StandardDefinitions.load();
  const args: TaskArgs = {
    type: 'setParameterValues',
    parameters: parameters(PARAMETERS),
    parameterKey: '',
  };
  const principal = { kind: 'admin-key', id: 'env', role: 'admin' } as const;
  const lookup = (path: string) => store.parameters.get(device.id, path);
  const check: number[] = [];
  const enqueue: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    const warnings = await checkTaskAgainstModel(args, definitions, lookup, false, principal);
    check.push(performance.now() - t);
    if (warnings.length > 0)
      throw new Error(`the benchmark's writes should be valid: ${warnings[0]}`);
    t = performance.now();
    await store.tasks.enqueue(device.id, { args });
    enqueue.push(performance.now() - t);
  }
  await store.close();
  const checkMs = median(check);
  const enqueueMs = median(enqueue);
  const perParameterUs = (checkMs * 1000) / PARAMETERS;
  if (parsed.json === true) {
    process.stdout.write(
      `${JSON.stringify({ parameters: PARAMETERS, checkMs, perParameterUs, enqueueMs })}\n`,
    );
  } else {
    process.stdout.write(
      `A SetParameterValues of ${PARAMETERS} parameters (median of ${RUNS}):\n` +
        `  the data-model check   ${checkMs.toFixed(2).padStart(8)} ms   ${perParameterUs.toFixed(1)} µs a parameter\n` +
        `  floor: queueing it     ${enqueueMs.toFixed(2).padStart(8)} ms\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
