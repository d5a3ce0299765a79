/**
 * A full disk (issue #11 item 11): CPEs are told to come back later (503 + Retry-After), not that the ACS broke
 * (500), and the log says so once. The disk is real: a 4 MiB tmpfs the test mounts (root only).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const mountPoint = mkdtempSync(join(tmpdir(), 'corral-full-'));
const unavailable = mountTmpfs();
let store: SqliteStore;
let acs: RunningAcs;
const logs: Array<{ event: string; level: string | undefined }> = [];

/** Why a tmpfs cannot be mounted here, or undefined once it is. */
function mountTmpfs(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], {
      stdio: 'pipe',
    });
    return undefined;
  } catch (error) {
    const why = `cannot mount a tmpfs (needs root): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.CI) throw new Error(why);
    return why;
  }
}

before(async () => {
  if (unavailable) return;
  store = await openSqliteStore({
    path: join(mountPoint, 'corral.db'),
    secretKey: randomBytes(32),
  });
  acs = await startAcs(
    testAcsOptions(store, { log: (event, _fields, level) => logs.push({ event, level }) }),
  );
});

after(async () => {
  if (!unavailable) {
    await acs.close(1000);
    await store.close();
    execFileSync('umount', [mountPoint]);
  }
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Fill the disk to its last byte. */
function fillDisk(): string {
  const filler = join(mountPoint, 'filler');
  execFileSync('sh', ['-c', 'cat /dev/zero > "$1" 2>/dev/null || true', 'fill', filler]);
  return filler;
}

describe('a full disk', { skip: unavailable }, () => {
  it('gives CPEs 503 with Retry-After, logs it once, and serves again once there is space', async () => {
    const first = new ScriptedCpe(acs.url, { serialNumber: 'before-full' });
    assert.equal((await first.inform(['0 BOOTSTRAP'])).status, 200);
    assert.equal((await first.emptyPost()).status, 204);
    first.close();

    const filler = fillDisk();
    const parameters = Array.from({ length: 200 }, (_, i) => ({
      name: `Device.X_TEST.Filler.${i}.Value`,
      value: randomBytes(64).toString('hex'),
      type: 'string',
    }));
    for (const serial of ['full-1', 'full-2', 'full-3']) {
      const cpe = new ScriptedCpe(acs.url, { serialNumber: serial });
      const reply = await cpe.inform(['0 BOOTSTRAP'], parameters);
      assert.equal(reply.status, 503, reply.text);
      assert.ok(Number(reply.headers['retry-after']) >= 1);
      cpe.close();
    }
    const full = logs.filter((l) => l.event === 'storage-full');
    assert.equal(full.length, 1, 'said once, not once per CPE');
    assert.equal(full[0]?.level, 'error');
    assert.ok(!logs.some((l) => l.event === 'cwmp-error'));

    rmSync(filler);
    const after = new ScriptedCpe(acs.url, { serialNumber: 'full-1' });
    assert.equal((await after.inform(['0 BOOTSTRAP'], parameters)).status, 200);
    assert.equal((await after.emptyPost()).status, 204);
    after.close();
    assert.ok(logs.some((l) => l.event === 'storage-writable-again'));
  });
});
