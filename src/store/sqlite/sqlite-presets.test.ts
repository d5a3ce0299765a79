import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SECRET_KEY } from '../suite/harness.ts';
import { openSqliteStore } from './sqlite-store.ts';

test('lists the same frozen records while the presets are unchanged, and new ones once any changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-presets-'));
  const path = join(dir, 'corral.db');
  const store = await openSqliteStore({ path, secretKey: SECRET_KEY, synchronous: 'normal' });
  const other = await openSqliteStore({ path, secretKey: SECRET_KEY, synchronous: 'normal' });
  try {
    await store.presets.put('a', {
      weight: 1,
      declarations: { values: [{ path: 'Device.X', value: 1 }] },
    });
    const first = await store.presets.list();
    const again = await store.presets.list();
    assert.notEqual(again, first, 'a new array, which the caller may sort');
    assert.equal(again[0], first[0], 'the same record');
    assert.ok(Object.isFrozen(first[0]!.definition));
    assert.throws(() => {
      (first[0]!.definition as { weight: number }).weight = 2;
    }, TypeError);

    await store.presets.put('a', { weight: 3 });
    const edited = await store.presets.list();
    assert.notEqual(edited[0], first[0]);
    assert.deepEqual(edited[0]!.definition, { weight: 3 });

    await other.presets.put('a', { weight: 4 });
    assert.deepEqual(
      (await store.presets.list())[0]!.definition,
      { weight: 4 },
      "another process's edit",
    );
  } finally {
    await other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
