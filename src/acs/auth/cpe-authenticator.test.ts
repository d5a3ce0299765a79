import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpAuthClient } from '../../cwmp/auth/index.ts';
import { encodeDeviceId } from '../../store/device-id.ts';
import { Secret } from '../../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from '../acs.ts';
import { testAcsOptions } from '../testing/acs-options.ts';
import { ScriptedCpe } from '../testing/scripted-cpe.ts';
import { createCpeAuthenticator } from './cpe-authenticator.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-cpe-auth-'));
const refusals: unknown[] = [];
let store: SqliteStore;
let acs: RunningAcs;

before(async () => {
  const secretKey = randomBytes(32);
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey });
  acs = await startAcs(
    testAcsOptions(store, {
      authenticate: createCpeAuthenticator({ store, secretKey }),
      log: (event, fields) => {
        if (event === 'cpe-auth-refused') refusals.push(fields.reason);
      },
    }),
  );
  await store.credentials.putBootstrap({
    username: 'shared',
    password: new Secret('shared-password'),
    allow: { ouis: ['00D09E'], productClasses: [], serialPattern: null },
  });
  await store.credentials.setCpe(idOf('moved-on'), {
    username: 'moved-on-user',
    password: new Secret('own-password'),
  });
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function idOf(serialNumber: string): string {
  return encodeDeviceId({ oui: '00D09E', productClass: 'TestGW', serialNumber });
}

/** The status of an Inform with these events, answering the Digest challenge with these credentials. */
async function informStatus(
  serialNumber: string,
  username: string,
  password: string,
  events: string[],
  oui = '00D09E',
): Promise<number> {
  let authorization: string | undefined;
  const cpe = new ScriptedCpe(acs.url, { serialNumber, oui, authorization: () => authorization });
  try {
    const first = await cpe.inform(events);
    assert.equal(first.status, 401);
    const answer = new HttpAuthClient({ username, password }).respond(
      first.headers['www-authenticate'],
      { method: 'POST', uri: '/', tls: false },
    );
    assert.ok(answer.ok);
    authorization = answer.authorization;
    const second = await cpe.inform(events);
    if (second.status === 200) assert.equal((await cpe.emptyPost()).status, 204);
    return second.status;
  } finally {
    cpe.close();
  }
}

describe('the shared bootstrap credential once a device has its own', () => {
  it('still admits a device the ACS keeps no credential for, whatever its events', async () => {
    assert.equal(await informStatus('fresh', 'shared', 'shared-password', ['1 BOOT']), 200);
    assert.equal(await informStatus('fresh', 'shared', 'shared-password', ['0 BOOTSTRAP']), 200);
  });

  it('refuses it for a device with a credential of its own, except on 0 BOOTSTRAP (a factory reset)', async () => {
    refusals.length = 0;
    for (const events of [['1 BOOT'], ['2 PERIODIC'], ['6 CONNECTION REQUEST']])
      assert.equal(await informStatus('moved-on', 'shared', 'shared-password', events), 401);
    // (Each first Inform, without an Authorization header, is refused as 'missing'.)
    assert.deepEqual(
      refusals.filter((r) => r !== 'missing'),
      Array(3).fill('bootstrap-credential-superseded'),
    );
    assert.equal(
      await informStatus('moved-on', 'shared', 'shared-password', ['0 BOOTSTRAP', '1 BOOT']),
      200,
    );
    // Its own credential admits it as before; a wrong shared password is refused for the usual reason.
    assert.equal(await informStatus('moved-on', 'moved-on-user', 'own-password', ['1 BOOT']), 200);
    assert.equal(await informStatus('moved-on', 'shared', 'wrong', ['0 BOOTSTRAP']), 401);
  });

  it('never lets the 0 BOOTSTRAP exception past the allow-list or a disabled credential', async () => {
    const outside = ['0 BOOTSTRAP'];
    assert.equal(await informStatus('x', 'shared', 'shared-password', outside, 'ABCDEF'), 401);
    await store.credentials.putBootstrap({
      username: 'shared',
      password: new Secret('shared-password'),
      allow: { ouis: ['00D09E'], productClasses: [], serialPattern: null },
      enabled: false,
    });
    try {
      assert.equal(
        await informStatus('moved-on', 'shared', 'shared-password', ['0 BOOTSTRAP']),
        401,
      );
      assert.equal(
        await informStatus('fresh-2', 'shared', 'shared-password', ['0 BOOTSTRAP']),
        401,
      );
    } finally {
      await store.credentials.putBootstrap({
        username: 'shared',
        password: new Secret('shared-password'),
        allow: { ouis: ['00D09E'], productClasses: [], serialPattern: null },
      });
    }
  });
});
