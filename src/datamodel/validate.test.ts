import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FaultCode } from '../cwmp/faults.ts';
import type { Syntax } from './definition.ts';
import { validateValue, xsiTypeFits } from './validate.ts';

function ok(syntax: Syntax, raw: string, expected = raw, write = false): void {
  const r = validateValue(syntax, raw, { write });
  assert.deepEqual(r, { ok: true, value: expected }, `${JSON.stringify(raw)} should be valid`);
}

function bad(
  syntax: Syntax,
  raw: string,
  code: number = FaultCode.InvalidParameterValue,
  reason?: RegExp,
): void {
  const r = validateValue(syntax, raw);
  assert.equal(r.ok, false, `${JSON.stringify(raw)} should be refused`);
  if (!r.ok) {
    assert.equal(r.faultCode, code);
    if (reason !== undefined) assert.match(r.reason, reason);
  }
}

describe('validateValue: base types (the codec readers)', () => {
  test('unsignedInt: canonical form, range of the type', () => {
    const s: Syntax = { type: 'unsignedInt' };
    ok(s, '42');
    ok(s, ' +007 ', '7');
    ok(s, '4294967295');
    bad(s, '4294967296', FaultCode.InvalidParameterValue, /out of range/);
    bad(s, '-1');
    bad(s, '1.5', FaultCode.InvalidParameterValue, /fraction/);
    bad(s, '', FaultCode.InvalidParameterValue, /empty/);
    bad(s, 'ten');
  });

  test('int, long and unsignedLong', () => {
    ok({ type: 'int' }, '-2147483648');
    bad({ type: 'int' }, '2147483648');
    ok({ type: 'long' }, '-9223372036854775808');
    bad({ type: 'long' }, '9223372036854775808');
    ok({ type: 'unsignedLong' }, '18446744073709551615');
    bad({ type: 'unsignedLong' }, '18446744073709551616');
  });

  test('boolean: true/false/1/0 in any case, stored as true/false', () => {
    const s: Syntax = { type: 'boolean' };
    ok(s, 'true');
    ok(s, '1', 'true');
    ok(s, 'FALSE', 'false');
    ok(s, '0', 'false');
    bad(s, 'yes');
    bad(s, '');
  });

  test('dateTime, base64, hexBinary, decimal', () => {
    ok({ type: 'dateTime' }, '2025-01-01T12:00:00Z');
    ok({ type: 'dateTime' }, '0001-01-01T00:00:00Z');
    bad({ type: 'dateTime' }, '2025-13-01T00:00:00Z', FaultCode.InvalidParameterValue, /month/);
    bad({ type: 'dateTime' }, 'yesterday');
    ok({ type: 'base64' }, 'AQID');
    bad({ type: 'base64' }, 'AQI');
    ok({ type: 'hexBinary' }, '0a0B');
    bad({ type: 'hexBinary' }, 'abc', FaultCode.InvalidParameterValue, /odd/);
    ok({ type: 'decimal' }, '-1.25');
    bad({ type: 'decimal' }, '1e3', FaultCode.InvalidParameterValue, /exponent/);
  });

  test('a string keeps its text exactly, spaces included', () => {
    ok({ type: 'string' }, '  padded  ');
    ok({ type: 'string' }, '');
  });
});

describe('validateValue: facets', () => {
  test('sizes are alternatives; lengths count characters, bytes for hexBinary', () => {
    const s: Syntax = { type: 'string', sizes: [{ minLength: 8, maxLength: 63 }] };
    ok(s, 'password');
    bad(s, 'short', FaultCode.InvalidParameterValue, /5 characters/);
    bad(s, 'x'.repeat(64));
    ok({ type: 'string', sizes: [{ maxLength: 2 }] }, '😀😀', '😀😀');
    const wep: Syntax = {
      type: 'hexBinary',
      sizes: [
        { minLength: 5, maxLength: 5 },
        { minLength: 13, maxLength: 13 },
      ],
    };
    ok(wep, '0102030405');
    ok(wep, '01020304050607080910111213');
    bad(wep, '01020304', FaultCode.InvalidParameterValue, /4 bytes/);
  });

  test('ranges are alternatives, with steps', () => {
    const s: Syntax = {
      type: 'int',
      ranges: [
        { min: -1, max: -1 },
        { min: 1, max: 10 },
      ],
    };
    ok(s, '-1');
    ok(s, '10');
    bad(s, '0', FaultCode.InvalidParameterValue, /outside -1..-1 or 1..10/);
    const stepped: Syntax = { type: 'int', ranges: [{ min: -65536, max: 65534, step: 2 }] };
    ok(stepped, '-65536');
    ok(stepped, '0');
    bad(stepped, '1');
    const big: Syntax = { type: 'unsignedLong', ranges: [{ min: 10 }] };
    ok(big, '18446744073709551615');
    bad(big, '9');
  });

  test('enumerations, and readOnly values refused on write only', () => {
    const s: Syntax = {
      type: 'string',
      enumerations: [
        { value: 'None', access: 'readOnly' },
        { value: 'Requested' },
        { value: 'Complete', access: 'readOnly' },
      ],
    };
    ok(s, 'Requested', 'Requested', true);
    ok(s, 'Complete');
    bad(s, 'requested', FaultCode.InvalidParameterValue, /not one of/);
    const w = validateValue(s, 'Complete', { write: true });
    assert.equal(w.ok, false);
    if (!w.ok) assert.match(w.reason, /not written/);
  });

  test('patterns are anchored; an empty pattern allows the empty string', () => {
    const mac: Syntax = {
      type: 'string',
      patterns: ['', '([0-9A-Fa-f][0-9A-Fa-f]:){5}([0-9A-Fa-f][0-9A-Fa-f])'],
    };
    ok(mac, '');
    ok(mac, '02:c0:A1:00:00:01');
    bad(mac, '02:c0:A1:00:00:01:ff', FaultCode.InvalidParameterValue, /pattern/);
    bad(mac, 'x02:c0:A1:00:00:01');
  });

  test('lists: items validated one by one, item counts and the whole length checked', () => {
    const s: Syntax = {
      type: 'unsignedInt',
      ranges: [{ max: 100 }],
      list: { minItems: 1, maxItems: 3, sizes: [{ maxLength: 10 }] },
    };
    ok(s, '1, 2 ,3', '1,2,3');
    bad(s, '', FaultCode.InvalidParameterValue, /at least 1/);
    bad(s, '1,2,3,4', FaultCode.InvalidParameterValue, /at most 3/);
    bad(s, '1,200', FaultCode.InvalidParameterValue, /list item 2/);
    bad(s, '1,2,         3', FaultCode.InvalidParameterValue, /characters long/);
    ok({ type: 'string', list: {} }, '', '');
  });
});

describe('validateValue: xsi:type (9006)', () => {
  test("a value sent with a type that cannot be the parameter's is 9006", () => {
    const r = validateValue({ type: 'unsignedInt' }, '5', { xsiType: 'boolean' });
    assert.deepEqual(r.ok ? undefined : r.faultCode, FaultCode.InvalidParameterType);
  });

  test('lenient by default: xsd:string and another integer type are accepted', () => {
    assert.equal(xsiTypeFits({ type: 'unsignedInt' }, 'string'), true);
    assert.equal(xsiTypeFits({ type: 'unsignedInt' }, 'int'), true);
    assert.equal(xsiTypeFits({ type: 'boolean' }, 'int'), false);
    assert.equal(xsiTypeFits({ type: 'base64' }, 'base64Binary'), true);
    // A list travels as a string whatever its items are.
    assert.equal(xsiTypeFits({ type: 'unsignedInt', list: {} }, 'string', false), true);
    assert.equal(xsiTypeFits({ type: 'unsignedInt', list: {} }, 'unsignedInt', false), false);
  });

  test("strict: only the parameter's own type", () => {
    const r = validateValue({ type: 'unsignedInt' }, '5', {
      xsiType: 'string',
      lenientXsiType: false,
    });
    assert.equal(r.ok ? 0 : r.faultCode, FaultCode.InvalidParameterType);
    assert.equal(
      validateValue({ type: 'unsignedInt' }, '5', { xsiType: 'unsignedInt', lenientXsiType: false })
        .ok,
      true,
    );
  });

  test('type is checked before value: a bad value with a bad type is 9006', () => {
    const r = validateValue({ type: 'unsignedInt' }, 'x', { xsiType: 'dateTime' });
    assert.equal(r.ok ? 0 : r.faultCode, FaultCode.InvalidParameterType);
  });
});
