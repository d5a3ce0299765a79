/**
 * Which session a request belongs to (issue #11 items 1, 6, 19, 22): by cookie, by connection, or by proving the
 * session's credential again — never by address. Every CPE here shares 127.0.0.1, as CPEs behind one NAT (or all
 * CPEs behind a proxy in front of the ACS) share one address.
 */
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

const dir = mkdtempSync(join(tmpdir(), 'corral-binding-'));
let store: SqliteStore;
let acs: RunningAcs;
const logs: Array<{ event: string; fields: Record<string, unknown> }> = [];

before(async () => {
  const secretKey = randomBytes(32);
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey });
  acs = await startAcs(
    testAcsOptions(store, {
      authenticate: createCpeAuthenticator({ store, secretKey }),
      log: (event, fields) => logs.push({ event, fields }),
    }),
  );
  await store.credentials.putBootstrap({
    username: 'fleet',
    password: new Secret('fleet-password'),
    allow: { ouis: ['00D09E'], productClasses: [], serialPattern: 'lab-*' },
  });
  for (const serial of ['victim', 'other', 'roamer', 'stale', 'probe', 'md5', 'guessed']) {
    await store.credentials.setCpe(deviceIdOf(serial), {
      username: `${serial}-user`,
      password: new Secret(`${serial}-password`),
    });
  }
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function deviceIdOf(serialNumber: string): string {
  return encodeDeviceId({ oui: '00D09E', productClass: 'TestGW', serialNumber });
}

/** A CPE that answers Digest challenges like a real one: a fresh nc on every request once challenged. */
function digestCpe(
  serialNumber: string,
  options: { keepCookies?: boolean; algorithm?: 'MD5'; password?: string } = {},
) {
  const client = new HttpAuthClient({
    username: `${serialNumber}-user`,
    password: options.password ?? `${serialNumber}-password`,
  });
  const device = new ScriptedCpe(acs.url, {
    serialNumber,
    authorization: () => client.authorize({ method: 'POST', uri: '/', tls: false }),
    ...(options.keepCookies === false ? { keepCookies: false } : {}),
  });
  const answer = (reply: CpeReply) => {
    let offered = reply.headers['www-authenticate'] as string[] | string;
    if (options.algorithm === 'MD5')
      offered = [offered].flat().filter((c) => /algorithm=MD5\b/.test(c));
    const result = client.respond(offered, { method: 'POST', uri: '/', tls: false });
    assert.ok(result.ok, JSON.stringify(result));
  };
  return {
    device,
    client,
    answer,
    /** Inform (events), answering the 401 challenge first. */
    async inform(events: string[] = ['1 BOOT']): Promise<CpeReply> {
      const first = await device.inform(events);
      if (first.status !== 401) return first;
      answer(first);
      return device.inform(events);
    },
  };
}

describe('a request is bound to its session by cookie or connection, never by address', () => {
  it('a cookie-less POST from another client at the same address gets 401, not the session’s work or cookie', async () => {
    const victim = digestCpe('victim');
    assert.equal((await victim.inform()).status, 200);
    await store.tasks.enqueue(deviceIdOf('victim'), {
      args: {
        type: 'setParameterValues',
        parameters: [
          {
            name: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
            value: new Secret('wifi-passphrase-in-clear'),
            type: 'string',
          },
        ],
        parameterKey: '',
      },
    });
    const intruder = new ScriptedCpe(acs.url, { serialNumber: 'intruder' });
    const stolen = await intruder.emptyPost();
    assert.equal(stolen.status, 401);
    assert.doesNotMatch(stolen.text, /wifi-passphrase/);
    assert.equal(stolen.headers['set-cookie'], undefined);
    // A garbage POST from the same address is refused without touching the victim's session.
    assert.equal((await intruder.post('<not-cwmp')).status, 400);
    intruder.close();

    const request = await victim.device.emptyPost();
    assert.equal(request.envelope?.body.method, 'SetParameterValues');
    const done = await victim.device.answer(request, {
      method: 'SetParameterValuesResponse',
      Status: 0,
    });
    assert.equal(done.status, 204);
    victim.device.close();
  });

  it('a CPE that reconnects without its cookie rejoins only by proving its credential on that request', async () => {
    const roamer = digestCpe('roamer', { keepCookies: false });
    assert.equal((await roamer.inform()).status, 200);
    const task = await store.tasks.enqueue(deviceIdOf('roamer'), {
      args: { type: 'getRPCMethods' },
    });
    roamer.device.dropConnection();
    const request = await roamer.device.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetRPCMethods');
    roamer.device.dropConnection();
    const done = await roamer.device.answer(request, {
      method: 'GetRPCMethodsResponse',
      MethodList: ['Inform'],
    });
    assert.equal(done.status, 204);
    assert.equal((await store.tasks.get(task.id))?.state, 'done');
    assert.ok(
      logs.some(
        (l) => l.event === 'session-rejoined' && l.fields.deviceId === deviceIdOf('roamer'),
      ),
    );
    roamer.device.close();
  });

  it('another device’s valid credential, or a wrong password, rejoins nothing', async () => {
    const roamer = digestCpe('roamer', { keepCookies: false });
    assert.equal((await roamer.inform()).status, 200);
    await store.tasks.enqueue(deviceIdOf('roamer'), { args: { type: 'getRPCMethods' } });
    // "other" is a real device with a real credential, in a session of its own: it is not roamer.
    const other = digestCpe('other', { keepCookies: false });
    assert.equal((await other.inform()).status, 200);
    other.device.dropConnection();
    const crossed = await other.device.emptyPost();
    // It rejoins its own session (which has nothing queued), never roamer's.
    assert.equal(crossed.status, 204);
    // A guesser claiming roamer's username with the wrong password.
    const guesser = digestCpe('roamer', { keepCookies: false, password: 'guess' });
    guesser.answer(await new ScriptedCpe(acs.url, { serialNumber: 'x' }).emptyPost());
    const guessed = await guesser.device.emptyPost();
    assert.equal(guessed.status, 401);
    assert.ok(
      logs.some((l) => l.event === 'cpe-auth-refused' && l.fields.reason === 'bad-response'),
    );
    roamer.device.dropConnection();
    const request = await roamer.device.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetRPCMethods');
    await roamer.device.answer(request, { method: 'GetRPCMethodsResponse', MethodList: [] });
    roamer.device.close();
    other.device.close();
    guesser.device.close();
  });
});

describe('Digest', () => {
  it('libcurl’s probe: an empty POST without credentials outside any session gets the 401 challenge', async () => {
    const probe = digestCpe('probe');
    const first = await probe.device.emptyPost();
    assert.equal(first.status, 401);
    const offered = [first.headers['www-authenticate']].flat();
    assert.match(String(offered[0]), /^Digest .*algorithm=SHA-256/);
    assert.ok(offered.some((c) => /algorithm=MD5\b/.test(String(c))));
    assert.ok(logs.some((l) => l.event === 'cwmp-challenge'));
    assert.ok(
      !logs.some((l) => l.event === 'cpe-auth-refused' && l.fields.reason === 'missing'),
      'a challenge is not a refusal',
    );
    probe.answer(first);
    const inform = await probe.device.inform(['1 BOOT']);
    assert.equal(inform.status, 200);
    assert.equal((await probe.device.emptyPost()).status, 204);
    probe.device.close();
  });

  it('accepts SHA-256 and MD5 answers', async () => {
    const sha = digestCpe('probe');
    const first = await sha.device.inform(['1 BOOT']);
    sha.answer(first);
    assert.match(
      String(sha.client.authorize({ method: 'POST', uri: '/', tls: false })),
      /algorithm=SHA-256/,
    );
    assert.equal((await sha.device.inform(['1 BOOT'])).status, 200);
    assert.equal((await sha.device.emptyPost()).status, 204);
    sha.device.close();
    const md5 = digestCpe('md5', { algorithm: 'MD5' });
    assert.equal((await md5.inform()).status, 200);
    assert.equal((await md5.device.emptyPost()).status, 204);
    md5.device.close();
  });
});

describe('per-address Inform budget (item 10)', () => {
  it('a Digest challenge round trip does not count as a new session', async () => {
    const secretKey = randomBytes(32);
    const tight = await startAcs(
      testAcsOptions(store, {
        authenticate: createCpeAuthenticator({ store, secretKey }),
        addressLimits: { informBurst: 1, informsPerSecond: 0.001 },
      }),
    );
    try {
      const client = new HttpAuthClient({ username: 'md5-user', password: 'md5-password' });
      const device = new ScriptedCpe(tight.url, {
        serialNumber: 'md5',
        authorization: () => client.authorize({ method: 'POST', uri: '/', tls: false }),
      });
      const challenged = await device.inform(['1 BOOT']);
      assert.equal(challenged.status, 401);
      assert.ok(
        client.respond(challenged.headers['www-authenticate'], {
          method: 'POST',
          uri: '/',
          tls: false,
        }).ok,
      );
      // The one session this address may open now is this one: the challenge took nothing.
      assert.equal((await device.inform(['1 BOOT'])).status, 200);
      assert.equal((await device.emptyPost()).status, 204);
      device.reset();
      assert.equal((await device.inform(['1 BOOT'])).status, 503);
      device.close();
    } finally {
      await tight.close(500);
    }
  });
});

describe('refusals say why', () => {
  it('a bootstrap credential whose allow-list excludes the device is logged as such, not as an unknown user', async () => {
    const client = new HttpAuthClient({ username: 'fleet', password: 'fleet-password' });
    const device = new ScriptedCpe(acs.url, {
      serialNumber: 'prod-1',
      authorization: () => client.authorize({ method: 'POST', uri: '/', tls: false }),
    });
    const first = await device.inform(['0 BOOTSTRAP']);
    assert.ok(
      client.respond(first.headers['www-authenticate'], { method: 'POST', uri: '/', tls: false })
        .ok,
    );
    assert.equal((await device.inform(['0 BOOTSTRAP'])).status, 401);
    const refusal = logs.findLast((l) => l.event === 'cpe-auth-refused');
    assert.equal(refusal?.fields.reason, 'bootstrap-credential-not-allowed-for-device');
    assert.equal(refusal?.fields.username, 'fleet');
    assert.ok(!JSON.stringify(logs).includes('fleet-password'));
    device.close();
  });
});

describe('guessing (item 7)', () => {
  it('after five wrong answers for one username, 503 + Retry-After — even for the right one; other devices go on', async () => {
    const guesser = digestCpe('guessed', { password: 'wrong' });
    let throttled: CpeReply | undefined;
    for (let i = 0; i < 10 && throttled === undefined; i++) {
      const reply = await guesser.inform();
      if (reply.status === 503) throttled = reply;
      else assert.equal(reply.status, 401);
    }
    assert.ok(throttled, 'throttled within ten attempts');
    assert.ok(Number(throttled.headers['retry-after']) >= 1);
    // The device itself, from the same address, waits too: the username is what was guessed at.
    const owner = digestCpe('guessed');
    assert.equal((await owner.inform()).status, 503);
    // Another device at the same address is not held back.
    const neighbour = digestCpe('md5');
    assert.equal((await neighbour.inform()).status, 200);
    assert.equal((await neighbour.device.emptyPost()).status, 204);
    const refusals = logs.filter(
      (l) => l.event === 'cpe-auth-refused' && l.fields.username === 'guessed-user',
    );
    const reasons = refusals.map((l) => l.fields.reason);
    assert.deepEqual(reasons.slice(0, 5), Array(5).fill('bad-response'));
    assert.ok(reasons.slice(5).every((r) => String(r).startsWith('throttled-by-')));
    assert.ok(!JSON.stringify(logs).includes('guessed-password'));
    for (const c of [guesser, owner, neighbour]) c.device.close();
  });
});

describe('a new Inform while the device’s previous session is open (item 22)', () => {
  it('ends the stale session, releases its tasks at once and gives the new session its work', async () => {
    const stale = digestCpe('stale');
    assert.equal((await stale.inform()).status, 200);
    const task = await store.tasks.enqueue(deviceIdOf('stale'), {
      args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] },
    });
    const sent = await stale.device.emptyPost();
    assert.equal(sent.envelope?.body.method, 'GetParameterValues');
    // The CPE dies and restarts: a fresh connection, no cookie, a new Inform.
    stale.device.reset();
    const again = await stale.inform(['1 BOOT']);
    assert.equal(again.status, 200);
    const request = await stale.device.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetParameterValues');
    await stale.device.answer(request, {
      method: 'GetParameterValuesResponse',
      ParameterList: [],
    });
    assert.equal((await store.tasks.get(task.id))?.state, 'done');
    assert.ok(
      logs.some(
        (l) => l.event === 'session-abort' && l.fields.why === 'superseded by a new Inform',
      ),
    );
    stale.device.close();
  });
});
