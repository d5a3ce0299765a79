import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isStoreError } from './errors.ts';
import { openStore, parseStoreSpec } from './open-store.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { startTestPostgres, type TestPostgres } from './postgres/testing/embedded-postgres.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import { SECRET_KEY } from './suite/harness.ts';

const PASSWORD = 's3cret-pw-9f1e';

function rejectsQuietly(e: unknown): boolean {
  assert.ok(isStoreError(e, 'invalid'), String(e));
  const message = (e as Error).message;
  assert.doesNotMatch(message, new RegExp(PASSWORD));
  assert.doesNotMatch(message, /\n/);
  return true;
}

describe('openStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-open-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a plain directory and sqlite:DIR as SQLite, postgres:// and postgresql:// as PostgreSQL', () => {
    assert.deepEqual(parseStoreSpec('./data'), { engine: 'sqlite', dir: './data' });
    assert.deepEqual(parseStoreSpec('C:\\data'), { engine: 'sqlite', dir: 'C:\\data' });
    assert.deepEqual(parseStoreSpec('sqlite:/var/lib/corral'), {
      engine: 'sqlite',
      dir: '/var/lib/corral',
    });
    assert.deepEqual(parseStoreSpec('sqlite:///var/lib/corral'), {
      engine: 'sqlite',
      dir: '/var/lib/corral',
    });
    for (const url of ['postgres://u:p@db/corral', 'postgresql://db/corral']) {
      assert.deepEqual(parseStoreSpec(url), { engine: 'postgres', url });
    }
  });

  it('refuses anything else in one line that never shows the password', async () => {
    for (const spec of [
      `mysql://corral:${PASSWORD}@db/corral`,
      `postgres://corral:${PASSWORD}@[db/corral`,
      'sqlite:',
      '',
    ]) {
      assert.throws(() => parseStoreSpec(spec), rejectsQuietly);
      await assert.rejects(openStore(spec, { secretKey: SECRET_KEY }), rejectsQuietly);
    }
    // A server that is not there: the error names no password either.
    await assert.rejects(
      openStore(`postgres://corral:${PASSWORD}@127.0.0.1:1/corral`, {
        secretKey: SECRET_KEY,
        postgres: { pool: { connectionTimeoutMillis: 2000 } },
      }),
      rejectsQuietly,
    );
  });

  it('opens SQLite (DIR/corral.db) from a directory and from sqlite:DIR', async () => {
    for (const spec of [join(dir, 'a'), `sqlite:${join(dir, 'b')}`]) {
      const store = await openStore(spec, {
        secretKey: SECRET_KEY,
        sqlite: { synchronous: 'normal' },
      });
      assert.ok(store instanceof SqliteStore);
      assert.equal(store.path, join(spec.replace(/^sqlite:/, ''), 'corral.db'));
      await store.close();
    }
  });

  describe('with PostgreSQL', async () => {
    const started = await startTestPostgres();
    const server = 'skip' in started ? undefined : (started as TestPostgres);
    after(() => server?.stop());

    it('opens PostgreSQL from a postgres:// URL', {
      skip: 'skip' in started && started.skip,
    }, async () => {
      await server!.createDatabase('open_store');
      const store = await openStore(server!.url('open_store'), { secretKey: SECRET_KEY });
      assert.ok(store instanceof PostgresStore);
      assert.equal(await store.devices.count(), 0);
      await store.close();
    });
  });
});
