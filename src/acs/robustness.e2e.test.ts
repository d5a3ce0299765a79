import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeDeviceId } from '../store/device-id.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type AcsOptions, type RunningAcs, startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-robust-'));
const dbPath = join(dir, 'corral.db');
const secretKey = randomBytes(32);
let store: SqliteStore;
let acs: RunningAcs;

function options(over: Partial<AcsOptions> = {}): AcsOptions {
  return testAcsOptions(store, {
    bodyLimits: { maxBytes: 256 * 1024, maxDecodedBytes: 1024 * 1024 },
    requestTimeoutMs: 1500,
    ...over,
  });
}

before(async () => {
  store = await openSqliteStore({ path: dbPath, secretKey });
  acs = await startAcs(options());
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile input over HTTP (security.md items 7-9)', () => {
  it('refuses a 100 MB POST with 413 without reading it all', async () => {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const socket = connect(acs.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 104857600\r\n\r\n',
        );
        socket.write(Buffer.alloc(64 * 1024, 0x20));
      });
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
        const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
        if (m) {
          socket.destroy();
          resolve(Number(m[1]));
        }
      });
      socket.on('error', reject);
    });
    assert.equal(status, 413);
    assert.ok(performance.now() - started < 2000);
  });

  it('refuses a gzip bomb with 413 and an XXE payload with 400', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'bomb' });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    assert.equal((await cpe.post(bomb, { 'Content-Encoding': 'gzip' })).status, 413);
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    const refused = await cpe.post(xxe);
    assert.equal(refused.status, 400);
    assert.doesNotMatch(refused.text, /root:/);
    cpe.close();
  });

  it('refuses a message too large once inflated with 413, as on the wire, not 400', async () => {
    // Inside a session (the pre-authentication cap would stop it sooner): small on the wire, under the inflated
    // cap, over the largest message the decoder takes.
    const small = await startAcs(
      options({
        bodyLimits: { maxBytes: 64 * 1024, maxDecodedBytes: 1024 * 1024 },
        decodeLimits: { maxBytes: 256 * 1024 },
      }),
    );
    const cpe = new ScriptedCpe(small.url, { serialNumber: 'inflated-1' });
    try {
      assert.equal((await cpe.inform(['1 BOOT'])).status, 200);
      const padded = `<!-- ${' '.repeat(512 * 1024)} -->`;
      const reply = await cpe.post(gzipSync(padded), { 'Content-Encoding': 'gzip' });
      assert.equal(reply.status, 413);
    } finally {
      cpe.close();
      await small.close(500);
    }
  });

  it('times out a sender that trickles its body', async () => {
    const closed = await new Promise<string>((resolve) => {
      const socket = connect(acs.port, '127.0.0.1', () => {
        socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n<');
      });
      const trickle = setInterval(() => socket.write(' '), 200);
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(text);
      });
    });
    // Node answers 408 (or just closes) once the request deadline passes.
    assert.ok(closed === '' || /^HTTP\/1\.1 408/.test(closed), closed.slice(0, 40));
  });

  it('refuses a session cookie replayed from another address, without touching the session', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'cookie-1' });
    assert.equal((await cpe.inform(['0 BOOTSTRAP'])).status, 200);
    cpe.moveTo('127.0.0.2');
    // Bound to nothing: the challenge any request outside a session gets.
    assert.equal((await cpe.emptyPost()).status, 401);
    // From its own address the same cookie still carries the session on.
    cpe.moveTo('127.0.0.1');
    assert.equal((await cpe.emptyPost()).status, 204);
    cpe.close();
  });
});

describe('session identity without cookies (quirk 2)', () => {
  it('follows a CPE that returns no cookie by its connection', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'nocookie-1', keepCookies: false });
    await cpe.inform(['0 BOOTSTRAP']);
    await cpe.emptyPost();
    const task = await store.tasks.enqueue(cpe.deviceId, { args: { type: 'getRPCMethods' } });
    cpe.dropConnection();
    await cpe.inform(['6 CONNECTION REQUEST']);
    const request = await cpe.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetRPCMethods');
    assert.equal(
      (await cpe.answer(request, { method: 'GetRPCMethodsResponse', MethodList: ['Inform'] }))
        .status,
      204,
    );
    assert.equal((await store.tasks.get(task.id))?.state, 'done');
    cpe.close();
  });
});

describe('timeouts and restarts', () => {
  it('abandons a session its CPE left, releasing its task, and admits the CPE again', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'gone-1' });
    await cpe.inform(['0 BOOTSTRAP']);
    await cpe.emptyPost();
    const task = await store.tasks.enqueue(cpe.deviceId, {
      args: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.'] },
    });
    cpe.reset();
    await cpe.inform(['2 PERIODIC'], [], { SessionTimeout: 1 });
    const request = await cpe.emptyPost();
    assert.equal(request.envelope?.body.method, 'GetParameterValues');
    cpe.reset(); // the CPE vanishes mid-session
    assert.equal((await store.tasks.get(task.id))?.state, 'running');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // A read-only task goes back to the queue; the device may start a new session.
    assert.equal((await store.tasks.get(task.id))?.state, 'pending');
    // The abandoned session's trace was written when it expired: up to the request the CPE never answered.
    const [abandoned] = await store.traces.sessions(cpe.deviceId);
    const trace = await store.traces.read(cpe.deviceId, abandoned!.sessionId);
    assert.deepEqual(
      trace?.messages.map((m) => m.direction),
      ['cpe-to-acs', 'acs-to-cpe', 'cpe-to-acs', 'acs-to-cpe'],
    );
    assert.match(trace?.messages.at(-1)?.body ?? '', /GetParameterValues/);
    assert.equal((await cpe.inform(['2 PERIODIC'])).status, 200);
    const again = await cpe.emptyPost();
    assert.equal(again.envelope?.body.method, 'GetParameterValues');
    await cpe.answer(again, { method: 'GetParameterValuesResponse', ParameterList: [] });
    assert.equal((await store.tasks.get(task.id))?.state, 'done');
    cpe.close();
  });

  it('a restart loses no queued task and re-sends none whose outcome is unknown', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'restart-1' });
    await cpe.inform(['0 BOOTSTRAP']);
    await cpe.emptyPost();
    const reboot = await store.tasks.enqueue(cpe.deviceId, {
      args: { type: 'reboot', commandKey: 'r1' },
    });
    const read = await store.tasks.enqueue(cpe.deviceId, { args: { type: 'getRPCMethods' } });
    cpe.reset();
    await cpe.inform(['2 PERIODIC']);
    const sent = await cpe.emptyPost();
    assert.equal(sent.envelope?.body.method, 'Reboot');
    cpe.reset();

    // The ACS stops while the Reboot is on the wire, and starts again on the same database.
    await acs.close(100);
    await store.close();
    store = await openSqliteStore({ path: dbPath, secretKey });
    await store.tasks.recoverClaims({ all: true });
    acs = await startAcs(options({ store }));

    const restarted = new ScriptedCpe(acs.url, { serialNumber: 'restart-1' });
    await restarted.inform(['1 BOOT']);
    const next = await restarted.emptyPost();
    // The Reboot's outcome is unknown: failed as interrupted, never re-sent on its own; the read runs.
    assert.equal(next.envelope?.body.method, 'GetRPCMethods');
    assert.equal(
      (await restarted.answer(next, { method: 'GetRPCMethodsResponse', MethodList: [] })).status,
      204,
    );
    assert.equal((await store.tasks.get(reboot.id))?.fault?.source, 'interrupted');
    assert.equal((await store.tasks.get(read.id))?.state, 'done');
    restarted.close();
    cpe.close();
  });
});

describe('per-address limits (security.md item 11)', () => {
  it('throttles an Inform storm from one address with 503 + Retry-After, not other addresses', async () => {
    const limited = await startAcs(
      options({ addressLimits: { informBurst: 3, informsPerSecond: 0.01 } }),
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const cpe = new ScriptedCpe(limited.url, { serialNumber: `storm-${i}` });
        const reply = await cpe.inform(['1 BOOT']);
        statuses.push(reply.status);
        if (reply.status === 503) assert.ok(Number(reply.headers['retry-after']) >= 1);
        else await cpe.emptyPost();
        cpe.close();
      }
      assert.deepEqual(statuses, [200, 200, 200, 503, 503]);
      // Nothing was stored for the refused ones.
      assert.equal(
        await store.devices.get(
          encodeDeviceId({ oui: '00D09E', productClass: 'TestGW', serialNumber: 'storm-4' }),
        ),
        null,
      );
      const elsewhere = new ScriptedCpe(limited.url, {
        serialNumber: 'storm-other',
        localAddress: '127.0.0.2',
      });
      assert.equal((await elsewhere.inform(['1 BOOT'])).status, 200);
      assert.equal((await elsewhere.emptyPost()).status, 204);
      elsewhere.close();
    } finally {
      await limited.close(500);
    }
  });

  it('refuses requests beyond the in-progress cap of one address at once, and admits again when they end', async () => {
    const limited = await startAcs(options({ addressLimits: { maxConcurrentRequests: 2 } }));
    const port = new URL(limited.url).port;
    const held = [0, 1].map(
      () =>
        new Promise<ReturnType<typeof connect>>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1', () => {
            socket.write(
              'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n<',
            );
            resolve(socket);
          });
        }),
    );
    const sockets = await Promise.all(held);
    try {
      await new Promise((r) => setTimeout(r, 100)); // both requests are in the handler
      const cpe = new ScriptedCpe(limited.url, { serialNumber: 'held-out' });
      const refused = await cpe.inform(['1 BOOT']);
      assert.equal(refused.status, 503);
      cpe.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const again = new ScriptedCpe(limited.url, { serialNumber: 'held-out' });
      assert.equal((await again.inform(['1 BOOT'])).status, 200);
      assert.equal((await again.emptyPost()).status, 204);
      again.close();
    } finally {
      for (const s of sockets) s.destroy();
      await limited.close(500);
    }
  });
});
