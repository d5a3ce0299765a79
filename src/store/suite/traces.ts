import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDevice, rejectsWith, type StoreFactory, withStore } from './harness.ts';

const soap = (n: number, pad = 0) => `<soap:Envelope><n>${n}</n>${'x'.repeat(pad)}</soap:Envelope>`;

export function traceSuite(factory: StoreFactory): void {
  describe('session traces', () => {
    it('appends a batch in order, as one message after another would, and all or nothing', () =>
      withStore(factory, {}, async ({ store, clock }) => {
        const id = (await addDevice(store, 'TRB')).device.id;
        const t = clock.now;
        await store.traces.append(id, 'one-by-one', {
          direction: 'cpe-to-acs',
          body: soap(1),
          at: t,
        });
        await store.traces.append(id, 'one-by-one', {
          direction: 'acs-to-cpe',
          body: soap(2),
          at: t + 5,
        });
        await store.traces.append(id, 'one-by-one', {
          direction: 'cpe-to-acs',
          body: soap(3),
          at: t + 9,
        });
        await store.traces.append(id, 'batched', [
          { direction: 'cpe-to-acs', body: soap(1), at: t },
          { direction: 'acs-to-cpe', body: soap(2), at: t + 5 },
        ]);
        await store.traces.append(id, 'batched', [
          { direction: 'cpe-to-acs', body: soap(3), at: t + 9 },
        ]);
        await store.traces.append(id, 'batched', []);
        const a = await store.traces.read(id, 'one-by-one');
        const b = await store.traces.read(id, 'batched');
        assert.deepEqual(b?.messages, a?.messages);
        assert.deepEqual({ ...b?.session, sessionId: '' }, { ...a?.session, sessionId: '' });
        await rejectsWith(
          store.traces.append(id, 'half', [
            { direction: 'cpe-to-acs', body: soap(1) },
            { direction: 'sideways' as 'cpe-to-acs', body: soap(2) },
          ]),
          'invalid',
        );
        assert.equal(await store.traces.read(id, 'half'), null, 'nothing of a refused batch');
      }));

    it('keeps the HTTP status of each response, none for requests; refuses a bad one', () =>
      withStore(factory, {}, async ({ store }) => {
        const id = (await addDevice(store, 'TRS')).device.id;
        await store.traces.append(id, 's', [
          { direction: 'cpe-to-acs', body: soap(1) },
          { direction: 'acs-to-cpe', body: soap(2), httpStatus: 200 },
          { direction: 'cpe-to-acs', body: '' },
          { direction: 'acs-to-cpe', body: '', httpStatus: 204 },
        ]);
        const trace = await store.traces.read(id, 's');
        assert.deepEqual(
          trace?.messages.map((m) => m.httpStatus),
          [null, 200, null, 204],
        );
        for (const bad of [
          { direction: 'acs-to-cpe', body: '', httpStatus: 99 },
          { direction: 'acs-to-cpe', body: '', httpStatus: 200.5 },
          { direction: 'acs-to-cpe', body: '', httpStatus: '200' as unknown as number },
          { direction: 'cpe-to-acs', body: '', httpStatus: 200 },
        ] as const) {
          await rejectsWith(store.traces.append(id, 'bad', [bad]), 'invalid');
        }
        assert.equal(await store.traces.read(id, 'bad'), null);
      }));

    it('keeps every message of the last N sessions, in order, with times', () =>
      withStore(factory, { traceSessionsPerDevice: 3 }, async ({ store, clock }) => {
        const id = (await addDevice(store, 'TR1')).device.id;
        for (let s = 1; s <= 5; s++) {
          for (let m = 0; m < 3; m++) {
            clock.advance(10);
            await store.traces.append(id, `sess-${s}`, {
              direction: m % 2 === 0 ? 'cpe-to-acs' : 'acs-to-cpe',
              body: soap(s * 10 + m),
            });
          }
        }
        const sessions = await store.traces.sessions(id);
        assert.deepEqual(
          sessions.map((s) => s.sessionId),
          ['sess-5', 'sess-4', 'sess-3'],
        );
        assert.deepEqual([sessions[0]?.messages, sessions[0]?.truncated], [3, false]);
        assert.equal(sessions[0]?.lastAt, clock.now);
        assert.equal(sessions[0]?.startedAt, clock.now - 20);
        const read = await store.traces.read(id, 'sess-4');
        assert.deepEqual(
          read?.messages.map((m) => [m.seq, m.direction, m.body, m.at]),
          [
            [1, 'cpe-to-acs', soap(40), clock.now - 50],
            [2, 'acs-to-cpe', soap(41), clock.now - 40],
            [3, 'cpe-to-acs', soap(42), clock.now - 30],
          ],
        );
        assert.equal(
          read?.session.bytes,
          read?.messages.reduce((n, m) => n + m.bytes, 0),
        );
        assert.equal(await store.traces.read(id, 'sess-1'), null);
        assert.equal(await store.traces.read('00D09E-IGD-NOBODY', 'sess-5'), null);
        await rejectsWith(
          store.traces.append('00D09E-IGD-NOBODY', 's', { direction: 'cpe-to-acs', body: '' }),
          'not-found',
        );
        await rejectsWith(
          store.traces.append(id, 's', { direction: 'sideways' as 'cpe-to-acs', body: '' }),
          'invalid',
        );
      }));

    it('keeps at most B bytes per device, dropping the oldest first', () =>
      withStore(
        factory,
        { traceSessionsPerDevice: 10, traceBytesPerDevice: 4096 },
        async ({ store }) => {
          const id = (await addDevice(store, 'TR2')).device.id;
          const other = (await addDevice(store, 'TR2-other')).device.id;
          await store.traces.append(other, 'o', { direction: 'cpe-to-acs', body: soap(0, 3000) });
          for (let s = 1; s <= 4; s++) {
            await store.traces.append(id, `s${s}`, {
              direction: 'cpe-to-acs',
              body: soap(s, 1500),
            });
          }
          const kept = await store.traces.sessions(id);
          assert.deepEqual(
            kept.map((s) => s.sessionId),
            ['s4', 's3'],
          );
          assert.ok(kept.reduce((n, s) => n + s.bytes, 0) <= 4096);
          assert.equal((await store.traces.sessions(other)).length, 1, 'budgets are per device');
          // One session outgrowing the budget loses its oldest messages and says so.
          for (let m = 0; m < 5; m++) {
            await store.traces.append(id, 'big', {
              direction: 'acs-to-cpe',
              body: soap(100 + m, 1500),
            });
          }
          const [big] = await store.traces.sessions(id);
          assert.equal(big?.sessionId, 'big');
          assert.equal(big?.truncated, true);
          assert.ok((big?.bytes ?? 0) <= 4096);
          const messages = (await store.traces.read(id, 'big'))?.messages ?? [];
          assert.deepEqual(
            messages.map((m) => m.seq),
            [4, 5],
          );
          assert.equal(messages.at(-1)?.body, soap(104, 1500));
          assert.equal((await store.traces.sessions(id)).length, 1);
          // A single body over budget is cut on a character boundary.
          await store.traces.append(id, 'huge', {
            direction: 'cpe-to-acs',
            body: 'é'.repeat(5000),
          });
          const [huge] = (await store.traces.read(id, 'huge'))?.messages ?? [];
          assert.equal(huge?.truncated, true);
          assert.ok((huge?.bytes ?? 0) <= 4096);
          assert.equal(huge?.body, 'é'.repeat(2048));
        },
      ));
  });
}
