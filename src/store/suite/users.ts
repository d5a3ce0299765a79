import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../secret.ts';
import { csrfTokenMatches, csrfTokenOf } from '../user-sessions.ts';
import { rejectsWith, type StoreFactory, withStore } from './harness.ts';

const PASSWORD = new Secret('correct horse battery');
const LIMITS = { idleMs: 30 * 60_000, maxAgeMs: 12 * 3600_000 };

export function userSuite(factory: StoreFactory): void {
  describe('console users', () => {
    it('creates a user whose password verifies, records the login, and keeps no password in clear', () =>
      withStore(factory, {}, async ({ store, clock, harness }) => {
        const created = await store.users.create({
          name: 'alice',
          role: 'operator',
          password: PASSWORD,
          createdBy: 'cli',
        });
        assert.deepEqual(created, {
          name: 'alice',
          role: 'operator',
          createdAt: clock.now,
          createdBy: 'cli',
          passwordChangedAt: clock.now,
          lastLoginAt: null,
        });
        assert.equal(
          await store.users.verifyPassword('alice', new Secret('wrong password!')),
          null,
        );
        assert.equal(await store.users.verifyPassword('bob', PASSWORD), null);
        clock.advance(1000);
        const verified = await store.users.verifyPassword('alice', PASSWORD);
        assert.equal(verified?.lastLoginAt, clock.now);
        assert.equal((await harness.rawDump()).includes('correct horse battery'), false);
      }));

    it('refuses a taken name, a bad name, an unknown role and a short password', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.users.create({ name: 'alice', role: 'admin', password: PASSWORD });
        await rejectsWith(
          store.users.create({ name: 'alice', role: 'admin', password: PASSWORD }),
          'conflict',
        );
        for (const name of ['', ' alice', '<img>', 'a'.repeat(65), '.hidden']) {
          await rejectsWith(
            store.users.create({ name, role: 'admin', password: PASSWORD }),
            'invalid',
          );
        }
        await rejectsWith(
          store.users.create({ name: 'bob', role: 'root' as never, password: PASSWORD }),
          'invalid',
        );
        await rejectsWith(
          store.users.create({ name: 'bob', role: 'admin', password: new Secret('short') }),
          'invalid',
        );
      }));

    it('never removes or demotes the last admin', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.users.create({ name: 'root', role: 'admin', password: PASSWORD });
        await rejectsWith(store.users.remove('root'), 'conflict');
        await rejectsWith(store.users.setRole('root', 'operator'), 'conflict');
        await store.users.create({ name: 'second', role: 'admin', password: PASSWORD });
        assert.equal((await store.users.setRole('root', 'read-only')).role, 'read-only');
        await rejectsWith(store.users.remove('second'), 'conflict');
        await store.users.remove('root');
        assert.deepEqual(
          (await store.users.list()).map((u) => u.name),
          ['second'],
        );
        await rejectsWith(store.users.remove('root'), 'not-found');
      }));

    it('a browser session opens for its token only, follows the user’s role, and ends at logout', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.users.create({ name: 'alice', role: 'operator', password: PASSWORD });
        const { session, token } = await store.userSessions.create('alice', LIMITS);
        assert.match(session.id, /^[0-9a-f]{16}$/);
        assert.equal(String(token), '[redacted]');
        const seen = await store.userSessions.verify(token);
        assert.equal(seen?.user.name, 'alice');
        assert.equal(seen?.session.id, session.id);
        assert.equal(await store.userSessions.verify(new Secret(`${token.reveal()}x`)), null);
        assert.equal(await store.userSessions.verify(new Secret('cs_garbage')), null);
        await store.users.create({ name: 'zed', role: 'admin', password: PASSWORD });
        await store.users.setRole('alice', 'read-only');
        assert.equal((await store.userSessions.verify(token))?.user.role, 'read-only');
        assert.equal(csrfTokenMatches(token, csrfTokenOf(token)), true);
        const other = await store.userSessions.create('alice', LIMITS);
        assert.equal(csrfTokenMatches(token, csrfTokenOf(other.token)), false);
        assert.equal(await store.userSessions.revoke(token), true);
        assert.equal(await store.userSessions.verify(token), null);
        assert.notEqual(await store.userSessions.verify(other.token), null);
        assert.equal(await store.userSessions.revoke(token), false);
      }));

    it('a session ends when idle too long, at its maximum age, and with a password change or removal', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        await store.users.create({ name: 'alice', role: 'admin', password: PASSWORD });
        await store.users.create({ name: 'bob', role: 'admin', password: PASSWORD });
        const idle = await store.userSessions.create('alice', {
          idleMs: 60_000,
          maxAgeMs: 600_000,
        });
        clock.advance(50_000);
        assert.notEqual(
          await store.userSessions.verify(idle.token),
          null,
          'used within the idle time',
        );
        clock.advance(50_000);
        assert.notEqual(await store.userSessions.verify(idle.token), null, 'the use refreshed it');
        clock.advance(61_000);
        assert.equal(await store.userSessions.verify(idle.token), null, 'idle for 61 s');

        const aged = await store.userSessions.create('alice', {
          idleMs: 60_000,
          maxAgeMs: 100_000,
        });
        for (let i = 0; i < 3; i++) {
          clock.advance(40_000);
          const live = await store.userSessions.verify(aged.token);
          assert.equal(live !== null, i < 2, `at ${(i + 1) * 40} s`);
        }

        const changed = await store.userSessions.create('alice', LIMITS);
        await store.users.setPassword('alice', new Secret('another long password'));
        assert.equal(await store.userSessions.verify(changed.token), null);
        assert.equal(await store.users.verifyPassword('alice', PASSWORD), null);
        assert.notEqual(
          await store.users.verifyPassword('alice', new Secret('another long password')),
          null,
        );
        const removed = await store.userSessions.create('bob', LIMITS);
        await store.users.remove('bob');
        assert.equal(await store.userSessions.verify(removed.token), null);

        await store.userSessions.create('alice', { idleMs: 1000, maxAgeMs: 10_000 });
        clock.advance(2000);
        assert.equal(await store.userSessions.prune(), 1);
      }));
  });
}
