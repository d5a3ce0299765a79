import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { HttpAuthClient } from '../../cwmp/auth/index.ts';
import { ConnectionRequestServer } from './connection-request-server.ts';

let server: ConnectionRequestServer;
let now = 1_000_000;

before(async () => {
  server = await ConnectionRequestServer.start({
    host: '127.0.0.1',
    port: 0,
    limit: 3,
    windowMs: 60_000,
    clock: () => now,
  });
});
after(() => server.close());

class Target {
  requests = 0;
  enabled = true;
  connectionRequestCredentials() {
    return this.enabled ? { username: 'acs', password: 'cr-secret' } : undefined;
  }
  connectionRequest() {
    this.requests++;
  }
}

function get(url: string, authorization?: string, method = 'GET') {
  return new Promise<{ status: number; challenges: string[]; length: string | undefined }>(
    (resolve, reject) => {
      const req = request(
        url,
        { method, headers: authorization ? { Authorization: authorization } : {} },
        (res) => {
          res.resume();
          res.on('end', () => {
            const challenges: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate')
                challenges.push(res.rawHeaders[i + 1]!);
            resolve({
              status: res.statusCode ?? 0,
              challenges,
              length: res.headers['content-length'],
            });
          });
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

/** The ACS's side: GET, answer the Digest challenge, GET again. */
async function connectionRequest(url: string, password = 'cr-secret') {
  const first = await get(url);
  if (first.status !== 401) return first;
  const client = new HttpAuthClient({ username: 'acs', password });
  const u = new URL(url);
  const answer = client.respond(first.challenges, { method: 'GET', uri: u.pathname, tls: false });
  assert.ok(answer.ok);
  return get(url, answer.authorization);
}

describe('ConnectionRequestServer', () => {
  it('answers 200 with an empty body after Digest, then triggers the session', async () => {
    const target = new Target();
    const token = ConnectionRequestServer.newToken();
    server.bind(token, target);
    const url = server.urlFor(token);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/cr\/[\w-]{16}$/);
    const r = await connectionRequest(url);
    assert.equal(r.status, 200);
    assert.equal(r.length, '0');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(target.requests, 1);
  });

  it('challenges with Digest only, and starts nothing on wrong credentials', async () => {
    const target = new Target();
    const token = ConnectionRequestServer.newToken();
    server.bind(token, target);
    const first = await get(server.urlFor(token));
    assert.equal(first.status, 401);
    assert.ok(first.challenges.every((c) => c.startsWith('Digest ')));
    assert.match(first.challenges[0]!, /qop="auth"/);
    const r = await connectionRequest(server.urlFor(token), 'wrong');
    assert.equal(r.status, 401);
    assert.equal(target.requests, 0);
  });

  it('rate-limits each device with 503 and no Retry-After, and recovers after the window', async () => {
    const target = new Target();
    const token = ConnectionRequestServer.newToken();
    server.bind(token, target);
    const url = server.urlFor(token);
    for (let i = 0; i < 3; i++) assert.equal((await connectionRequest(url)).status, 200);
    const refused = await connectionRequest(url);
    assert.equal(refused.status, 503);
    now += 61_000;
    assert.equal((await connectionRequest(url)).status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(target.requests, 4);
  });

  it('405 for anything but GET, 404 for an unknown path or a device with Connection Requests off', async () => {
    const target = new Target();
    const token = ConnectionRequestServer.newToken();
    server.bind(token, target);
    assert.equal((await get(server.urlFor(token), undefined, 'POST')).status, 405);
    assert.equal((await get(server.urlFor('nope'))).status, 404);
    target.enabled = false;
    assert.equal((await get(server.urlFor(token))).status, 404);
  });
});
