import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { SECRET_KEY } from '../suite/harness.ts';
import { PgCoordination } from './pg-coordination.ts';
import { openPostgresStore } from './postgres-store.ts';
import { startTestPostgres, type TestPostgres } from './testing/embedded-postgres.ts';

const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# postgres coordination tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);
const DATABASE = 'corral_coordination';

/** A node: its own pool and connection, as a separate `corral serve` process has. */
function node(name: string): { coordination: PgCoordination; pool: pg.Pool } {
  const url = server!.url(DATABASE);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const coordination = new PgCoordination({
    pool,
    connect: () => new pg.Client({ connectionString: url }),
    nodeId: name,
  });
  return { coordination, pool };
}

async function closeNode(n: { coordination: PgCoordination; pool: pg.Pool }): Promise<void> {
  await n.coordination.close();
  await n.pool.end();
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

before(async () => {
  if (server === undefined) return;
  await server.createDatabase(DATABASE);
  // The holds table comes from the store's migrations, as on a real installation.
  await (await openPostgresStore({ url: server.url(DATABASE), secretKey: SECRET_KEY })).close();
});

after(async () => {
  await server?.stop();
});

describe('coordination of ACS nodes on PostgreSQL', { skip }, () => {
  it('a device is held by one node at a time; a lapsed hold is taken over; a late release frees nothing', async () => {
    const a = node('node-a');
    const b = node('node-b');
    try {
      const { coordination: ca } = a;
      const { coordination: cb } = b;
      assert.equal(await ca.holdDevice('dev-1', 's1', 30_000), true);
      assert.equal(await cb.holdDevice('dev-1', 't1', 30_000), false, 'held by node a');
      assert.equal(await ca.holdDevice('dev-1', 's1', 30_000), true, 'renewed');
      assert.equal(
        await ca.holdDevice('dev-1', 's2', 30_000),
        true,
        'node a decides among its own',
      );
      await ca.releaseDevice('dev-1', 's1'); // the session s2 replaced: nothing to free
      assert.equal(await cb.holdDevice('dev-1', 't1', 30_000), false);
      await ca.releaseDevice('dev-1', 's2');
      assert.equal(await cb.holdDevice('dev-1', 't1', 50), true, 'released: node b takes it');
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(
        await ca.holdDevice('dev-1', 's3', 30_000),
        true,
        'lapsed: node a takes it back',
      );
      await cb.releaseDevice('dev-1', 't1');
      assert.equal(
        await cb.holdDevice('dev-1', 't2', 30_000),
        false,
        "b's late release freed nothing",
      );
      // A device id of any size (they are the device's strings) is held by its hash.
      const long = `OUI-${'x'.repeat(20_000)}-SN`;
      assert.equal(await ca.holdDevice(long, 's4', 30_000), true);
      assert.equal(await cb.holdDevice(long, 't4', 30_000), false);
    } finally {
      await closeNode(a);
      await closeNode(b);
    }
  });

  it('one node leads a role; when it dies (its connection gone) another takes over within seconds', async () => {
    const a = node('lead-a');
    const b = node('lead-b');
    const states: Record<string, boolean[]> = { a: [], b: [] };
    try {
      a.coordination.lead('campaigns', (leading) => states.a!.push(leading));
      await until('node a to lead', () => states.a!.at(-1) === true);
      b.coordination.lead('campaigns', (leading) => states.b!.push(leading));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.deepEqual(states.b, [], 'b does not lead while a does');
      // Node a's process dies: the server ends its connection (and so its lock).
      await server!.admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DATABASE}' AND query LIKE '%pg_try_advisory_lock%' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')`,
      );
      await until('node a to know it lost the role', () => states.a!.at(-1) === false);
      await until(
        'a node to lead again',
        () => states.b!.at(-1) === true || states.a!.at(-1) === true,
      );
      const leaders = [states.a!.at(-1), states.b!.at(-1)].filter((s) => s === true);
      assert.equal(leaders.length, 1, 'exactly one leader');
    } finally {
      await closeNode(a);
      await closeNode(b);
    }
  });

  it('a broadcast reaches the other nodes, not its sender', async () => {
    const a = node('bc-a');
    const b = node('bc-b');
    try {
      const got: Record<string, string[]> = { a: [], b: [] };
      a.coordination.listen('corral_changes', (m) => got.a!.push(m));
      b.coordination.listen('corral_changes', (m) => got.b!.push(m));
      // Listening starts once each node's own connection is open.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await a.coordination.broadcast('corral_changes', '{"kind":"device"}');
      await until('node b to hear it', () => got.b!.length === 1);
      assert.deepEqual(got.b, ['{"kind":"device"}']);
      assert.deepEqual(got.a, []);
    } finally {
      await closeNode(a);
      await closeNode(b);
    }
  });
});
