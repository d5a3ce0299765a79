import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.ts';
import { WalSync } from './wal-sync.ts';

/** The real WalSync, keeping a log of its syncs and of what was committed when each began and ended. */
class RecordingWalSync extends WalSync {
  readonly log: string[] = [];
  constructor(
    path: string,
    private readonly committed: () => string[],
  ) {
    super(path);
  }
  override sync(done: (error: Error | null) => void): void {
    this.log.push(`sync ${this.committed().join(',')}`);
    super.sync((error) => {
      this.log.push(`synced ${error === null ? 'ok' : error.message}`);
      done(error);
    });
  }
}

describe('group commit with the WAL synced off the event loop', () => {
  let dir: string;
  let path: string;
  let db: Database.Database;
  let other: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'corral-wal-'));
    path = join(dir, 'w.db');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (v TEXT)');
    other = new Database(path, { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
  const committed = () =>
    (other.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map((r) => r.v);

  it('tells a write’s caller only once the WAL holding its commit is synced', async () => {
    const wal = new RecordingWalSync(path, committed);
    const group = new GroupCommit(db, 1, undefined, wal);
    const told: string[] = [];
    await group.write(insert('a')).then(() => told.push(`told after: ${wal.log.join(' | ')}`));
    assert.deepEqual(told, ['told after: sync a | synced ok']);
    await wal.close();
  });

  it('gathers the writes made while a sync is in flight into the next group, synced once', async () => {
    const wal = new RecordingWalSync(path, committed);
    const group = new GroupCommit(db, 1, undefined, wal);
    const first = group.write(insert('a'));
    while (wal.log.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // The first group's sync is in flight: these three wait for it to end, then commit and sync together.
    const rest = ['b', 'c', 'd'].map((v) => group.write(insert(v)));
    await Promise.all([first, ...rest]);
    assert.deepEqual(wal.log, ['sync a', 'synced ok', 'sync a,b,c,d', 'synced ok']);
    await wal.close();
  });

  it('flush commits and syncs at once, the group in flight with it (closing the store loses nothing)', async () => {
    const wal = new RecordingWalSync(path, committed);
    const group = new GroupCommit(db, 1000, undefined, wal);
    const first = group.write(insert('one'));
    while (wal.log.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = group.write(insert('two'));
    group.flush();
    await wal.close();
    assert.deepEqual(committed(), ['one', 'two']);
    await Promise.all([first, second]);
  });

  it('a sync that fails rejects its group’s writes with the error', async () => {
    // A WAL that is not there (the database beside it is another): its open fails as an I/O error would.
    const wal = new WalSync(join(dir, 'missing', 'x.db'));
    const group = new GroupCommit(db, 1, undefined, wal);
    await assert.rejects(group.write(insert('lost')), { code: 'ENOENT' });
    const noGroup = new GroupCommit(db, 0, undefined, wal);
    await assert.rejects(noGroup.write(insert('alone')), { code: 'ENOENT' });
    await wal.close();
  });

  it('with an interval of 0 each write is its own transaction, told once its WAL is synced', async () => {
    const wal = new RecordingWalSync(path, committed);
    const group = new GroupCommit(db, 0, undefined, wal);
    await group.write(insert('now'));
    assert.deepEqual(wal.log, ['sync now', 'synced ok']);
    await wal.close();
  });
});
