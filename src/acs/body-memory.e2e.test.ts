/**
 * Memory before authentication (issue #11 item 2): 64 concurrent 1 MB → 1 GiB gzip bombs once reached 8.5 GB,
 * each inflated up to the 128 MiB cap before it was refused. Now a body no session vouches for is inflated to the
 * small pre-authentication cap at most, as its bytes arrive.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-bombs-'));
let store: SqliteStore;
let acs: RunningAcs;

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  // `corral serve`'s limits: 32 MiB messages, compressed ones up to 4× that.
  acs = await startAcs(
    testAcsOptions(store, { bodyLimits: { maxBytes: 32 << 20, maxDecodedBytes: 128 << 20 } }),
  );
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gzip bombs before authentication', () => {
  it('32 at once are refused with 413 without inflating them: the heap hardly moves', async () => {
    // 1 GiB of zeros in about 1 MB: gzip members, concatenated, are one valid gzip stream.
    const member = gzipSync(Buffer.alloc(16 << 20), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    assert.ok(bomb.length < 2 << 20);
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const cpes = Array.from(
      { length: 32 },
      (_, i) => new ScriptedCpe(acs.url, { serialNumber: `bomb-${i}` }),
    );
    const replies = await Promise.all(
      cpes.map((cpe) =>
        cpe.post(bomb, { 'Content-Encoding': 'gzip' }).catch(() => ({ status: -1 })),
      ),
    );
    clearInterval(sampler);
    for (const cpe of cpes) cpe.close();
    assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([413]));
    const grewMb = (peak - base) / 2 ** 20;
    // Before: each request held up to 128 MiB of inflated bytes (4 GiB for 32).
    assert.ok(grewMb < 300, `RSS grew by ${grewMb.toFixed(0)} MB`);
  });
});
