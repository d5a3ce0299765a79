import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from './acs.ts';
import type { TraceSessions } from './session/deps.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

/** An ACS with the given trace setting, on a fresh store, for the length of `fn`. */
async function withAcs(
  traceSessions: TraceSessions,
  fn: (acs: RunningAcs, store: SqliteStore) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-trace-'));
  const store = await openSqliteStore({ path: join(dir, 'c.db'), secretKey: randomBytes(32) });
  const acs = await startAcs(testAcsOptions(store, { traceSessions }));
  try {
    await fn(acs, store);
  } finally {
    await acs.close(1000);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A periodic session (Inform, empty POST, 204), then one in which the ACS sends a GetParameterValues. */
async function periodicThenTask(acs: RunningAcs, store: SqliteStore): Promise<string> {
  const device = new ScriptedCpe(acs.url, { serialNumber: 'trace-1' });
  await device.inform(['2 PERIODIC']);
  assert.equal((await device.emptyPost()).status, 204);
  device.reset();
  await store.tasks.enqueue(device.deviceId, {
    args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
  });
  await device.inform(['6 CONNECTION REQUEST']);
  const request = await device.emptyPost();
  assert.equal(request.envelope?.body.method, 'GetParameterValues');
  const done = await device.answer(request, {
    method: 'GetParameterValuesResponse',
    ParameterList: [{ name: 'Device.DeviceInfo.UpTime', value: '5', type: 'unsignedInt' }],
  });
  assert.equal(done.status, 204);
  return device.deviceId;
}

describe('which sessions are traced (--trace-sessions)', () => {
  it('all: the periodic session and the one with an RPC', async () => {
    await withAcs('all', async (acs, store) => {
      const id = await periodicThenTask(acs, store);
      const sessions = await store.traces.sessions(id);
      assert.equal(sessions.length, 2);
      assert.deepEqual(
        sessions.map((s) => s.messages),
        [6, 4],
      );
    });
  });

  it('rpc: only the session that did more than an Inform', async () => {
    await withAcs('rpc', async (acs, store) => {
      const id = await periodicThenTask(acs, store);
      const sessions = await store.traces.sessions(id);
      assert.equal(sessions.length, 1);
      const trace = await store.traces.read(id, sessions[0]!.sessionId);
      // The whole session, Inform included, not only the part after the RPC.
      assert.equal(trace?.messages.length, 6);
      assert.match(trace!.messages[0]!.body, /Inform/);
      assert.match(trace!.messages[3]!.body, /GetParameterValues/);
    });
  });

  it('rpc: a session that ends abnormally keeps its trace', async () => {
    await withAcs('rpc', async (acs, store) => {
      const device = new ScriptedCpe(acs.url, { serialNumber: 'trace-2' });
      await device.inform(['2 PERIODIC']);
      // A new Inform supersedes the session left open: that one ends abnormally.
      device.reset();
      await device.inform(['2 PERIODIC']);
      assert.equal((await device.emptyPost()).status, 204);
      const sessions = await store.traces.sessions(device.deviceId);
      for (const s of sessions)
        console.log(JSON.stringify(await store.traces.read(device.deviceId, s.sessionId)));
      assert.equal(sessions.length, 1);
      assert.equal(sessions[0]!.messages, 2);
    });
  });

  it('off: none', async () => {
    await withAcs('off', async (acs, store) => {
      const id = await periodicThenTask(acs, store);
      assert.deepEqual(await store.traces.sessions(id), []);
    });
  });
});
