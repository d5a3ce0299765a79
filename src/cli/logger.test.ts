import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type Logger, resolveLogFormat } from './logger.ts';

const at = () => new Date('2026-01-02T03:04:05.000Z');

function capture(format: 'json' | 'text'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ format, clock: at, write: (line) => lines.push(line) }), lines };
}

describe('logger', () => {
  it('writes JSON lines with time, level and event first, info by default', () => {
    const { log, lines } = capture('json');
    log('listening', { service: 'api', port: 7557 });
    assert.equal(
      lines[0],
      '{"time":"2026-01-02T03:04:05.000Z","level":"info","event":"listening","service":"api","port":7557}\n',
    );
  });

  it('writes what one object of time, level, event and the fields would be, whatever the fields', () => {
    const { log, lines } = capture('json');
    const cases: Record<string, unknown>[] = [
      {},
      { nothing: undefined },
      { quote: 'a "b" \\ c\n', nested: { list: [1, null, 'x'] }, unicode: '\u2028é' },
      { event: 'overridden', time: 'also', level: 'too', extra: 1 },
    ];
    for (const fields of cases) log('e"vent\n', fields);
    cases.forEach((fields, i) => {
      const object = {
        time: '2026-01-02T03:04:05.000Z',
        level: 'info',
        event: 'e"vent\n',
        ...fields,
      };
      assert.equal(lines[i], `${JSON.stringify(object)}\n`);
    });
  });

  it('takes an optional level; WARNING-… events are warnings', () => {
    const { log, lines } = capture('json');
    log('store-failed', { reason: 'disk full' }, 'error');
    log('slow', {}, 'warn');
    log('WARNING-accept-any-cpe', { message: 'labs only' });
    log('WARNING-x', {}, 'error');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).level),
      ['error', 'warn', 'warn', 'error'],
    );
  });

  it('keeps two-argument callers working (the Logger type the components use)', () => {
    const { log, lines } = capture('json');
    const component: (event: string, fields: Record<string, unknown>) => void = log;
    component('tasks-recovered', { count: 2 });
    assert.equal(JSON.parse(lines[0]!).level, 'info');
  });

  it('writes one readable line per event in text form, quoting what could be misread', () => {
    const { log, lines } = capture('text');
    log('WARNING-file-public-url', {
      message: 'no --file-public-url: devices\nare sent',
      port: 7567,
      nested: { a: 1 },
      missing: undefined,
      ok: true,
      url: 'http://0.0.0.0:7567',
    });
    assert.equal(lines.length, 1);
    assert.equal(
      lines[0],
      '2026-01-02T03:04:05.000Z WARN  WARNING-file-public-url message="no --file-public-url: devices\\nare sent" port=7567 nested={"a":1} ok=true url=http://0.0.0.0:7567\n',
    );
  });

  it('chooses text on a terminal and JSON otherwise, unless told', () => {
    assert.equal(resolveLogFormat('auto', { isTTY: true }), 'text');
    assert.equal(resolveLogFormat('auto', {}), 'json');
    assert.equal(resolveLogFormat('json', { isTTY: true }), 'json');
    assert.equal(resolveLogFormat('text', {}), 'text');
  });
});
