import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParameterValue } from './parameter-value.ts';
import {
  formatBoolean,
  formatDateTime,
  formatDecimal,
  formatTyped,
  LONG_MAX,
  LONG_MIN,
  readBase64,
  readBoolean,
  readDateTime,
  readDecimal,
  readHexBinary,
  readInt,
  readLong,
  readString,
  readTyped,
  readUnsignedInt,
  readUnsignedLong,
  type TypedValue,
  UNSIGNED_LONG_MAX,
  type ValueResult,
} from './values.ts';

function value<T>(r: ValueResult<T>): T {
  assert.ok(r.ok, r.ok ? '' : `unexpected error: ${r.error.reason}`);
  return r.value;
}

function reason<T>(r: ValueResult<T>, type: string): string {
  assert.ok(!r.ok, `expected an error, got ${r.ok ? String(r.value) : ''}`);
  assert.equal(r.error.type, type);
  return r.error.reason;
}

const pv = (type: string, v: string): ParameterValue => ({ name: 'Device.X', value: v, type });

describe('readString', () => {
  it('returns the raw text untouched', () => {
    assert.deepEqual(readString('  a b \u0002 '), { ok: true, value: '  a b \u0002 ' });
    assert.deepEqual(readString(''), { ok: true, value: '' });
  });
});

describe('readInt / readUnsignedInt', () => {
  it('reads the 32-bit signed range inclusive', () => {
    assert.equal(value(readInt('-2147483648')), -2147483648);
    assert.equal(value(readInt('2147483647')), 2147483647);
    assert.equal(value(readInt('+42')), 42);
    assert.equal(value(readInt('007')), 7);
    assert.ok(Object.is(value(readInt('-0')), 0));
  });

  it('trims surrounding whitespace without warning', () => {
    assert.deepEqual(readInt(' \t12\n'), { ok: true, value: 12 });
  });

  it('range-checks', () => {
    assert.match(reason(readInt('2147483648'), 'int'), /out of range -2147483648\.\.2147483647/);
    assert.match(reason(readInt('-2147483649'), 'int'), /out of range/);
    assert.match(reason(readInt('99999999999999999999999'), 'int'), /out of range/);
    assert.match(reason(readUnsignedInt('-1'), 'unsignedInt'), /out of range 0\.\.4294967295/);
    assert.match(reason(readUnsignedInt('4294967296'), 'unsignedInt'), /out of range/);
    assert.equal(value(readUnsignedInt('4294967295')), 4294967295);
    assert.equal(value(readUnsignedInt('-0')), 0);
  });

  it('rejects non-integers with a reason', () => {
    assert.equal(reason(readInt(''), 'int'), 'empty value');
    assert.equal(reason(readInt('1.5'), 'int'), 'not an integer (has a fraction)');
    assert.equal(reason(readInt('1.'), 'int'), 'not an integer (has a fraction)');
    for (const raw of ['0x10', '1e3', 'abc', '1 2', '--1', '+', '١٢', 'Infinity', '1_000']) {
      assert.equal(reason(readInt(raw), 'int'), 'not a decimal integer', raw);
    }
    assert.equal(reason(readUnsignedInt('http://acs'), 'unsignedInt'), 'not a decimal integer');
  });
});

describe('readLong / readUnsignedLong', () => {
  it('returns exact bigints at the limits', () => {
    assert.equal(value(readLong('-9223372036854775808')), LONG_MIN);
    assert.equal(value(readLong('9223372036854775807')), LONG_MAX);
    assert.equal(value(readUnsignedLong('18446744073709551615')), UNSIGNED_LONG_MAX);
    assert.equal(value(readUnsignedLong(' 9007199254740993 ')), 9007199254740993n);
    assert.equal(value(readLong('+5')), 5n);
  });

  it('range-checks and rejects garbage', () => {
    assert.match(reason(readLong('9223372036854775808'), 'long'), /out of range/);
    assert.match(reason(readLong('-9223372036854775809'), 'long'), /out of range/);
    assert.match(reason(readUnsignedLong('18446744073709551616'), 'unsignedLong'), /out of range/);
    assert.match(reason(readUnsignedLong('-1'), 'unsignedLong'), /out of range/);
    assert.equal(reason(readLong('0x1F'), 'long'), 'not a decimal integer');
    assert.equal(reason(readUnsignedLong(''), 'unsignedLong'), 'empty value');
  });
});

describe('readBoolean', () => {
  it('reads the four lexical forms without warning', () => {
    assert.deepEqual(readBoolean('true'), { ok: true, value: true });
    assert.deepEqual(readBoolean('false'), { ok: true, value: false });
    assert.deepEqual(readBoolean('1'), { ok: true, value: true });
    assert.deepEqual(readBoolean(' 0 '), { ok: true, value: false });
  });

  it('accepts other cases with a warning', () => {
    assert.deepEqual(readBoolean('TRUE'), {
      ok: true,
      value: true,
      warning: "non-canonical boolean 'TRUE'",
    });
    assert.equal(value(readBoolean(' False')), false);
    const r = readBoolean('False');
    assert.ok(r.ok && r.warning === "non-canonical boolean 'False'");
  });

  it('rejects everything else', () => {
    assert.equal(reason(readBoolean(''), 'boolean'), 'empty value');
    for (const raw of ['yes', 'on', '2', '-1', 'truee', '01', 't']) {
      assert.equal(reason(readBoolean(raw), 'boolean'), 'expected true, false, 1 or 0', raw);
    }
  });
});

describe('readDecimal', () => {
  it('reads xsd:decimal forms', () => {
    assert.equal(value(readDecimal('3.14')), 3.14);
    assert.equal(value(readDecimal('-.5')), -0.5);
    assert.equal(value(readDecimal('+10.')), 10);
    assert.equal(value(readDecimal(' 42 ')), 42);
    assert.ok(Object.is(value(readDecimal('-0.0')), 0));
  });

  it('rejects exponents, specials and garbage', () => {
    assert.match(reason(readDecimal('1e3'), 'decimal'), /exponent notation/);
    assert.match(reason(readDecimal('1.5E-2'), 'decimal'), /exponent notation/);
    assert.equal(reason(readDecimal(''), 'decimal'), 'empty value');
    for (const raw of ['.', '-', 'NaN', 'INF', '1,5', '1.2.3']) {
      assert.equal(reason(readDecimal(raw), 'decimal'), 'not a decimal number', raw);
    }
    assert.equal(reason(readDecimal('9'.repeat(400)), 'decimal'), 'too large for a double');
  });
});

describe('readHexBinary', () => {
  it('decodes either case into a plain Uint8Array', () => {
    const bytes = value(readHexBinary(' 00ff7Fa0 '));
    assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
    assert.deepEqual(bytes, new Uint8Array([0x00, 0xff, 0x7f, 0xa0]));
    assert.deepEqual(value(readHexBinary('')), new Uint8Array(0));
  });

  it('rejects odd lengths and bad digits', () => {
    assert.equal(reason(readHexBinary('abc'), 'hexBinary'), 'odd number of hex digits');
    assert.equal(reason(readHexBinary('0g'), 'hexBinary'), "invalid hex digit 'g' at position 1");
    assert.match(reason(readHexBinary('00 11'), 'hexBinary'), /invalid hex digit ' '/);
    assert.match(reason(readHexBinary('0x00'), 'hexBinary'), /'x'/);
  });
});

describe('readBase64', () => {
  it('decodes padded input, allowing whitespace and line breaks', () => {
    assert.deepEqual(value(readBase64('aGVsbG8=')), new TextEncoder().encode('hello'));
    assert.deepEqual(
      value(readBase64('aGVs\r\nbG8g\n d29y bGQ=\n')),
      new TextEncoder().encode('hello world'),
    );
    assert.deepEqual(value(readBase64('aGk=')), new TextEncoder().encode('hi'));
    assert.deepEqual(value(readBase64('aA==')), new TextEncoder().encode('h'));
    assert.deepEqual(value(readBase64('')), new Uint8Array(0));
    assert.deepEqual(value(readBase64('+/+/')), new Uint8Array([0xfb, 0xff, 0xbf]));
    assert.equal(Object.getPrototypeOf(value(readBase64('AAAA'))), Uint8Array.prototype);
  });

  it('rejects foreign characters, naming URL-safe base64', () => {
    assert.equal(
      reason(readBase64('ab-_'), 'base64'),
      "invalid character '-' at position 2 (URL-safe base64 is not accepted)",
    );
    assert.equal(reason(readBase64('ab*d'), 'base64'), "invalid character '*' at position 2");
  });

  it('validates padding', () => {
    assert.match(reason(readBase64('aGVsbG8'), 'base64'), /multiple of 4/);
    assert.match(reason(readBase64('aGVsbG8=='), 'base64'), /multiple of 4/);
    assert.match(reason(readBase64('a==='), 'base64'), /'=' padding/);
    assert.match(reason(readBase64('aG=k'), 'base64'), /'=' padding/);
    assert.match(reason(readBase64('aGk=aGk='), 'base64'), /'=' padding/);
    assert.match(reason(readBase64('aGl='), 'base64'), /non-zero bits/);
    assert.match(reason(readBase64('aB=='), 'base64'), /non-zero bits/);
  });
});

describe('readDateTime re-export', () => {
  it('is the datetime reader', () => {
    assert.equal(value(readDateTime('0001-01-01T00:00:00Z')).kind, 'unknown');
    assert.equal(formatDateTime(new Date(0)), '1970-01-01T00:00:00Z');
  });
});

describe('readTyped', () => {
  it('dispatches on the xsi:type', () => {
    assert.deepEqual(value(readTyped(pv('string', ' x '))), { type: 'string', value: ' x ' });
    assert.deepEqual(value(readTyped(pv('int', '-3'))), { type: 'int', value: -3 });
    assert.deepEqual(value(readTyped(pv('unsignedInt', '3'))), { type: 'unsignedInt', value: 3 });
    assert.deepEqual(value(readTyped(pv('long', '-3'))), { type: 'long', value: -3n });
    assert.deepEqual(value(readTyped(pv('unsignedLong', '3'))), {
      type: 'unsignedLong',
      value: 3n,
    });
    assert.deepEqual(value(readTyped(pv('boolean', '1'))), { type: 'boolean', value: true });
    assert.deepEqual(value(readTyped(pv('decimal', '1.5'))), { type: 'decimal', value: 1.5 });
    assert.deepEqual(value(readTyped(pv('hexBinary', 'ff'))), {
      type: 'hexBinary',
      value: new Uint8Array([255]),
    });
    assert.deepEqual(value(readTyped(pv('base64', 'AQ=='))), {
      type: 'base64',
      value: new Uint8Array([1]),
    });
    assert.deepEqual(value(readTyped(pv('dateTime', '0001-01-01T00:00:00Z'))), {
      type: 'dateTime',
      value: { kind: 'unknown' },
    });
  });

  it('passes the reader warning through', () => {
    const r = readTyped(pv('boolean', 'True'));
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'boolean', value: true });
    assert.match(r.warning ?? '', /non-canonical/);
    const d = readTyped(pv('dateTime', '2019-03-05T11:54::14'));
    assert.ok(d.ok && d.value.type === 'dateTime' && d.value.value.kind === 'absolute');
    assert.match(d.warning ?? '', /doubled/);
  });

  it('keeps the raw string when the xsi:type is wrong (quirk 11)', () => {
    for (const raw of ['http://10.0.0.1:7547/', '2019-03-05T11:54:14Z', 'Cisco femto', '']) {
      const r = readTyped({ name: 'Device.A.B', value: raw, type: 'unsignedInt' });
      assert.ok(r.ok);
      assert.deepEqual(r.value, { type: 'string', value: raw });
      assert.match(r.warning ?? '', /^Device\.A\.B: declared xsi:type 'unsignedInt' does not fit/);
    }
  });

  it('keeps the raw string for an unknown xsi:type', () => {
    const r = readTyped(pv('anyURI', 'http://x'));
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'string', value: 'http://x' });
    assert.match(r.warning ?? '', /unknown xsi:type 'anyURI'/);
  });

  it('strict mode reports the mismatch as an error', () => {
    assert.deepEqual(readTyped(pv('unsignedInt', 'abc'), { strict: true }), {
      ok: false,
      error: { type: 'unsignedInt', raw: 'abc', reason: 'not a decimal integer' },
    });
    assert.equal(
      reason(readTyped(pv('foo', 'abc'), { strict: true }), 'foo'),
      "unknown xsi:type 'foo'",
    );
    assert.ok(readTyped(pv('int', '5'), { strict: true }).ok);
  });
});

describe('formatBoolean', () => {
  it('word by default, digit on request (quirk 1)', () => {
    assert.equal(formatBoolean(true), 'true');
    assert.equal(formatBoolean(false), 'false');
    assert.equal(formatBoolean(true, 'digit'), '1');
    assert.equal(formatBoolean(false, 'digit'), '0');
  });
});

describe('formatDecimal', () => {
  it('never uses exponent notation', () => {
    assert.equal(formatDecimal(1.5), '1.5');
    assert.equal(formatDecimal(-0), '0');
    assert.equal(formatDecimal(1e21), '1000000000000000000000');
    assert.equal(formatDecimal(-1.25e22), '-12500000000000000000000');
    assert.equal(formatDecimal(1.5e-10), '0.00000000015');
    assert.equal(formatDecimal(-2e-7), '-0.0000002');
    assert.equal(formatDecimal(1.2345e-5), '0.000012345');
    assert.equal(value(readDecimal(formatDecimal(1.2345e-15))), 1.2345e-15);
  });

  it('throws on non-finite numbers', () => {
    assert.throws(() => formatDecimal(Number.NaN), RangeError);
    assert.throws(() => formatDecimal(Number.POSITIVE_INFINITY), RangeError);
  });
});

describe('formatTyped', () => {
  it('round-trips every type through readTyped', () => {
    const samples: TypedValue[] = [
      { type: 'string', value: 'a,b' },
      { type: 'int', value: -2147483648 },
      { type: 'unsignedInt', value: 4294967295 },
      { type: 'long', value: LONG_MIN },
      { type: 'unsignedLong', value: UNSIGNED_LONG_MAX },
      { type: 'boolean', value: false },
      { type: 'decimal', value: -12.75 },
      { type: 'hexBinary', value: new Uint8Array([0, 171, 255]) },
      { type: 'base64', value: new Uint8Array([1, 2, 3, 4, 5]) },
      { type: 'dateTime', value: { kind: 'relative', secondsSinceBoot: 3600 } },
      { type: 'dateTime', value: { kind: 'infinite' } },
    ];
    for (const sample of samples) {
      const text = formatTyped(sample);
      const back = readTyped(pv(sample.type, text), { strict: true });
      assert.deepEqual(back, { ok: true, value: sample }, text);
    }
  });

  it('uses the requested boolean style and dateTime precision', () => {
    assert.equal(formatTyped({ type: 'boolean', value: true }, { booleanStyle: 'digit' }), '1');
    const date = new Date(Date.UTC(2025, 0, 1, 0, 0, 0, 250));
    const dt: TypedValue = { type: 'dateTime', value: { kind: 'absolute', date, timeZone: 'utc' } };
    assert.equal(formatTyped(dt), '2025-01-01T00:00:00Z');
    assert.equal(formatTyped(dt, { milliseconds: true }), '2025-01-01T00:00:00.250Z');
    assert.equal(formatTyped({ type: 'hexBinary', value: new Uint8Array([0xab]) }), 'AB');
  });

  it('formats a subarray view without leaking its neighbours', () => {
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    assert.equal(formatTyped({ type: 'base64', value: view }), 'AQI=');
    assert.equal(formatTyped({ type: 'hexBinary', value: view }), '0102');
  });

  it('throws RangeError on values outside their type', () => {
    assert.throws(() => formatTyped({ type: 'int', value: 2147483648 }), RangeError);
    assert.throws(() => formatTyped({ type: 'int', value: 1.5 }), RangeError);
    assert.throws(() => formatTyped({ type: 'unsignedInt', value: -1 }), RangeError);
    assert.throws(() => formatTyped({ type: 'long', value: LONG_MAX + 1n }), RangeError);
    assert.throws(() => formatTyped({ type: 'unsignedLong', value: -1n }), RangeError);
    assert.throws(() => formatTyped({ type: 'decimal', value: Number.NaN }), RangeError);
  });
});
