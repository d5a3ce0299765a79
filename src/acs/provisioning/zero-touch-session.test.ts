import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CwmpMessage, CwmpRpc } from '../../cwmp/index.ts';
import { Secret } from '../../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from '../acs.ts';
import { testAcsOptions } from '../testing/acs-options.ts';
import { ScriptedCpe } from '../testing/scripted-cpe.ts';

const MS = 'Device.ManagementServer.';
const dir = mkdtempSync(join(tmpdir(), 'corral-zero-touch-'));
let store: SqliteStore;
let acs: RunningAcs;

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  acs = await startAcs(
    testAcsOptions(store, {
      zeroTouch: {
        periodicInformInterval: 600,
        connectionRequestCredentials: false,
        acsCredentials: true,
      },
    }),
  );
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A 0 BOOTSTRAP session: the device reports `username` when asked and answers the SetParameterValues with
 * `setAnswer`. Returns the ACS's requests, in order.
 */
async function bootstrap(
  cpe: ScriptedCpe,
  username: string,
  setAnswer: CwmpMessage = { method: 'SetParameterValuesResponse', Status: 0 },
  informParameters: { name: string; value: string; type: string }[] = [],
): Promise<CwmpRpc[]> {
  cpe.reset();
  assert.equal((await cpe.inform(['0 BOOTSTRAP', '1 BOOT'], informParameters)).status, 200);
  const requests: CwmpRpc[] = [];
  let reply = await cpe.emptyPost();
  while (reply.status === 200) {
    const request = reply.envelope?.body as CwmpRpc;
    requests.push(request);
    const answer: CwmpMessage =
      request.method === 'GetParameterValues'
        ? {
            method: 'GetParameterValuesResponse',
            ParameterList: [{ name: `${MS}Username`, value: username, type: 'string' }],
          }
        : setAnswer;
    reply = await cpe.answer(reply, answer);
  }
  assert.equal(reply.status, 204);
  return requests;
}

const namesSet = (requests: CwmpRpc[]) =>
  requests.flatMap((r) =>
    r.method === 'SetParameterValues' ? r.ParameterList.map((p) => p.name) : [],
  );

describe('zero-touch with acsCredentials, step by step', () => {
  it('a device the ACS keeps no credential for gets one in the one SetParameterValues', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'zt-new' });
    const requests = await bootstrap(cpe, 'whatever');
    assert.deepEqual(
      requests.map((r) => r.method),
      ['SetParameterValues'],
    );
    assert.ok(namesSet(requests).includes(`${MS}Username`));
    assert.ok(namesSet(requests).includes(`${MS}Password`));
    const own = await store.credentials.getCpe(cpe.deviceId);
    const sent = requests[0]?.method === 'SetParameterValues' ? requests[0].ParameterList : [];
    assert.equal(own?.username, sent.find((p) => p.name === `${MS}Username`)?.value);
    cpe.close();
  });

  it('a device on its own credential, as its Inform says, is left on it without a read', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'zt-own' });
    await store.credentials.setCpe(cpe.deviceId, {
      username: 'factory-user',
      password: new Secret('factory-pw'),
    });
    const requests = await bootstrap(cpe, 'unused', undefined, [
      { name: `${MS}Username`, value: 'factory-user', type: 'string' },
    ]);
    assert.deepEqual(
      requests.map((r) => r.method),
      ['SetParameterValues'],
    );
    assert.ok(!namesSet(requests).includes(`${MS}Username`));
    assert.equal((await store.credentials.getCpe(cpe.deviceId))?.password.reveal(), 'factory-pw');
    cpe.close();
  });

  it('a device back on the shared credential that refuses a new one loses the stale one', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'zt-stale' });
    await store.credentials.setCpe(cpe.deviceId, {
      username: 'old-own',
      password: new Secret('old-pw'),
    });
    const requests = await bootstrap(cpe, 'shared-user', {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9003,
      FaultString: 'Invalid arguments',
      SetParameterValuesFault: [],
    } as CwmpMessage);
    assert.deepEqual(
      requests.map((r) => r.method),
      ['GetParameterValues', 'SetParameterValues'],
    );
    assert.equal(
      await store.credentials.getCpe(cpe.deviceId),
      null,
      'the stale credential is gone',
    );

    // It tried again on its next bootstrap, and accepted: it has its own credential again.
    const again = await bootstrap(cpe, 'shared-user');
    assert.deepEqual(
      again.map((r) => r.method),
      ['SetParameterValues'],
    );
    assert.ok((await store.credentials.getCpe(cpe.deviceId))?.username.startsWith('cpe-'));
    cpe.close();
  });

  it('a device that does not answer the read keeps its credential', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'zt-silent' });
    await store.credentials.setCpe(cpe.deviceId, { username: 'mine', password: new Secret('pw') });
    cpe.reset();
    assert.equal((await cpe.inform(['0 BOOTSTRAP'])).status, 200);
    const read = await cpe.emptyPost();
    assert.equal(read.envelope?.body.method, 'GetParameterValues');
    const set = await cpe.answer(read, {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9005,
      FaultString: 'Invalid parameter name',
      SetParameterValuesFault: [],
    } as CwmpMessage);
    const request = set.envelope?.body as CwmpRpc;
    assert.equal(request.method, 'SetParameterValues');
    assert.ok(!namesSet([request]).includes(`${MS}Username`));
    assert.equal(
      (await cpe.answer(set, { method: 'SetParameterValuesResponse', Status: 0 })).status,
      204,
    );
    assert.equal((await store.credentials.getCpe(cpe.deviceId))?.username, 'mine');
    cpe.close();
  });
});
