import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningApi, startApi } from './api.ts';
import type { LogEntry } from './testing/harness.ts';

/** The API alone (no ACS needed): a store, the API on 127.0.0.1, a read-only key. */
const h = {
  dir: '',
  store: undefined as unknown as SqliteStore,
  api: undefined as unknown as RunningApi,
  logs: [] as LogEntry[],
  tokens: {} as Record<'read-only', string>,
  request(
    method: string,
    path: string,
    options: { token: string; localAddress?: string },
  ): Promise<{
    status: number;
    headers: Record<string, unknown>;
    json: { error: { code: string } };
  }> {
    const url = new URL(path, this.api.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method,
          agent: false,
          headers: { authorization: `Bearer ${options.token}` },
          ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              json: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  },
};

before(async () => {
  h.dir = mkdtempSync(join(tmpdir(), 'corral-throttle-'));
  h.store = await openSqliteStore({ path: join(h.dir, 'corral.db'), secretKey: randomBytes(32) });
  h.api = await startApi({
    store: h.store,
    host: '127.0.0.1',
    port: 0,
    connectionRequest: async () => ({ ok: false, reason: 'not wired' }),
    log: (event, fields) => h.logs.push({ event, fields }),
    authThrottle: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
  });
  const { token } = await h.store.apiKeys.create({ name: 'reader', role: 'read-only' });
  h.tokens['read-only'] = token.reveal();
});
after(async () => {
  await h.api.close();
  await h.store.close();
  rmSync(h.dir, { recursive: true, force: true });
});

describe('throttling of wrong API keys', () => {
  it('answers 429 + Retry-After after a few wrong keys from one address, logs the key id, keeps other addresses working', async () => {
    const keyId = 'feedfacecafebeef';
    const secret = 'S'.repeat(43);
    const wrong = `corral_${keyId}_${secret}`;
    const statuses: number[] = [];
    const retryAfter: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await h.request('GET', '/api/v1/devices', { token: wrong });
      statuses.push(r.status);
      if (r.status === 429) retryAfter.push(String(r.headers['retry-after']));
    }
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.ok(
      statuses.slice(5).every((s) => s === 429),
      statuses.join(','),
    );
    assert.ok(
      retryAfter.every((s) => Number(s) >= 1),
      retryAfter.join(','),
    );
    // Locked: even a correct key from this address waits (its address is the one guessing).
    const locked = await h.request('GET', '/api/v1/devices', { token: h.tokens['read-only'] });
    assert.equal(locked.status, 429);
    assert.equal(locked.json.error.code, 'too-many-requests');
    // Another client, even one using the key id being guessed at, is not held up.
    const other = await h.request('GET', '/api/v1/devices', {
      token: h.tokens['read-only'],
      localAddress: '127.0.0.2',
    });
    assert.equal(other.status, 200, JSON.stringify(other.json));
    const refusals = h.logs.filter((l) => l.event === 'api-auth-throttled');
    assert.ok(refusals.length >= 7, String(refusals.length));
    assert.equal(refusals[0]?.fields.keyId, keyId);
    const malformed = await h.request('GET', '/api/v1/devices', {
      token: 'not-a-corral-key-at-all',
      localAddress: '127.0.0.3',
    });
    assert.equal(malformed.status, 401);
    assert.equal(h.logs.at(-2)?.fields.keyId ?? h.logs.at(-1)?.fields.keyId, 'malformed');
    assert.ok(!JSON.stringify(h.logs).includes(secret), 'the secret part is never logged');
  });

  it('makes the delay grow: a thousand wrong keys take far longer than 0.64 s to be tried', async () => {
    const token = `corral_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    let tried = 0;
    for (let i = 0; i < 50; i++) {
      const r = await h.request('GET', '/api/v1/tasks', { token, localAddress: '127.0.0.4' });
      if (r.status === 401) tried++;
      else assert.equal(r.status, 429);
    }
    assert.equal(tried, 5, 'only the free failures are verified at all');
  });
});
