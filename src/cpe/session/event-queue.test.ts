import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventQueue } from './event-queue.ts';

const codes = (q: EventQueue) =>
  q.list().map((e) => (e.commandKey ? `${e.code}:${e.commandKey}` : e.code));

describe('EventQueue', () => {
  it('collapses single events and keeps one M event per CommandKey, in Inform order', () => {
    const q = new EventQueue();
    q.add('M Reboot', 'r1');
    q.add('2 PERIODIC');
    q.add('1 BOOT');
    q.add('2 PERIODIC');
    q.add('M Reboot', 'r2');
    q.add('M Reboot', 'r1');
    q.add('X 00D09E CUSTOM');
    assert.deepEqual(codes(q), [
      '1 BOOT',
      '2 PERIODIC',
      'M Reboot:r1',
      'M Reboot:r2',
      'X 00D09E CUSTOM',
    ]);
  });

  it('a failed session drops 6 CONNECTION REQUEST and keeps the rest', () => {
    const q = new EventQueue();
    q.add('0 BOOTSTRAP');
    q.add('6 CONNECTION REQUEST');
    q.add('M ScheduleInform', 'k');
    q.sessionFailed();
    assert.deepEqual(codes(q), ['0 BOOTSTRAP', 'M ScheduleInform:k']);
  });

  it('a reboot drops BOOT, VALUE CHANGE and CONNECTION REQUEST; keeps BOOTSTRAP, PERIODIC, SCHEDULED, M events', () => {
    const q = new EventQueue();
    for (const c of [
      '0 BOOTSTRAP',
      '1 BOOT',
      '2 PERIODIC',
      '3 SCHEDULED',
      '4 VALUE CHANGE',
      '6 CONNECTION REQUEST',
    ])
      q.add(c);
    q.add('M Reboot', 'k');
    q.rebooted();
    assert.deepEqual(codes(q), ['0 BOOTSTRAP', '2 PERIODIC', '3 SCHEDULED', 'M Reboot:k']);
  });

  it('delivered removes exactly what the Inform carried; events raised meanwhile stay', () => {
    const q = new EventQueue();
    q.add('1 BOOT');
    q.add('M Reboot', 'a');
    const sent = q.list();
    q.add('M Reboot', 'b');
    q.delivered(sent);
    assert.deepEqual(codes(q), ['M Reboot:b']);
    q.delivered(q.list());
    assert.equal(q.size, 0);
  });
});
