import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUDIT_EXCERPT_BYTES,
  type AuditTruncated,
  MAX_AUDIT_ACTOR,
  MAX_AUDIT_DETAILS_BYTES,
  MAX_AUDIT_TARGET,
} from '../audit.ts';
import type { JsonValue } from '../json.ts';
import { Secret } from '../secret.ts';
import type { Store } from '../store.ts';
import { HOSTILE_STRINGS, rejectsWith, type StoreFactory, withStore } from './harness.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

async function ids(store: Store, filter: Parameters<Store['audit']['list']>[0] = {}) {
  return (await store.audit.list(filter)).map((e) => e.id);
}

export function auditSuite(factory: StoreFactory): void {
  describe('audit log', () => {
    it('records an entry with increasing ids and the store clock, and reads it back', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        assert.deepEqual(await store.audit.list(), []);
        const first = await store.audit.record({ actor: 'system', action: 'store.start' });
        assert.deepEqual(first, {
          id: first.id,
          at: clock.now,
          actor: 'system',
          action: 'store.start',
          target: null,
          outcome: null,
          details: null,
        });
        clock.advance(10);
        const second = await store.audit.record({
          actor: 'api-key:0123456789abcdef',
          action: 'PUT /api/v1/presets/:name',
          target: 'wifi',
          outcome: 201,
          details: { params: { name: 'wifi' }, body: { weight: 1, flags: [true, null, 'x'] } },
        });
        assert.ok(second.id > first.id, 'ids increase');
        assert.equal(second.at, clock.now);
        assert.deepEqual(await store.audit.list(), [second, first]);
        const explicit = await store.audit.record({ actor: 'a', action: 'b', at: 5 });
        assert.equal(explicit.at, 5);
      }));

    it('lists newest first by time, then by id; filters exactly; since and until inclusive', () =>
      withStore(factory, {}, async ({ store }) => {
        const at = (t: number, actor: string, action: string, target: string | null) =>
          store.audit.record({ actor, action, target, at: t });
        const a = await at(1000, 'alice', 'POST /x', 'dev-1');
        const b = await at(3000, 'bob', 'DELETE /x', 'dev-2');
        const c = await at(2000, 'alice', 'DELETE /x', 'dev-2');
        const d = await at(3000, 'alice', 'POST /x', null);
        // Recorded late with an early time: sorts by its time, not its id.
        const e = await at(500, 'bob', 'POST /x', 'dev-1');
        assert.deepEqual(await ids(store), [d.id, b.id, c.id, a.id, e.id]);
        assert.deepEqual(await ids(store, { actor: 'alice' }), [d.id, c.id, a.id]);
        assert.deepEqual(await ids(store, { actor: 'ALICE' }), [], 'exact, case-sensitive');
        assert.deepEqual(await ids(store, { action: 'DELETE /x' }), [b.id, c.id]);
        assert.deepEqual(await ids(store, { target: 'dev-1' }), [a.id, e.id]);
        assert.deepEqual(await ids(store, { target: 'dev' }), [], 'no prefix match');
        assert.deepEqual(await ids(store, { since: 2000 }), [d.id, b.id, c.id]);
        assert.deepEqual(await ids(store, { until: 1000 }), [a.id, e.id]);
        assert.deepEqual(await ids(store, { since: 1000, until: 2000 }), [c.id, a.id]);
        assert.deepEqual(await ids(store, { since: 2001, until: 2999 }), []);
        assert.deepEqual(
          await ids(store, { actor: 'alice', action: 'POST /x', target: 'dev-1', since: 1000 }),
          [a.id],
        );
      }));

    it('pages: limit default 100, at most 10,000; offset', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const made: number[] = [];
        for (let i = 0; i < 105; i++) {
          clock.advance(1);
          made.push((await store.audit.record({ actor: 'system', action: `a${i}` })).id);
        }
        const newest = made.toReversed();
        assert.deepEqual(await ids(store), newest.slice(0, 100));
        assert.deepEqual(await ids(store, { limit: 10_000 }), newest);
        assert.deepEqual(await ids(store, { limit: 3, offset: 2 }), newest.slice(2, 5));
        assert.deepEqual(await ids(store, { offset: 100 }), newest.slice(100));
        assert.deepEqual(await ids(store, { limit: 0 }), []);
        assert.deepEqual(await ids(store, { offset: 1000 }), []);
        for (const bad of [
          { limit: 10_001 },
          { limit: -1 },
          { limit: 1.5 },
          { offset: -1 },
          { since: 1.5 },
          { until: Number.NaN },
          { actor: 5 },
        ]) {
          await rejectsWith(store.audit.list(bad as never), 'invalid');
        }
      }));

    it('refuses a missing actor or action, a bad target, outcome or time, recording nothing', () =>
      withStore(factory, {}, async ({ store }) => {
        for (const bad of [
          { actor: '', action: 'x' },
          { actor: 'x', action: '' },
          { actor: 7, action: 'x' },
          { action: 'x' },
          { actor: 'x', action: 'y', target: 42 },
          { actor: 'x', action: 'y', outcome: 200.5 },
          { actor: 'x', action: 'y', outcome: '200' },
          { actor: 'x', action: 'y', at: Number.POSITIVE_INFINITY },
          { actor: 'x', action: 'y', at: '2026' },
          null,
        ]) {
          await rejectsWith(store.audit.record(bad as never), 'invalid');
        }
        assert.deepEqual(await store.audit.list(), []);
      }));

    it('keeps hostile text inert and exact, cut only past its bound (and still found by filter)', () =>
      withStore(factory, {}, async ({ store }) => {
        for (const s of HOSTILE_STRINGS) {
          const details = { [s]: s, list: [s] };
          const entry = await store.audit.record({
            actor: s === '' ? 'empty' : s,
            action: s === '' ? 'empty' : s,
            target: s,
            details,
          });
          const [listed] = await store.audit.list({ target: s, limit: 1 });
          assert.deepEqual(listed, entry);
          if (bytes(JSON.stringify(details)) <= MAX_AUDIT_DETAILS_BYTES) {
            assert.deepEqual(entry.details, details);
          } else {
            assert.equal((entry.details as unknown as AuditTruncated).truncated, true);
          }
          if (bytes(s) <= MAX_AUDIT_TARGET) assert.equal(entry.target, s);
          else assert.equal(entry.target, s.slice(0, MAX_AUDIT_TARGET));
          if (bytes(s) <= MAX_AUDIT_ACTOR && s !== '') assert.equal(entry.actor, s);
          if (s !== '' && s.length < 1000) {
            assert.deepEqual(await ids(store, { actor: s }), [entry.id]);
          }
        }
        const long = await store.audit.record({ actor: '😀'.repeat(300), action: 'x' });
        assert.ok(bytes(long.actor) <= MAX_AUDIT_ACTOR);
        assert.equal(long.actor, '😀'.repeat(MAX_AUDIT_ACTOR / 4), 'cut on a character boundary');
        const lone = await store.audit.record({ actor: 'a\ud800b', action: 'x', target: '\udc00' });
        assert.equal(lone.actor, 'a\ufffdb');
        assert.equal(lone.target, '\ufffd');
      }));

    it('bounds details: over 8 KB of JSON becomes a truncated marker; JSON-less values are replaced', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        // Exactly at the bound: kept whole.
        const fits = 'x'.repeat(MAX_AUDIT_DETAILS_BYTES - 2);
        assert.equal(
          (await store.audit.record({ actor: 'a', action: 'b', details: fits })).details,
          fits,
        );
        const big = { body: 'y'.repeat(MAX_AUDIT_DETAILS_BYTES), secretName: 'p' };
        const cut = await store.audit.record({ actor: 'a', action: 'b', details: big });
        const marker = cut.details as unknown as AuditTruncated;
        assert.equal(marker.truncated, true);
        assert.equal(marker.bytes, bytes(JSON.stringify(big)));
        assert.ok(JSON.stringify(big).startsWith(marker.excerpt));
        assert.ok(bytes(marker.excerpt) <= AUDIT_EXCERPT_BYTES);
        assert.deepEqual(Object.keys(marker).sort(), ['bytes', 'excerpt', 'truncated']);
        for (const e of await store.audit.list()) {
          assert.ok(bytes(JSON.stringify(e.details)) <= MAX_AUDIT_DETAILS_BYTES);
        }
        const wide = await store.audit.record({
          actor: 'a',
          action: 'b',
          details: Array.from({ length: 5000 }, (_, i) => i) as JsonValue,
        });
        assert.equal((wide.details as unknown as AuditTruncated).truncated, true);

        const cyclic: Record<string, unknown> = { n: 1 };
        cyclic.self = cyclic;
        const shared = { s: 1 };
        const odd = await store.audit.record({
          actor: 'a',
          action: 'b',
          details: {
            cyclic,
            shared: [shared, shared],
            gone: undefined,
            fn: () => 1,
            numbers: [Number.NaN, Number.POSITIVE_INFINITY, 1.5],
            big: 12n,
            when: new Date(0),
            password: new Secret('hunter2-at-rest'),
            __proto__key: JSON.parse('{"__proto__": {"polluted": true}}'),
            deep: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`),
          } as unknown as JsonValue,
        });
        const d = odd.details as Record<string, JsonValue>;
        assert.deepEqual(d.cyclic, { n: 1, self: '[circular]' });
        assert.deepEqual(d.shared, [{ s: 1 }, { s: 1 }], 'a repeated object is no cycle');
        assert.ok(!('gone' in d) && !('fn' in d));
        assert.deepEqual(d.numbers, [null, null, 1.5]);
        assert.equal(d.big, '12');
        assert.equal(d.when, '1970-01-01T00:00:00.000Z');
        assert.equal(d.password, '[redacted]');
        assert.equal(Object.getPrototypeOf(d.__proto__key), Object.prototype);
        assert.deepEqual(Object.keys(d.__proto__key as object), ['__proto__']);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.match(JSON.stringify(d.deep), /"\[too deep\]"/);
        assert.deepEqual((await store.audit.list({ limit: 1 }))[0], odd);
        assert.ok(!(await harness.rawDump()).includes('hunter2-at-rest'));
      }));

    it('keeps the log across a restart, ids still increasing', () =>
      withStore(factory, {}, async ({ store, harness }) => {
        const before = await store.audit.record({ actor: 'system', action: 'one', details: [1] });
        const reopened = await harness.reopen();
        assert.deepEqual(await reopened.audit.list(), [before]);
        const after = await reopened.audit.record({ actor: 'system', action: 'two' });
        assert.ok(after.id > before.id);
      }));
  });
}
