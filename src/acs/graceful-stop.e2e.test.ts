/**
 * Stopping the ACS (issue #11 item 9: SIGTERM cut sessions within milliseconds and left zero-touch tasks failed
 * for good): no new session starts, a session in flight finishes the RPC under way, its device's other tasks
 * stay queued, and only what is still open at the deadline is cut.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-stop-'));
let store: SqliteStore;

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
});

after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a graceful stop', () => {
  it('lets a session finish its RPC, keeps the unsent tasks queued and turns new sessions away', async () => {
    const acs = await startAcs(testAcsOptions(store));
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'stopping-1' });
    assert.equal((await cpe.inform(['1 BOOT'])).status, 200);
    const read = await store.tasks.enqueue(cpe.deviceId, {
      args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] },
    });
    const reboot = await store.tasks.enqueue(cpe.deviceId, {
      args: { type: 'reboot', commandKey: 'later' },
    });
    const request = await cpe.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetParameterValues');

    const closing = acs.close(5000);
    const stopped = { done: false };
    void closing.then(() => {
      stopped.done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(stopped.done, false, 'waits for the session in flight');
    const latecomer = new ScriptedCpe(acs.url, { serialNumber: 'stopping-2' });
    const refused = await latecomer.inform(['1 BOOT']);
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    latecomer.close();

    // The CPE answers on its kept-alive connection, which is still there; the session ends with 204.
    const end = await cpe.answer(request, {
      method: 'GetParameterValuesResponse',
      ParameterList: [],
    });
    assert.equal(end.status, 204);
    await closing;
    assert.equal((await store.tasks.get(read.id))?.state, 'done');
    const queued = await store.tasks.get(reboot.id);
    assert.equal(queued?.state, 'pending', 'never sent, so not interrupted');
    assert.equal(queued?.fault, null);
    cpe.close();
  });

  it('cuts what is still open at the deadline, releasing its claimed task by the store’s rule', async () => {
    const acs = await startAcs(testAcsOptions(store));
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'stopping-3' });
    await cpe.inform(['1 BOOT']);
    const read = await store.tasks.enqueue(cpe.deviceId, {
      args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] },
    });
    assert.equal((await cpe.emptyPost()).envelope?.body.method, 'GetParameterValues');
    const started = Date.now();
    await acs.close(300);
    assert.ok(Date.now() - started < 2000);
    // A read whose answer never came goes back to the queue.
    assert.equal((await store.tasks.get(read.id))?.state, 'pending');
    cpe.close();
  });
});
