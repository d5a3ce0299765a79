import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

describe('lockDataDir', () => {
  it('lets one holder at a time have the data directory, and the next one have it once released', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-lock-'));
    try {
      const first = lockDataDir(dir);
      assert.throws(
        () => lockDataDir(dir),
        (error: Error) =>
          error instanceof DataDirLockedError &&
          error.message ===
            `the data directory ${dir} is in use by another corral serve (${join(dir, 'corral.lock')} is locked)`,
      );
      first.release();
      first.release();
      lockDataDir(dir).release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
