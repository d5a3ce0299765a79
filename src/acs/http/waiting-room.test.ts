import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaitingRoom } from './waiting-room.ts';

describe('the waiting room', () => {
  it('serves first come first, skipping (and telling) those whose connection went', async () => {
    const room = new WaitingRoom<string>();
    const alive = [true, false, true];
    const turns = alive.map((_, i) => room.join(() => alive[i]!));
    assert.equal(room.size, 3);
    let served = 0;
    assert.equal(
      room.serveNext(() => `turn ${++served}`, 'gone'),
      true,
    );
    assert.equal(
      room.serveNext(() => `turn ${++served}`, 'gone'),
      true,
    );
    assert.equal(
      room.serveNext(() => `turn ${++served}`, 'gone'),
      false,
    );
    assert.deepEqual(await Promise.all(turns), ['turn 1', 'gone', 'turn 2']);
    assert.equal(room.size, 0);
  });

  it('sends away those who waited too long, oldest first, and only them', async () => {
    let now = 0;
    const room = new WaitingRoom<string>(() => now);
    const first = room.join(() => true);
    now = 400;
    const second = room.join(() => true);
    now = 1001;
    room.expire(1000, () => 'too long', 'gone');
    assert.equal(await first, 'too long');
    assert.equal(room.size, 1);
    room.serveNext(() => 'turn', 'gone');
    assert.equal(await second, 'turn');
  });

  it('keeps its order across thousands of waiters (its array compacted as it goes)', async () => {
    const room = new WaitingRoom<number>();
    const turns: Promise<number>[] = [];
    let next = 0;
    for (let i = 0; i < 5000; i++) {
      turns.push(room.join(() => true));
      if (i % 3 === 0) room.serveNext(() => next++, -1);
    }
    while (room.serveNext(() => next++, -1));
    assert.deepEqual(
      await Promise.all(turns),
      Array.from({ length: 5000 }, (_, i) => i),
    );
  });

  it('lets everyone go when cleared', async () => {
    const room = new WaitingRoom<string>();
    const turns = [room.join(() => true), room.join(() => false)];
    room.clear(() => 'closing');
    assert.deepEqual(await Promise.all(turns), ['closing', 'closing']);
    assert.equal(room.size, 0);
  });
});
