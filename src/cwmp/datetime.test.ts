import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CwmpDateTime,
  formatCwmpDateTime,
  formatDateTime,
  INFINITE_TIME,
  readDateTime,
  UNKNOWN_TIME,
} from './datetime.ts';

function ok(raw: string): { value: CwmpDateTime; warning: string | undefined } {
  const r = readDateTime(raw);
  assert.ok(r.ok, `expected ${JSON.stringify(raw)} to parse: ${r.ok ? '' : r.error.reason}`);
  return { value: r.value, warning: r.warning };
}

function absolute(raw: string): { iso: string; timeZone: string; warning: string | undefined } {
  const { value, warning } = ok(raw);
  assert.equal(value.kind, 'absolute');
  return { iso: value.date.toISOString(), timeZone: value.timeZone, warning };
}

function reason(raw: string): string {
  const r = readDateTime(raw);
  assert.ok(!r.ok, `expected ${JSON.stringify(raw)} to be rejected`);
  assert.equal(r.error.type, 'dateTime');
  assert.equal(r.error.raw, raw);
  return r.error.reason;
}

describe('readDateTime: well-formed', () => {
  it('reads UTC times without warning', () => {
    assert.deepEqual(absolute('2025-01-01T12:00:00Z'), {
      iso: '2025-01-01T12:00:00.000Z',
      timeZone: 'utc',
      warning: undefined,
    });
  });

  it('keeps milliseconds without warning (valid XSD)', () => {
    assert.equal(absolute('2025-01-01T12:00:00.5Z').iso, '2025-01-01T12:00:00.500Z');
    assert.equal(absolute('2025-01-01T12:00:00.123Z').warning, undefined);
  });

  it('applies numeric offsets', () => {
    const r = absolute('2025-01-01T12:00:00+02:30');
    assert.equal(r.iso, '2025-01-01T09:30:00.000Z');
    assert.equal(r.timeZone, 'offset');
    assert.equal(r.warning, undefined);
    assert.equal(absolute('2025-01-01T00:00:00-05:00').iso, '2025-01-01T05:00:00.000Z');
    assert.equal(absolute('2025-01-01T00:00:00+00:00').timeZone, 'offset');
    assert.equal(absolute('2025-01-01T00:00:00+14:00').iso, '2024-12-31T10:00:00.000Z');
  });

  it('trims surrounding whitespace silently', () => {
    assert.equal(absolute('  2025-01-01T12:00:00Z\n').warning, undefined);
  });

  it('accepts leap days and 24:00:00 (end of day)', () => {
    assert.equal(absolute('2024-02-29T10:00:00Z').iso, '2024-02-29T10:00:00.000Z');
    assert.equal(absolute('2000-02-29T10:00:00Z').iso, '2000-02-29T10:00:00.000Z');
    assert.equal(absolute('2024-12-31T24:00:00Z').iso, '2025-01-01T00:00:00.000Z');
  });

  it('reads year 1000 as absolute (the relative range ends at 999)', () => {
    assert.equal(absolute('1000-01-01T00:00:00Z').iso, '1000-01-01T00:00:00.000Z');
  });
});

describe('readDateTime: special values', () => {
  it('unknown time, with or without Z (quirk 12)', () => {
    assert.deepEqual(ok(UNKNOWN_TIME), { value: { kind: 'unknown' }, warning: undefined });
    const bare = ok('0001-01-01T00:00:00');
    assert.deepEqual(bare.value, { kind: 'unknown' });
    assert.match(bare.warning ?? '', /no time zone/);
    assert.deepEqual(ok('0001-01-01T00:00:00.000Z').value, { kind: 'unknown' });
  });

  it('the all-zero C date means unknown, with a warning', () => {
    const r = ok('0000-00-00T00:00:00');
    assert.deepEqual(r.value, { kind: 'unknown' });
    assert.match(r.warning ?? '', /all-zero/);
  });

  it('infinite time', () => {
    assert.deepEqual(ok(INFINITE_TIME), { value: { kind: 'infinite' }, warning: undefined });
    assert.deepEqual(ok('9999-12-31T23:59:59').value, { kind: 'infinite' });
    // Not exactly the sentinel: an ordinary time.
    assert.equal(ok('9999-12-31T23:59:58Z').value.kind, 'absolute');
    assert.equal(ok('9999-12-31T23:59:59+01:00').value.kind, 'absolute');
  });

  it('times before year 1000 are seconds since boot', () => {
    assert.deepEqual(ok('0001-01-01T00:01:40Z').value, { kind: 'relative', secondsSinceBoot: 100 });
    assert.deepEqual(ok('0001-01-02T00:00:00.250Z').value, {
      kind: 'relative',
      secondsSinceBoot: 86400.25,
    });
    assert.deepEqual(ok('0001-02-01T00:00:00Z').value, {
      kind: 'relative',
      secondsSinceBoot: 31 * 86400,
    });
    const late = ok('0999-12-31T23:59:59Z').value;
    assert.equal(late.kind, 'relative');
  });

  it('ignores an offset on a relative time, with a warning', () => {
    const r = ok('0001-01-01T00:01:40+01:00');
    assert.deepEqual(r.value, { kind: 'relative', secondsSinceBoot: 100 });
    assert.match(r.warning ?? '', /offset ignored/);
  });
});

describe('readDateTime: malformed forms real devices send', () => {
  it('repairs a doubled colon', () => {
    const r = absolute('2019-03-05T11:54::14');
    assert.equal(r.iso, '2019-03-05T11:54:14.000Z');
    assert.match(r.warning ?? '', /doubled ':'/);
    assert.equal(absolute('2019-03-05T11::54:14Z').iso, '2019-03-05T11:54:14.000Z');
  });

  it('no time zone: UTC assumed and said', () => {
    const r = absolute('2019-03-05T11:54:14');
    assert.equal(r.iso, '2019-03-05T11:54:14.000Z');
    assert.equal(r.timeZone, 'none');
    assert.equal(r.warning, 'no time zone; assumed UTC');
  });

  it('microseconds with and without zone are truncated to milliseconds', () => {
    const withZone = absolute('2019-03-05T11:54:14.123456Z');
    assert.equal(withZone.iso, '2019-03-05T11:54:14.123Z');
    assert.match(withZone.warning ?? '', /beyond milliseconds/);
    const without = absolute('2019-03-05T11:54:14.999999');
    assert.equal(without.iso, '2019-03-05T11:54:14.999Z');
    assert.match(without.warning ?? '', /beyond milliseconds.*no time zone/);
  });

  it('lowercase t and z, space separator', () => {
    const lower = absolute('2019-03-05t11:54:14z');
    assert.equal(lower.iso, '2019-03-05T11:54:14.000Z');
    assert.equal(lower.timeZone, 'utc');
    assert.match(lower.warning ?? '', /lowercase 't'.*lowercase 'z'/);
    const space = absolute('2019-03-05 11:54:14Z');
    assert.equal(space.iso, '2019-03-05T11:54:14.000Z');
    assert.match(space.warning ?? '', /space/);
  });

  it('offsets without colon or minutes', () => {
    const compact = absolute('2019-03-05T11:54:14+0100');
    assert.equal(compact.iso, '2019-03-05T10:54:14.000Z');
    assert.match(compact.warning ?? '', /without ':'/);
    const hours = absolute('2019-03-05T11:54:14-03');
    assert.equal(hours.iso, '2019-03-05T14:54:14.000Z');
    assert.match(hours.warning ?? '', /without minutes/);
  });
});

describe('readDateTime: garbage', () => {
  it('rejects with a clear reason', () => {
    assert.equal(reason(''), 'empty value');
    assert.equal(reason('   '), 'empty value');
    assert.match(reason('1700000000'), /bare number/);
    assert.match(reason('2025-01-01'), /without a time of day/);
    assert.match(reason('garbage'), /not an ISO 8601 dateTime/);
    assert.match(reason('12345-01-01T00:00:00Z'), /beyond 9999/);
  });

  it('rejects what Date.parse would accept', () => {
    for (const raw of [
      'Tue, 05 Mar 2019 11:54:14 GMT',
      '2019-3-5T11:54:14Z',
      '2019-03-05T11:54Z',
      '2019-03-05T11:54:14ZZ',
      '2019-03-05T11:54:14.Z',
      '2019-03-05T11:54:14 Z',
      '2019-03-05T11:54:::14',
      '+002019-03-05T11:54:14Z',
      '2019-03-05T1:54:14Z',
    ]) {
      assert.match(reason(raw), /not an ISO 8601 dateTime/, raw);
    }
  });

  it('rejects out-of-range fields', () => {
    assert.match(reason('2025-13-01T00:00:00Z'), /month 13/);
    assert.match(reason('2025-00-01T00:00:00Z'), /month 00/);
    assert.match(reason('2025-02-29T00:00:00Z'), /day 29 is out of range for 2025-02/);
    assert.match(reason('1900-02-29T00:00:00Z'), /day 29/);
    assert.match(reason('2025-04-31T00:00:00Z'), /day 31/);
    assert.match(reason('2025-01-00T00:00:00Z'), /day 00/);
    assert.match(reason('2025-01-01T25:00:00Z'), /hour 25/);
    assert.match(reason('2025-01-01T24:00:01Z'), /hour 24/);
    assert.match(reason('2025-01-01T12:60:00Z'), /minute 60/);
    assert.match(reason('2025-01-01T12:00:60Z'), /second 60/);
    assert.match(reason('2025-01-01T12:00:00+15:00'), /offset \+15:00/);
    assert.match(reason('2025-01-01T12:00:00+14:30'), /offset/);
    assert.match(reason('2025-01-01T12:00:00+01:60'), /offset/);
    assert.match(reason('0000-01-01T00:00:00Z'), /year 0000/);
  });
});

describe('formatDateTime', () => {
  it('writes UTC whole seconds by default, truncating', () => {
    const d = new Date(Date.UTC(2025, 0, 1, 12, 0, 0, 999));
    assert.equal(formatDateTime(d), '2025-01-01T12:00:00Z');
    assert.equal(formatDateTime(d, { milliseconds: true }), '2025-01-01T12:00:00.999Z');
  });

  it('round-trips through readDateTime', () => {
    const d = new Date(Date.UTC(2019, 2, 5, 11, 54, 14));
    const r = readDateTime(formatDateTime(d));
    assert.ok(r.ok && r.value.kind === 'absolute');
    assert.equal(r.value.date.getTime(), d.getTime());
    assert.equal(r.warning, undefined);
  });

  it('throws RangeError on invalid dates and unrepresentable years', () => {
    assert.throws(() => formatDateTime(new Date(Number.NaN)), RangeError);
    assert.throws(() => formatDateTime(new Date(Date.UTC(10000, 0, 1))), RangeError);
    assert.throws(() => formatDateTime(new Date(-62135596800001)), RangeError);
  });
});

describe('formatCwmpDateTime', () => {
  it('writes each kind', () => {
    assert.equal(formatCwmpDateTime({ kind: 'unknown' }), '0001-01-01T00:00:00Z');
    assert.equal(formatCwmpDateTime({ kind: 'infinite' }), '9999-12-31T23:59:59Z');
    assert.equal(
      formatCwmpDateTime({ kind: 'relative', secondsSinceBoot: 100 }),
      '0001-01-01T00:01:40Z',
    );
    assert.equal(
      formatCwmpDateTime({ kind: 'relative', secondsSinceBoot: 1.5 }, { milliseconds: true }),
      '0001-01-01T00:00:01.500Z',
    );
    const date = new Date(Date.UTC(2025, 5, 30, 23, 59, 59));
    assert.equal(
      formatCwmpDateTime({ kind: 'absolute', date, timeZone: 'none' }),
      '2025-06-30T23:59:59Z',
    );
  });

  it('round-trips relative times', () => {
    const r = readDateTime(formatCwmpDateTime({ kind: 'relative', secondsSinceBoot: 123456 }));
    assert.deepEqual(r, { ok: true, value: { kind: 'relative', secondsSinceBoot: 123456 } });
  });

  it('rejects relative times outside 0 .. year 1000', () => {
    assert.throws(() => formatCwmpDateTime({ kind: 'relative', secondsSinceBoot: -1 }), RangeError);
    assert.throws(
      () => formatCwmpDateTime({ kind: 'relative', secondsSinceBoot: Number.NaN }),
      RangeError,
    );
    assert.throws(
      () => formatCwmpDateTime({ kind: 'relative', secondsSinceBoot: 1000 * 366 * 86400 }),
      RangeError,
    );
  });
});
