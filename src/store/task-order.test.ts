import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskArgs } from './task-args.ts';
import { footprint, nextTask, type QueuedTask } from './task-order.ts';

const task = (name: string, args: TaskArgs, notBefore = 0): QueuedTask & { name: string } => ({
  name,
  type: args.type,
  args: JSON.stringify(args),
  notBefore,
});
const spv = (...names: string[]): TaskArgs => ({
  type: 'setParameterValues',
  parameters: names.map((name) => ({ name, value: 'v', type: 'string' })),
  parameterKey: '',
});
const gpv = (...names: string[]): TaskArgs => ({
  type: 'getParameterValues',
  parameterNames: names,
});
const NOW = 1000;
const LATER = 5000;

function next(queue: (QueuedTask & { name: string })[]): string {
  const n = nextTask(queue, NOW);
  return n.status === 'next' ? n.task.name : n.status === 'waiting' ? `wait ${n.until}` : 'empty';
}

describe('task order', () => {
  it('reads what a task touches from its stored arguments', () => {
    assert.deepEqual(footprint('getParameterValues', JSON.stringify(gpv())), {
      all: false,
      paths: [''],
    });
    assert.deepEqual(footprint('setParameterValues', JSON.stringify(spv('A.b', 'A.c'))), {
      all: false,
      paths: ['A.b', 'A.c'],
    });
    assert.deepEqual(footprint('getRPCMethods', '{}'), { all: false, paths: [] });
    assert.deepEqual(footprint('reboot', '{}'), { all: true });
    assert.deepEqual(footprint('setParameterValues', 'not json'), { all: true });
  });

  it('lets a later task pass a task backing off when it touches other parameters', () => {
    assert.equal(next([task('a', spv('Device.X.A'), LATER), task('b', spv('Device.Y.B'))]), 'b');
    assert.equal(
      next([task('a', spv('Device.X.A'), LATER), task('b', { type: 'getRPCMethods' })]),
      'b',
    );
  });

  it('keeps order among tasks on the same parameters or objects, transitively', () => {
    assert.equal(
      next([task('a', spv('Device.X.A'), LATER), task('b', gpv('Device.X.A'))]),
      'wait 5000',
    );
    assert.equal(
      next([
        task('a', { type: 'addObject', objectName: 'Device.WiFi.SSID.', parameterKey: '' }, LATER),
        task('b', spv('Device.WiFi.SSID.3.SSID')),
        task('c', gpv('Device.DeviceInfo.')),
      ]),
      'c',
    );
    // b waits for a (same parameter); c touches only what b touches, so c waits for b.
    assert.equal(
      next([
        task('a', spv('Device.X.A'), LATER),
        task('b', spv('Device.X.A', 'Device.Y.B')),
        task('c', spv('Device.Y.B')),
        task('d', spv('Device.Z.C')),
      ]),
      'd',
    );
    assert.equal(next([task('a', spv('Device.X.A'), LATER), task('b', gpv())]), 'wait 5000');
  });

  it('holds everything behind a whole-device task, and holds a whole-device task behind anything', () => {
    assert.equal(
      next([task('r', { type: 'reboot', commandKey: 'k' }, LATER), task('b', gpv('A.b'))]),
      'wait 5000',
    );
    assert.equal(
      next([task('a', spv('A.b'), LATER), task('r', { type: 'reboot', commandKey: 'k' })]),
      'wait 5000',
    );
    assert.equal(
      next([
        task('a', spv('A.b'), LATER),
        task('r', { type: 'factoryReset' }),
        task('c', gpv('C.d')),
      ]),
      'wait 5000',
    );
  });

  it('runs the head when it is due, and waits until the earliest task held back is due', () => {
    assert.equal(next([task('a', spv('A.b')), task('b', spv('C.d'))]), 'a');
    assert.equal(next([task('a', spv('A.b'), LATER), task('b', spv('C.d'), 3000)]), 'wait 3000');
    assert.equal(next([]), 'empty');
  });
});
