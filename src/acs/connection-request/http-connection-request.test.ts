import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpAuthServer } from '../../cwmp/auth/index.ts';
import { Secret } from '../../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { createHttpConnectionRequester } from './http-connection-request.ts';
import { ConnectionRequestLimiter } from './rate-limit.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-cr-'));
let store: SqliteStore;
let cpeServer: Server;
let cpePort: number;
const received: string[] = [];
let now = 1_000_000;

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  // A CPE's connection-request server: Digest, as TR-069 §3.2.2 requires.
  const auth = new HttpAuthServer({ realm: 'cpe', secret: randomBytes(32) });
  cpeServer = createServer(async (req, res) => {
    const result = await auth.verify(
      {
        authorization: req.headers.authorization,
        method: req.method ?? 'GET',
        uri: req.url ?? '/',
        tls: false,
      },
      (username) => (username === 'cr-user' ? { password: 'cr-password' } : undefined),
    );
    if (!result.ok) {
      res.writeHead(401, { 'WWW-Authenticate': auth.challenges({}) }).end();
      return;
    }
    received.push(req.url ?? '');
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => cpeServer.listen(0, '127.0.0.1', resolve));
  cpePort = (cpeServer.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => cpeServer.close(() => resolve()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function device(serial: string, url: string | null, password?: string): Promise<string> {
  const outcome = await store.devices.recordInform({
    device: { manufacturer: 'M', oui: '00D09E', productClass: 'GW', serialNumber: serial },
    events: [{ code: '0 BOOTSTRAP', commandKey: '' }],
    parameters:
      url === null
        ? []
        : [{ path: 'Device.ManagementServer.ConnectionRequestURL', value: url, type: 'string' }],
  });
  if (password !== undefined) {
    await store.credentials.setConnectionRequest(outcome.device.id, {
      username: 'cr-user',
      password: new Secret(password),
    });
  }
  return outcome.device.id;
}

function requester(perDeviceIntervalMs = 0) {
  return createHttpConnectionRequester({
    store,
    limiter: new ConnectionRequestLimiter(perDeviceIntervalMs, 100, () => now),
    timeoutMs: 2000,
  });
}

describe('HTTP connection request', () => {
  it('answers the CPE’s Digest challenge and reaches the URL the device reported', async () => {
    const id = await device('cr-1', `http://127.0.0.1:${cpePort}/cr/abc`, 'cr-password');
    assert.deepEqual(await requester()(id), { ok: true, status: 200 });
    assert.deepEqual(received.at(-1), '/cr/abc');
  });

  it('reports refused credentials, a device without a URL, a non-HTTP URL and an unreachable CPE', async () => {
    const wrong = await device('cr-2', `http://127.0.0.1:${cpePort}/cr/x`, 'wrong');
    const result = await requester()(wrong);
    assert.equal(result.ok ? 'ok' : result.reason, 'auth-failed');
    const noUrl = await device('cr-3', null);
    const r3 = await requester()(noUrl);
    assert.equal(r3.ok ? 'ok' : r3.reason, 'no-url');
    const https = await device('cr-4', `https://127.0.0.1:${cpePort}/`);
    const r4 = await requester()(https);
    assert.equal(r4.ok ? 'ok' : r4.reason, 'bad-url');
    const closed = await device('cr-5', 'http://127.0.0.1:9/', 'x');
    const r5 = await requester()(closed);
    assert.equal(r5.ok ? 'ok' : r5.reason, 'refused');
    assert.match(r5.ok ? '' : (r5.detail ?? ''), /refused on the first request/);
    assert.match(result.ok ? '' : (result.detail ?? ''), /wrong credentials/);
  });

  it('sends the authorised GET on a fresh connection: a CPE that closes its socket after the 401 without Connection: close is reached', async () => {
    const cpe = await rawCpe('after-401');
    try {
      const id = await device('cr-7', `http://127.0.0.1:${cpe.port}/cr/seven`, 'cr-password');
      const logs: unknown[] = [];
      const send = createHttpConnectionRequester({
        store,
        limiter: new ConnectionRequestLimiter(0, 100, () => now),
        timeoutMs: 2000,
        log: (event, fields) => logs.push({ event, fields }),
      });
      assert.deepEqual(await send(id), { ok: true, status: 200 });
      assert.deepEqual(cpe.authorised, ['/cr/seven']);
      assert.equal(cpe.reused, 0, 'no request went on the socket the CPE had closed');
      assert.deepEqual(logs, []);
    } finally {
      await cpe.close();
    }
  });

  it('reports a reset, a malformed response and a timeout with their detail, and logs them', async () => {
    const cases = [
      ['reset', /closed the connection on the first request/],
      ['garbage', /not HTTP/],
      ['silent', /no answer to the first request/],
    ] as const;
    for (const [mode, detail] of cases) {
      const cpe = await rawCpe(mode);
      try {
        const id = await device(`cr-8-${mode}`, `http://127.0.0.1:${cpe.port}/`, 'cr-password');
        const logs: { event: string; fields: Record<string, unknown> }[] = [];
        const send = createHttpConnectionRequester({
          store,
          limiter: new ConnectionRequestLimiter(0, 100, () => now),
          timeoutMs: 300,
          log: (event, fields) => logs.push({ event, fields }),
        });
        const result = await send(id);
        const expected = { reset: 'reset', garbage: 'malformed-response', silent: 'timeout' }[mode];
        assert.equal(result.ok ? 'ok' : result.reason, expected, mode);
        assert.match(result.ok ? '' : (result.detail ?? ''), detail);
        assert.equal(logs[0]?.event, 'connection-request-failed');
        assert.equal(logs[0]?.fields.reason, expected);
        assert.ok(!JSON.stringify(logs).includes('cr-password'));
      } finally {
        await cpe.close();
      }
    }
  });

  it('throttles repeated requests to one device (security.md item 10)', async () => {
    const id = await device('cr-6', `http://127.0.0.1:${cpePort}/cr/six`, 'cr-password');
    const send = requester(10_000);
    assert.equal((await send(id)).ok, true);
    const burst = await Promise.all(Array.from({ length: 50 }, () => send(id)));
    assert.ok(burst.every((r) => !r.ok && r.reason === 'throttled'));
    now += 10_001;
    assert.equal((await send(id)).ok, true);
  });
});

/**
 * A CPE's connection-request server written on raw TCP, for what node:http will not do: `after-401` answers a
 * request without credentials with a Digest 401 and keeps the connection open (HTTP/1.1, no Connection: close),
 * then drops it unanswered if anything more arrives on it — as CPEs that close after their 401 do; requests
 * with valid credentials get 200. `reset` drops every connection at the first request, `garbage` answers
 * something that is not HTTP, `silent` never answers.
 */
async function rawCpe(mode: 'after-401' | 'reset' | 'garbage' | 'silent') {
  const auth = new HttpAuthServer({ realm: 'cpe', secret: randomBytes(32) });
  const authorised: string[] = [];
  const sockets = new Set<Socket>();
  let reused = 0;
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    let answered = false;
    socket.on('data', async (chunk) => {
      if (mode === 'silent') return;
      if (mode === 'reset') return socket.resetAndDestroy();
      if (mode === 'garbage') return socket.end('SSH-2.0-OpenSSH\r\n\r\n');
      if (answered) {
        reused++;
        return socket.destroy();
      }
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      answered = true;
      const [line = '', ...headerLines] = buffered.slice(0, end).split('\r\n');
      const uri = line.split(' ')[1] ?? '/';
      const authorization = headerLines
        .find((h) => h.toLowerCase().startsWith('authorization:'))
        ?.slice('authorization:'.length)
        .trim();
      const result = await auth.verify({ authorization, method: 'GET', uri, tls: false }, (u) =>
        u === 'cr-user' ? { password: 'cr-password' } : undefined,
      );
      if (result.ok) {
        authorised.push(uri);
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const challenges = [auth.challenges({})].flat();
      socket.write(
        `HTTP/1.1 401 Unauthorized\r\n${challenges.map((c) => `WWW-Authenticate: ${c}\r\n`).join('')}Content-Length: 0\r\n\r\n`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    authorised,
    get reused() {
      return reused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('ConnectionRequestLimiter', () => {
  it('caps the global rate with a token bucket', () => {
    let t = 0;
    const limiter = new ConnectionRequestLimiter(0, 10, () => t);
    const first = Array.from({ length: 20 }, (_, i) => limiter.tryAcquire(`d${i}`)).filter(
      Boolean,
    ).length;
    assert.equal(first, 10);
    t += 500;
    const later = Array.from({ length: 20 }, (_, i) => limiter.tryAcquire(`e${i}`)).filter(
      Boolean,
    ).length;
    assert.equal(later, 5);
  });
});
