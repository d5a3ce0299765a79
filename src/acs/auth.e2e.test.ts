import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpAuthClient } from '../cwmp/auth/index.ts';
import { encodeDeviceId } from '../store/device-id.ts';
import { Secret } from '../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from './acs.ts';
import { createCpeAuthenticator } from './auth/cpe-authenticator.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { type CpeReply, ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-auth-'));
let store: SqliteStore;
let acs: RunningAcs;

before(async () => {
  const secretKey = randomBytes(32);
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey });
  acs = await startAcs(
    testAcsOptions(store, { authenticate: createCpeAuthenticator({ store, secretKey }) }),
  );
  await store.credentials.setCpe(
    encodeDeviceId({ oui: '00D09E', productClass: 'TestGW', serialNumber: 'own-1' }),
    {
      username: 'own-1-user',
      password: new Secret('own-1-password'),
    },
  );
  await store.credentials.putBootstrap({
    username: 'bootstrap',
    password: new Secret('shared-bootstrap-password'),
    allow: { ouis: ['00D09E'], productClasses: [], serialPattern: 'lab-*' },
  });
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A CPE that answers the ACS's Digest challenge with these credentials. */
function authedCpe(serialNumber: string, username: string, password: string) {
  const client = new HttpAuthClient({ username, password });
  let authorization: string | undefined;
  const device = new ScriptedCpe(acs.url, { serialNumber, authorization: () => authorization });
  return {
    device,
    /** Inform, answering one 401 challenge the way a CPE does. */
    async inform(): Promise<{ first: CpeReply; second?: CpeReply }> {
      const first = await device.inform(['0 BOOTSTRAP']);
      if (first.status !== 401) return { first };
      const answer = client.respond(first.headers['www-authenticate'], {
        method: 'POST',
        uri: '/',
        tls: false,
      });
      assert.ok(answer.ok, `client could not answer: ${JSON.stringify(answer)}`);
      authorization = answer.authorization;
      return { first, second: await device.inform(['0 BOOTSTRAP']) };
    },
    replayAuthorization: () => authorization,
  };
}

async function deviceExists(serialNumber: string): Promise<boolean> {
  return (
    (await store.devices.get(
      encodeDeviceId({ oui: '00D09E', productClass: 'TestGW', serialNumber }),
    )) !== null
  );
}

describe('CPE authentication (default deny)', () => {
  it('an Inform without credentials gets 401 with a Digest challenge, and nothing is stored', async () => {
    const device = new ScriptedCpe(acs.url, { serialNumber: 'nobody' });
    const reply = await device.inform(['0 BOOTSTRAP']);
    assert.equal(reply.status, 401);
    assert.match(String(reply.headers['www-authenticate']), /^Digest /);
    assert.equal(await deviceExists('nobody'), false);
    device.close();
  });

  it('admits a device with its own credential', async () => {
    const cpe = authedCpe('own-1', 'own-1-user', 'own-1-password');
    const { second } = await cpe.inform();
    assert.equal(second?.status, 200);
    assert.equal(second?.envelope?.body.method, 'InformResponse');
    assert.equal((await cpe.device.emptyPost()).status, 204);
    cpe.device.close();
  });

  it('refuses a wrong password, and another device using this device’s credential', async () => {
    const wrong = authedCpe('own-1', 'own-1-user', 'not-the-password');
    assert.equal((await wrong.inform()).second?.status, 401);
    const thief = authedCpe('someone-else', 'own-1-user', 'own-1-password');
    assert.equal((await thief.inform()).second?.status, 401);
    assert.equal(await deviceExists('someone-else'), false);
    wrong.device.close();
    thief.device.close();
  });

  it('admits the bootstrap credential only for devices its allow-list names', async () => {
    const inList = authedCpe('lab-42', 'bootstrap', 'shared-bootstrap-password');
    assert.equal((await inList.inform()).second?.status, 200);
    assert.equal((await inList.device.emptyPost()).status, 204);
    const outside = authedCpe('prod-42', 'bootstrap', 'shared-bootstrap-password');
    assert.equal((await outside.inform()).second?.status, 401);
    assert.equal(await deviceExists('prod-42'), false);
    inList.device.close();
    outside.device.close();
  });

  it('refuses a replayed Authorization header (same nonce and nonce count)', async () => {
    const cpe = authedCpe('lab-replay', 'bootstrap', 'shared-bootstrap-password');
    assert.equal((await cpe.inform()).second?.status, 200);
    assert.equal((await cpe.device.emptyPost()).status, 204);
    const replayed = cpe.replayAuthorization();
    const attacker = new ScriptedCpe(acs.url, {
      serialNumber: 'lab-replay',
      authorization: () => replayed,
    });
    assert.equal((await attacker.inform(['1 BOOT'])).status, 401);
    attacker.close();
    cpe.device.close();
  });
});
