import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isStoreError } from '../errors.ts';
import { GroupCommit } from './group-commit.ts';
import { type CommitSync, WalSync } from './wal-sync.ts';

/** The WAL's real sync, held at a gate the test opens: to see what happens while an fsync is in flight. */
class GatedSync implements CommitSync {
  calls = 0;
  syncedNow = 0;
  readonly #gates: Array<() => void> = [];
  readonly #real: WalSync;
  readonly #failure: NodeJS.ErrnoException | undefined;

  constructor(path: string, failure?: NodeJS.ErrnoException) {
    this.#real = WalSync.open(path);
    this.#failure = failure;
  }

  async sync(): Promise<void> {
    this.calls++;
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    if (this.#failure !== undefined) throw this.#failure;
    await this.#real.sync();
  }

  syncNow(): void {
    this.syncedNow++;
    this.#real.syncNow();
  }

  /** Lets the oldest held fsync go on. */
  open(): void {
    this.#gates.shift()?.();
  }

  close(): void {
    this.#real.close();
  }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `still waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Whether a promise has settled by now (its handlers have had their turn). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('group commit', () => {
  let dir: string;
  let path: string;
  let db: Database.Database;
  /** A second connection: what another process (or a restart) would see, committed rows only. */
  let other: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'corral-group-'));
    path = join(dir, 'g.db');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE t (v TEXT, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    other = new Database(path, { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert =
    (v: string, parent: number | null = null) =>
    () =>
      db.prepare('INSERT INTO t (v, parent) VALUES (?, ?)').run(v, parent).changes;
  const committed = () =>
    (other.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map((r) => r.v);

  it('runs each write at once but resolves it only once committed; concurrent writes share one commit', async () => {
    const group = new GroupCommit(db, 50);
    const a = group.write(insert('a'));
    const b = group.write(insert('b'));
    // Both ran (this connection sees them) and neither is durable yet.
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2);
    assert.deepEqual(committed(), []);
    let resolved = false;
    void a.then(() => {
      resolved = true;
      assert.deepEqual(committed(), ['a', 'b'], 'resolved only after the commit');
    });
    assert.equal(resolved, false);
    assert.deepEqual(await Promise.all([a, b]), [1, 1]);
    assert.equal(db.inTransaction, false);
  });

  it('spaces commits by the interval while every turn of the loop writes, and commits once a turn does not', async () => {
    let commits = 0;
    const hooks = { begun: () => {}, rolledBack: () => {}, committed: () => commits++ };
    const group = new GroupCommit(db, 300, hooks);
    const started = performance.now();
    await group.write(insert('first'));
    assert.ok(
      performance.now() - started < 250,
      'a lone write after a quiet spell commits on the next turn',
    );
    // A write on every turn for 450 ms: commits come no sooner than the interval apart.
    const busyFrom = performance.now();
    const busy: Promise<number>[] = [];
    let n = 0;
    while (performance.now() - busyFrom < 450) {
      busy.push(group.write(insert(`busy${n++}`)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(
      commits <= 3,
      `${commits} commits for the first write and 450 ms of writes every turn`,
    );
    await Promise.all(busy);
    // The loop is quiet: a lone write commits on the turn after it, the interval notwithstanding.
    const quietFrom = performance.now();
    await group.write(insert('last'));
    assert.ok(performance.now() - quietFrom < 100, `waited ${performance.now() - quietFrom} ms`);
    assert.equal(committed().length, n + 2);
  });

  it('a write that throws undoes only itself; the others in its group commit', async () => {
    const group = new GroupCommit(db, 20);
    const kept = group.write(insert('kept'));
    assert.throws(
      () =>
        group.write(() => {
          insert('undone')();
          throw new Error('refused');
        }),
      /refused/,
    );
    await kept;
    assert.deepEqual(committed(), ['kept']);
  });

  it('a COMMIT that fails rejects every write of its group, keeps none, and the next group works', async () => {
    const group = new GroupCommit(db, 20);
    const fine = group.write(insert('fine'));
    // A deferred foreign key is checked at COMMIT: this write succeeds, its group's commit cannot.
    const orphan = group.write(insert('orphan', 42));
    const outcomes = await Promise.allSettled([fine, orphan]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected'],
    );
    assert.match(String((outcomes[0] as PromiseRejectedResult).reason), /FOREIGN KEY/);
    assert.equal(db.inTransaction, false);
    assert.deepEqual(committed(), []);
    await group.write(insert('after'));
    assert.deepEqual(committed(), ['after']);
  });

  it('flush commits what waits at once (closing the store loses nothing)', async () => {
    const group = new GroupCommit(db, 1000);
    await group.write(insert('one'));
    const pending = group.write(insert('two'));
    group.flush();
    assert.deepEqual(committed(), ['one', 'two']);
    await pending;
  });

  it('with an interval of 0 each write is its own transaction, durable when the call returns', async () => {
    const group = new GroupCommit(db, 0);
    const p = group.write(insert('now'));
    assert.deepEqual(committed(), ['now']);
    assert.equal(db.inTransaction, false);
    await p;
  });

  it('nested writes join the outer one', async () => {
    const group = new GroupCommit(db, 10);
    const outer = group.write(() => {
      insert('outer')();
      void group.write(insert('inner'));
      return 'done';
    });
    assert.equal(await outer, 'done');
    assert.deepEqual(committed(), ['outer', 'inner']);
  });

  it('with a CommitSync a group is told only once its fsync is done; the next gathers meanwhile and commits after it', async () => {
    const sync = new GatedSync(path);
    const group = new GroupCommit(db, 1, undefined, sync);
    const a = group.write(insert('a'));
    await until(() => sync.calls === 1);
    assert.deepEqual(committed(), ['a'], 'committed (SQLite wrote the WAL) before the fsync');
    assert.equal(await settled(a), false, 'not told before its fsync is done');
    const b = group.write(insert('b'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(sync.calls, 1, 'one fsync in flight at a time');
    assert.deepEqual(committed(), ['a'], 'b waits in the open group');
    sync.open();
    assert.equal(await a, 1);
    await until(() => sync.calls === 2);
    assert.deepEqual(committed(), ['a', 'b']);
    assert.equal(await settled(b), false);
    sync.open();
    assert.equal(await b, 1);
    group.close();
  });

  it('an fsync that fails fails its group, the open one and every write after it, with a typed error', async () => {
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    const sync = new GatedSync(path, eio);
    const group = new GroupCommit(db, 1, undefined, sync);
    const a = group.write(insert('a'));
    await until(() => sync.calls === 1);
    const b = group.write(insert('b'));
    sync.open();
    for (const outcome of await Promise.allSettled([a, b])) {
      assert.equal(outcome.status, 'rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      assert.ok(isStoreError(reason, 'disk-failed'), String(reason));
      assert.match(reason.message, /the disk failed to sync the database \(EIO\)/);
      assert.equal(reason.cause, eio);
    }
    assert.equal(db.inTransaction, false, 'the open group was rolled back');
    assert.deepEqual(committed(), ['a']);
    assert.throws(() => group.write(insert('c')), /the disk failed to sync/);
    assert.deepEqual(committed(), ['a']);
    group.close();
  });

  it('closing while an fsync is in flight syncs at once and tells both groups', async () => {
    const sync = new GatedSync(path);
    const group = new GroupCommit(db, 1, undefined, sync);
    const a = group.write(insert('a'));
    await until(() => sync.calls === 1);
    const b = group.write(insert('b'));
    group.close();
    assert.equal(sync.syncedNow, 1);
    assert.deepEqual(await Promise.all([a, b]), [1, 1]);
    assert.deepEqual(committed(), ['a', 'b']);
    sync.open(); // the held fsync ends after the close: told no one, harmless
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});
