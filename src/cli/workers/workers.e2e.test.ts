import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScriptedCpe } from '../../acs/testing/scripted-cpe.ts';
import {
  startTestPostgres,
  type TestPostgres,
} from '../../store/postgres/testing/embedded-postgres.ts';
import { type ServeChild, startServeChild } from '../testing/serve-child.ts';
import { addressHash } from './primary.ts';

/**
 * `corral serve --workers 2` on a real PostgreSQL: CPE addresses spread over both workers, a CPE that reconnects
 * mid-session stays with its worker, /metrics counts every worker's sessions, a killed worker is started again,
 * and SIGTERM stops them all.
 */
const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# workers tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);

const dir = mkdtempSync(join(tmpdir(), 'corral-workers-'));
const children: ChildProcess[] = [];
const ADMIN_KEY = `workers-admin-${randomBytes(12).toString('hex')}`;
let serve: ServeChild;

/** Loopback addresses the primary hands to worker 0 and to worker 1, two of each. */
const ADDRESSES: [string[], string[]] = [[], []];
for (let n = 2; ADDRESSES[0].length < 2 || ADDRESSES[1].length < 2; n++) {
  const address = `127.0.0.${n}`;
  const list = ADDRESSES[addressHash(address) % 2]!;
  if (list.length < 2) list.push(address);
}

before(async () => {
  if (server === undefined) return;
  await server.createDatabase('corral_workers');
  serve = await startServeChild(
    [
      '--workers',
      '2',
      '--data-dir',
      join(dir, 'data'),
      '--cwmp-host',
      '127.0.0.1',
      '--cwmp-port',
      '0',
      '--api-port',
      '0',
      '--file-port',
      '0',
      '--accept-any-cpe',
      '--zero-touch',
      'false',
      '--log-format',
      'json',
    ],
    { CORRAL_STORE: server.url('corral_workers'), CORRAL_API_KEY: ADMIN_KEY },
    children,
  );
  await until('both workers', () => /"event":"workers-ready"/.test(serve.output()));
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of workerPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}:\n${serve?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function logLines(): Record<string, unknown>[] {
  return serve
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function workerPids(): number[] {
  if (serve === undefined) return [];
  return logLines()
    .filter((l) => l.event === 'worker-started')
    .map((l) => Number(l.pid));
}

/** The worker that ended this device's sessions, from their session-end lines. */
function workersOf(deviceId: string): unknown[] {
  return logLines()
    .filter((l) => l.event === 'session-end' && l.deviceId === deviceId)
    .map((l) => l.worker);
}

/** A whole periodic session; a 503 (the machine is shared, admission may shed) is retried as a CPE would. */
async function session(cpe: ScriptedCpe): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    cpe.reset();
    const reply = await cpe.inform(['2 PERIODIC']);
    if (reply.status === 200) break;
    assert.ok(reply.status === 503 && attempt < 20, `${reply.status} ${reply.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal((await cpe.emptyPost()).status, 204);
}

async function metric(name: string): Promise<number> {
  const response = await fetch(`${serve.apiUrl}/metrics`, { headers: { 'x-api-key': ADMIN_KEY } });
  assert.equal(response.status, 200);
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? 0);
}

describe('corral serve --workers 2 on PostgreSQL', { skip }, () => {
  it('starts once as far as the user sees: one set of listening lines, one console password', () => {
    assert.equal(serve.output().match(/CWMP endpoint listening on/g)?.length, 1);
    assert.equal(serve.output().match(/Console: log in at/g)?.length, 1);
    assert.equal(workerPids().length, 2);
  });

  it('spreads CPE addresses over the workers, each address always to the same one', async () => {
    for (const worker of [0, 1]) {
      for (const [i, address] of ADDRESSES[worker]!.entries()) {
        const cpe = new ScriptedCpe(`http://127.0.0.1:${serve.cwmpPort}/`, {
          serialNumber: `W${worker}-${i}`,
          localAddress: address,
        });
        await session(cpe);
        await session(cpe);
        await until('the session ends in the log', () => workersOf(cpe.deviceId).length === 2);
        assert.deepEqual(workersOf(cpe.deviceId), [worker, worker]);
      }
    }
  });

  it('a CPE that reconnects mid-session (quirk 19) reaches the worker that holds its session', async () => {
    for (const address of [ADDRESSES[0][0]!, ADDRESSES[1][0]!]) {
      const cpe = new ScriptedCpe(`http://127.0.0.1:${serve.cwmpPort}/`, {
        serialNumber: `reconnect-${address}`,
        localAddress: address,
      });
      assert.equal((await cpe.inform(['2 PERIODIC'])).status, 200);
      cpe.dropConnection();
      assert.equal((await cpe.emptyPost()).status, 204);
    }
  });

  it('/metrics counts the sessions of every worker', async () => {
    // 8 periodic sessions and 2 reconnected ones so far, over both workers.
    assert.equal(await metric('corral_cwmp_sessions_completed_total'), 10);
  });

  it('a worker killed with SIGKILL is started again, and its addresses come back to it', async () => {
    const victim = logLines().find((l) => l.event === 'worker-started' && l.worker === 1)!;
    process.kill(Number(victim.pid), 'SIGKILL');
    await until('worker 1 started again', () =>
      logLines().some(
        (l) => l.event === 'worker-started' && l.worker === 1 && l.pid !== victim.pid,
      ),
    );
    await until(
      'worker 1 ready again',
      () => logLines().filter((l) => l.event === 'workers-ready').length === 2,
    );
    assert.ok(logLines().some((l) => l.event === 'worker-exited' && l.signal === 'SIGKILL'));
    const cpe = new ScriptedCpe(`http://127.0.0.1:${serve.cwmpPort}/`, {
      serialNumber: 'after-restart',
      localAddress: ADDRESSES[1][1]!,
    });
    await session(cpe);
    await until('the session ends in the log', () => workersOf(cpe.deviceId).length === 1);
    assert.deepEqual(workersOf(cpe.deviceId), [1]);
  });

  it('SIGTERM stops every worker, then the primary, with exit code 0', async () => {
    const pids = workerPids();
    const exited = new Promise<number | null>((resolve) => serve.child.once('exit', resolve));
    serve.child.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const pid of pids) {
      assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
    }
  });
});
