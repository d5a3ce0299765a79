import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScriptedCpe } from '../acs/testing/scripted-cpe.ts';
import {
  startTestPostgres,
  type TestPostgres,
} from '../store/postgres/testing/embedded-postgres.ts';
import { type ServeChild, startServeChild } from './testing/serve-child.ts';

/**
 * Two `corral serve` nodes on one PostgreSQL database, as behind a load balancer: one session per device
 * across them, a task queued through either node run by the one holding the device's session, one campaign
 * runner, and a node killed with SIGKILL losing nothing the survivor needs.
 */
const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# multi-node tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);

const dir = mkdtempSync(join(tmpdir(), 'corral-nodes-'));
const children: ChildProcess[] = [];
const ADMIN_KEY = `nodes-admin-${randomBytes(12).toString('hex')}`;
const SESSION_TIMEOUT_S = 3;
let nodes: ServeChild[] = [];

before(async () => {
  if (server === undefined) return;
  await server.createDatabase('corral_nodes');
  const env = {
    CORRAL_STORE: server.url('corral_nodes'),
    // Every node's secrets at rest under one key.
    CORRAL_SECRET_KEY: randomBytes(32).toString('hex'),
    CORRAL_API_KEY: ADMIN_KEY,
  };
  const node = (name: string) =>
    startServeChild(
      [
        '--data-dir',
        join(dir, name),
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
        '--session-timeout',
        String(SESSION_TIMEOUT_S),
        '--log-format',
        'json',
      ],
      env,
      children,
    );
  // Both at once: their migrations of the empty database take turns.
  nodes = await Promise.all([node('a'), node('b')]);
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An Inform that must get in: a 503 for the node's own capacity (the machine is shared with other tests) is
 * retried, as a CPE would; one for the device being held by another node is returned at once.
 */
async function informAdmitted(cpe: ScriptedCpe, events: string[]) {
  for (let attempt = 0; ; attempt++) {
    cpe.reset();
    const reply = await cpe.inform(events);
    if (reply.status !== 503 || /another node/.test(reply.text) || attempt === 20) return reply;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const leads = (n: ServeChild) => /"event":"campaign-runner","leading":true/.test(n.output());

async function api(node: ServeChild, method: string, path: string, body?: unknown) {
  const response = await fetch(`${node.apiUrl}${path}`, {
    method,
    headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('two ACS nodes on one PostgreSQL', { skip }, () => {
  it('one node runs the campaigns', async () => {
    await until('a campaign runner', () => nodes.some(leads));
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the other's next try
    assert.equal(nodes.filter(leads).length, 1);
  });

  it("a device's session is on one node; a task queued through the other is run in it", async () => {
    const [a, b] = nodes as [ServeChild, ServeChild];
    const onA = new ScriptedCpe(`http://127.0.0.1:${a.cwmpPort}/`, { serialNumber: 'node-1' });
    assert.equal((await informAdmitted(onA, ['1 BOOT'])).status, 200);
    // The same device at the other node while its session is open: turned away, to come back.
    const onB = new ScriptedCpe(`http://127.0.0.1:${b.cwmpPort}/`, { serialNumber: 'node-1' });
    const refused = await informAdmitted(onB, ['1 BOOT']);
    assert.equal(refused.status, 503);
    assert.match(refused.text, /in progress on another node/);
    assert.ok(Number(refused.headers['retry-after']) >= 1);

    const id = encodeURIComponent(onA.deviceId);
    const queued = await api(b, 'POST', `/api/v1/devices/${id}/tasks`, {
      type: 'getParameterValues',
      parameterNames: ['Device.DeviceInfo.UpTime'],
    });
    assert.ok(queued.status === 201 || queued.status === 202, JSON.stringify(queued));
    const taskId = (queued.body.task as { id: number } | undefined)?.id ?? queued.body.id;
    const request = await onA.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetParameterValues');
    const done = await onA.answer(request, {
      method: 'GetParameterValuesResponse',
      ParameterList: [{ name: 'Device.DeviceInfo.UpTime', value: '77', type: 'unsignedInt' }],
    });
    assert.equal(done.status, 204);
    const task = await api(b, 'GET', `/api/v1/tasks/${taskId}`);
    assert.equal(
      (task.body.task as { state?: string } | undefined)?.state ?? task.body.state,
      'done',
    );

    // Ended on node a: node b takes the device's next session at once.
    const next = await informAdmitted(onB, ['2 PERIODIC']);
    assert.equal(next.status, 200, next.text);
    assert.equal((await onB.emptyPost()).status, 204);
  });

  it('a node killed mid-session: the other takes its campaigns and, once the hold lapses, its device', async () => {
    const leader = nodes.find(leads)!;
    const other = nodes.find((n) => n !== leader)!;
    const cpe = new ScriptedCpe(`http://127.0.0.1:${leader.cwmpPort}/`, { serialNumber: 'node-2' });
    assert.equal((await informAdmitted(cpe, ['1 BOOT', 'M Reboot'])).status, 200);
    leader.child.kill('SIGKILL');
    await until('the survivor to lead', () => leads(other), 15_000);

    const moved = new ScriptedCpe(`http://127.0.0.1:${other.cwmpPort}/`, {
      serialNumber: 'node-2',
    });
    // The dead node's hold lasts the session timeout plus its margin; the device retries as told.
    let status = 0;
    const reasons = new Set<string>();
    const deadline = Date.now() + (SESSION_TIMEOUT_S + 10 + 10) * 1000;
    while (Date.now() < deadline) {
      moved.reset();
      const reply = await moved.inform(['1 BOOT', 'M Reboot']);
      status = reply.status;
      if (status === 200) break;
      reasons.add(reply.text);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    assert.equal(status, 200, [...reasons].join(' | '));
    assert.equal((await moved.emptyPost()).status, 204);
    // The Inform the dead node took was recorded before it answered: nothing of it is lost.
    const events = await api(
      other,
      'GET',
      `/api/v1/devices/${encodeURIComponent(moved.deviceId)}/events`,
    );
    assert.equal(events.status, 200, JSON.stringify(events.body));
    const codes = JSON.stringify(events.body);
    assert.equal(codes.match(/M Reboot/g)?.length, 2, codes);
  });

  it('the database going away: 503 + Retry-After to every session meanwhile, and back by itself', async () => {
    const node = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null)!;
    const cpe = new ScriptedCpe(`http://127.0.0.1:${node.cwmpPort}/`, { serialNumber: 'node-3' });
    // Refusing new connections and cutting those open: a restart or a failover, as the node sees it.
    await server!.admin('ALTER DATABASE corral_nodes ALLOW_CONNECTIONS false');
    await server!.admin(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'corral_nodes'",
    );
    try {
      let refused = await cpe.inform(['1 BOOT']);
      for (let i = 0; i < 20 && !/database/.test(refused.text); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250)); // turned away for capacity: again
        cpe.reset();
        refused = await cpe.inform(['1 BOOT']);
      }
      assert.equal(refused.status, 503, refused.text);
      assert.match(refused.text, /cannot reach its database/);
      assert.equal(refused.headers['retry-after'], '10');
      assert.match(node.output(), /"event":"store-unavailable"/);
    } finally {
      await server!.admin('ALTER DATABASE corral_nodes ALLOW_CONNECTIONS true');
    }
    const back = await informAdmitted(cpe, ['1 BOOT']);
    assert.equal(back.status, 200, back.text);
    assert.equal((await cpe.emptyPost()).status, 204);
    assert.match(node.output(), /"event":"store-available-again"/);
    assert.equal(node.child.exitCode, null, 'the node kept running');
  });
});
