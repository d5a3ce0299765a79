import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeDeviceId, encodeDeviceId, isDeviceId, parseDeviceId } from './device-id.ts';
import { isStoreError } from './errors.ts';

const wellFormed = fc.string({ unit: 'grapheme', maxLength: 30 });

describe('device id', () => {
  it('leaves ordinary ids readable', () => {
    assert.equal(
      encodeDeviceId({ oui: '00D09E', productClass: 'IGD', serialNumber: 'AB12345' }),
      '00D09E-IGD-AB12345',
    );
  });

  it('keeps an empty ProductClass and one containing - apart', () => {
    const empty = encodeDeviceId({ oui: 'A', productClass: '', serialNumber: 'B-C' });
    const dashed = encodeDeviceId({ oui: 'A', productClass: '-B', serialNumber: 'C' });
    assert.equal(empty, 'A--B_2DC');
    assert.equal(dashed, 'A-_2DB-C');
    assert.notEqual(empty, dashed);
    assert.deepEqual(parseDeviceId(empty), { oui: 'A', productClass: '', serialNumber: 'B-C' });
    assert.deepEqual(parseDeviceId(dashed), { oui: 'A', productClass: '-B', serialNumber: 'C' });
  });

  it('is URL-safe and round-trips hostile strings', () => {
    const hostile = [
      '<script>alert(1)</script>',
      "'; DROP TABLE devices; --",
      '../../etc/passwd',
      'a\u0000b',
      '\u202egnp.exe',
      '=cmd|/C calc!A0',
      'x'.repeat(10_000),
      '_5F_2D%2D',
      '😀 ünïcödé',
    ];
    for (const s of hostile) {
      const parts = { oui: s, productClass: s, serialNumber: s };
      const id = encodeDeviceId(parts);
      assert.match(id, /^[A-Za-z0-9._-]+$/);
      assert.equal(encodeURIComponent(id), id);
      assert.deepEqual(decodeDeviceId(id), parts);
    }
  });

  it('round-trips any well-formed strings (property)', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, wellFormed, (oui, productClass, serialNumber) => {
        const parts = { oui, productClass, serialNumber };
        const id = encodeDeviceId(parts);
        assert.deepEqual(parseDeviceId(id), parts);
        assert.equal(id.split('-').length, 3);
      }),
    );
  });

  it('is injective (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('', '-', '_', 'a', '_2D', '.'), { minLength: 6, maxLength: 6 }),
        (p) => {
          const a = { oui: p[0] ?? '', productClass: p[1] ?? '', serialNumber: p[2] ?? '' };
          const b = { oui: p[3] ?? '', productClass: p[4] ?? '', serialNumber: p[5] ?? '' };
          const same =
            a.oui === b.oui &&
            a.productClass === b.productClass &&
            a.serialNumber === b.serialNumber;
          assert.equal(encodeDeviceId(a) === encodeDeviceId(b), same);
        },
      ),
    );
  });

  it('refuses non-canonical and malformed ids', () => {
    for (const bad of [
      '',
      'A-B',
      'A-B-C-D',
      'A-B-_2d',
      'A-B-_41',
      'A-B-_',
      'A-B-_4',
      'A-B-%2D',
      'A-B-C/D',
      'A-B-_C3',
      'A-B-_FF',
      'A-B-_ED_A0_80',
    ]) {
      assert.equal(isDeviceId(bad), false, bad);
      assert.throws(
        () => decodeDeviceId(bad),
        (e) => isStoreError(e, 'invalid'),
      );
    }
  });

  it('refuses a lone surrogate instead of storing it lossily', () => {
    assert.throws(
      () => encodeDeviceId({ oui: 'A', productClass: '\ud800', serialNumber: 'B' }),
      (e) => isStoreError(e, 'invalid'),
    );
  });

  it('keeps the hostile id out of the error message length', () => {
    try {
      decodeDeviceId(`A-B-${'%'.repeat(20_000)}`);
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof Error && e.message.length < 400);
    }
  });
});
