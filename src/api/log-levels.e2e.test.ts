import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningApi, startApi } from './api.ts';
import type { LogLevel } from './app.ts';

/**
 * The levels the API logs at: a refused key or a throttled address is a warning (someone may be guessing), an
 * unexpected failure is an error, an ordinary request is neither (info, the logger's default).
 */
const BROKEN_DEVICE = '00D09E-TestGW-BROKEN';
let dir = '';
let store: SqliteStore;
let api: RunningApi;
let adminKey = '';
const logs: Array<{ event: string; fields: Record<string, unknown>; level?: LogLevel }> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corral-api-levels-'));
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  // One read fails as a bug would (not a store error): the API answers 500 and logs it.
  const get = store.devices.get.bind(store.devices);
  store.devices.get = async (id) => {
    if (id === BROKEN_DEVICE) throw new TypeError('a bug');
    return get(id);
  };
  api = await startApi({
    store,
    host: '127.0.0.1',
    port: 0,
    connectionRequest: async () => ({ ok: false, reason: 'not wired' }),
    log: (event, fields, level) =>
      logs.push({ event, fields, ...(level === undefined ? {} : { level }) }),
    authThrottle: { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 60_000 },
  });
  adminKey = (await store.apiKeys.create({ name: 'admin', role: 'admin' })).token.reveal();
});
after(async () => {
  await api.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, key: string): Promise<Response> {
  return fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
}

function levelsOf(event: string): Array<LogLevel | undefined> {
  return logs.filter((l) => l.event === event).map((l) => l.level);
}

describe('API log levels', () => {
  it('logs an ordinary request at the default level (info)', async () => {
    assert.equal((await get('/api/v1/devices', adminKey)).status, 200);
    assert.deepEqual(levelsOf('api-request'), [undefined]);
  });

  it('logs an unexpected failure as an error, and answers a bare 500', async () => {
    const res = await get(`/api/v1/devices/${BROKEN_DEVICE}`, adminKey);
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /a bug/);
    const logged = logs.filter((l) => l.event === 'api-error');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.level, 'error');
    assert.equal(logged[0]?.fields.error, 'TypeError');
  });

  it('logs refused keys and the throttling that follows as warnings', async () => {
    const wrong = `corral_${'ab'.repeat(8)}_${'W'.repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/api/v1/devices', wrong)).status);
    assert.deepEqual(statuses, [401, 401, 429, 429]);
    assert.deepEqual(levelsOf('api-auth-failed'), ['warn', 'warn']);
    assert.deepEqual(levelsOf('api-auth-throttled'), ['warn', 'warn']);
  });
});
