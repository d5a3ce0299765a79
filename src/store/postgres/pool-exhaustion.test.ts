import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { addDevice, identity, inform, SECRET_KEY } from '../suite/harness.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';
import { startTestPostgres, type TestPostgres } from './testing/embedded-postgres.ts';

/**
 * Every connection of a node's pool busy (here: its one connection waiting on a lock another client holds):
 * calls that need one fail after the wait with a line saying so, as the database being unavailable (the ACS
 * answers CPEs 503 + Retry-After), and nothing is lost: the waiting call completes once the lock goes.
 */
const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# pool exhaustion tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);

let store: PostgresStore;

before(async () => {
  if (server === undefined) return;
  await server.createDatabase('corral_pool');
  // The pool's size from the URL, as an operator sets it; a short wait so the test is quick.
  store = await openPostgresStore({
    url: `${server.url('corral_pool')}?max=1`,
    secretKey: SECRET_KEY,
    pool: { connectionTimeoutMillis: 300 },
  });
});

after(async () => {
  await store?.close();
  await server?.stop();
});

describe('a PostgreSQL pool with every connection busy', { skip }, () => {
  it('says so in one line, is a database-unavailable error, and loses nothing', async () => {
    const deviceId = (await addDevice(store, 'POOL1')).device.id;
    const other = new pg.Client({ connectionString: server!.url('corral_pool') });
    await other.connect();
    try {
      await other.query('BEGIN');
      // Writers of devices wait; readers do not.
      await other.query('LOCK TABLE devices IN SHARE ROW EXCLUSIVE MODE');
      // Takes the pool's one connection and waits on the lock.
      const waiting = store.devices.recordInform(inform(identity('POOL1'), { events: ['1 BOOT'] }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await store.devices.get(deviceId).then(
        () => assert.fail('a call got a connection the pool does not have'),
        (error: Error) => error,
      );
      assert.match(
        refused.message,
        /^no database connection came free within 300 ms: all 1 of this node's pool are busy/,
      );
      assert.match(
        String((refused.cause as Error).message),
        /timeout exceeded when trying to connect/,
      );
      await other.query('COMMIT');
      assert.equal((await waiting).created, false);
    } finally {
      await other.end();
    }
    // The Inform that waited is there, beside the first one's events.
    const codes = (await store.devices.events(deviceId)).map((e) => e.code).sort();
    assert.deepEqual(codes, ['0 BOOTSTRAP', '1 BOOT', '1 BOOT']);
  });

  it('refuses a pool size that is not a number from 1 to 1000, in one line', async () => {
    await assert.rejects(
      openPostgresStore({ url: `${server!.url('corral_pool')}?max=lots`, secretKey: SECRET_KEY }),
      /the pool size \?max= is from 1 to 1000, not "lots"/,
    );
  });
});
